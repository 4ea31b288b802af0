"""The clerk's ingest screens: their batches, one batch's progress and failures, uploads, and a retry.

A batch is its creator's (ingest.batches.visible_batches): anyone else asking for it gets the 404 of a
batch that does not exist. An item links the case and document it became only for someone who may see
them (records.access); otherwise it says where the file went without a link.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ingest import batches, sources, work
from ingest.models import Batch, ItemState, Reading
from ingest.staff.forms import ArchiveForm, UploadToCaseForm
from records import access, display
from records.errors import RecordsError
from records.models import CaseFile, Document, Version

FILE_PERMISSION = "records.add_document"
REGISTER_PERMISSION = "records.add_casefile"


def _batch_or_404(user, batch_id):
    try:
        return batches.visible_batches(user).get(pk=batch_id)
    except (Batch.DoesNotExist, ValueError):
        raise Http404 from None


class FilingPermissionMixin:
    permission = FILE_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BatchIndexView(FilingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ingest/batch_index.html"
    page_title = gettext_lazy("Ingest batches")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = Paginator(batches.visible_batches(self.request.user), 25).get_page(self.request.GET.get("p"))
        context.update(
            listed=listed,
            rows=[(batch, batches.progress(batch)) for batch in listed],
            can_upload_archive=self.request.user.has_perm(REGISTER_PERMISSION),
        )
        return context


class BatchDetailView(FilingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ingest/batch_detail.html"
    page_title = gettext_lazy("Ingest batch")
    header_icon = "upload"

    def setup(self, request, *args, batch_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.batch = _batch_or_404(request.user, batch_id)

    def get_page_subtitle(self):
        return self.batch.name

    def post(self, request, *args, **kwargs):
        sent = batches.retry(self.batch)
        if sent:
            messages.success(request, _("%(count)s failed files are being tried again.") % {"count": sent})
        else:
            messages.warning(
                request,
                _("No failed file can be tried again here: a refused upload must be uploaded again once it is fixed."),
            )
        return redirect("ingest_batch", self.batch.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        listed = Paginator(self.batch.items.select_related("version__document", "case"), 100).get_page(
            self.request.GET.get("p")
        )
        documents = {
            document.pk: document
            for document in access.restrict(
                user, Document.objects.filter(pk__in=[i.version.document_id for i in listed if i.version_id])
            )
        }
        cases = {
            case.pk: case for case in access.restrict(user, CaseFile.objects.filter(pk__in=[i.case_id for i in listed if i.case_id]))
        }
        progress = batches.progress(self.batch)
        context.update(
            batch=self.batch,
            progress=progress,
            listed=listed,
            rows=[
                (
                    item,
                    documents.get(item.version.document_id) if item.version_id else None,
                    cases.get(item.case_id),
                )
                for item in listed
            ],
            can_retry=self.batch.items.filter(state=ItemState.FAILED).exists(),
            refresh=not progress.finished,
        )
        return context


class UploadToCaseView(FilingPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Many files for one case at once: each a new document, read in the background."""

    template_name = "ingest/upload_to_case.html"
    form_class = UploadToCaseForm
    page_title = gettext_lazy("Upload files")
    header_icon = "upload"

    def setup(self, request, *args, case_id, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = access.get_visible_or_404(request.user, CaseFile.objects.select_related("court"), pk=case_id)

    def get_page_subtitle(self):
        return display.isolated_text(self.case.number)  # a title takes no markup: LRI ... PDI keeps "E." at the end

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case_file": self.case}

    def form_valid(self, form):
        batch = batches.start_from_uploads(
            form.cleaned_data["files"],
            actor=self.request.user,
            case=self.case,
            kind=form.cleaned_data["kind"],
            languages=form.cleaned_data["languages"],
        )
        progress = batches.progress(batch)
        if progress.failed:
            messages.warning(
                self.request,
                _("%(failed)s of %(count)s files were refused; the batch page says why.")
                % {"failed": progress.failed, "count": progress.files},
            )
        else:
            messages.success(
                self.request, _("%(count)s files stored; their pages are being read.") % {"count": progress.files}
            )
        return redirect("ingest_batch", batch.pk)


class ArchiveUploadView(FilingPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """A ZIP of a batch folder with its manifest: checked whole, then its valid rows filed in the background."""

    permission = REGISTER_PERMISSION
    template_name = "ingest/archive_upload.html"
    form_class = ArchiveForm
    page_title = gettext_lazy("Import a ZIP with a manifest")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(FILE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        archive = form.cleaned_data["archive"]
        name = form.cleaned_data["name"] or archive.name
        try:
            batch, manifest = batches.start_from_archive(archive, actor=self.request.user, name=name)
        except (sources.SourceError, RecordsError) as error:
            form.add_error("archive", error.message)
            return self.form_invalid(form)
        if batch is None:
            return self.render_to_response(self.get_context_data(form=form, manifest=manifest))
        if manifest.problems:
            messages.warning(
                self.request,
                _("%(count)s problems: those rows are failed in the batch, the others are being filed.")
                % {"count": len(manifest.problems)},
            )
        else:
            messages.success(self.request, _("The manifest holds no problem; its files are being filed."))
        return redirect("ingest_batch", batch.pk)


class ReadAgainView(FilingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Read again the failed pages of a document's version (after a fix), from the document page."""

    http_method_names = ["post"]

    def post(self, request, version_id):
        version = access.get_visible_or_404(request.user, Version.objects.select_related("document"), pk=version_id)
        if Reading.objects.filter(pk=version.pk).exists():
            if work.retry_reading(version.pk):
                messages.success(request, _("The failed pages are being read again."))
            else:
                messages.info(request, _("No page of this version failed; nothing is read again."))
        elif work.request_reading(version.pk) is None:
            messages.warning(request, _("Sijill reads no text from files of this type."))
        else:
            messages.success(request, _("The pages of this version are being read."))
        return redirect("records_document:inspect", version.document_id)
