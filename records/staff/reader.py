"""Reading a document page by page, correcting a page's text, and the queue of pages to review.

The reader shows one page of a version: its image beside its text, with a strip of thumbnails. The
document comes through the access layer, so a hidden document's reader is the 404 of a missing one.
A correction is a new text revision (records.services.correct_page_text); the OCR output stays.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from records import access, auditing, services
from records.errors import RecordsError
from records.models import Document, Page, Rendition, RenditionKind

READ_PERMISSION = "records.view_document"
CORRECT_PERMISSION = "records.change_document"


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Text of the page"), widget=forms.Textarea(attrs={"rows": 30, "dir": "auto"}), required=False)


def _page_number(request):
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


class ReaderView(WagtailAdminTemplateMixin, TemplateView):
    """One page of a document's version: image, text, thumbnails, and the correction form."""

    template_name = "records/reader.html"
    page_title = _("Read")
    header_icon = "doc-full"

    def setup(self, request, *args, pk, **kwargs):
        super().setup(request, *args, **kwargs)
        if not request.user.has_perm(READ_PERMISSION):
            raise PermissionDenied
        self.document = access.get_visible_or_404(request.user, Document.objects.select_related("case"), pk=pk)
        versions = self.document.versions.order_by("-number")
        chosen = request.GET.get("version")
        self.version = (versions.filter(number=chosen).first() if chosen and chosen.isdigit() else None) or versions.first()
        self.number = _page_number(request)
        self.pages = Page.objects.filter(version=self.version).order_by("number") if self.version else Page.objects.none()
        self.page = self.pages.filter(number=self.number).first()

    def get(self, request, *args, **kwargs):
        auditing.viewed(request.user, self.document)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.document.title

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CORRECT_PERMISSION):
            raise PermissionDenied
        if self.page is None:
            raise Http404
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.correct_page_text(self.page, form.cleaned_data["text"], actor=request.user)
            except RecordsError as error:
                form.add_error("text", error.message)
            else:
                messages.success(request, _("The corrected text of page %(number)s is saved.") % {"number": self.number})
                return redirect(self.url_for(self.number))
        return self.render_to_response(self.get_context_data(form=form))

    def url_for(self, number):
        query = {"page": number}
        if self.version is not None:
            query["version"] = self.version.number
        return reverse("records_document_reader", args=[self.document.pk]) + "?" + urlencode(query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, version = self.page, self.version
        numbers = list(self.pages.values_list("number", flat=True))
        thumbnails = set(
            Rendition.objects.filter(version=version, kind=RenditionKind.THUMBNAIL).values_list("page_number", flat=True)
        ) if version else set()
        context.update(
            document=self.document,
            version=version,
            page=page,
            numbers=numbers,
            thumbnails=[(number, number in thumbnails, self.url_for(number)) for number in numbers],
            previous_url=self.url_for(self.number - 1) if self.number - 1 in numbers else None,
            next_url=self.url_for(self.number + 1) if self.number + 1 in numbers else None,
            has_image=page is not None
            and Rendition.objects.filter(version=version, kind=RenditionKind.PREVIEW, page_number=page.number).exists(),
            searchable_pdf=version is not None
            and Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True).exists(),
            revisions=page.revisions.select_related("created_by").order_by("-revision") if page else [],
            can_correct=self.request.user.has_perm(CORRECT_PERMISSION) and page is not None,
            form=kwargs.get("form") or (CorrectionForm(initial={"text": page.text}) if page else None),
        )
        return context


class ReviewQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Pages whose OCR confidence fell below the threshold, least sure first, among pages the user may see."""

    template_name = "records/review_queue.html"
    page_title = _("Pages to review")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CORRECT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = (
            access.visible_pages(self.request.user)
            .filter(needs_review=True)
            .select_related("version__document")
            .order_by("confidence", "version_id", "number")
        )
        listed = Paginator(pages, 50).get_page(self.request.GET.get("p"))
        context.update(
            listed=listed,
            rows=[
                (
                    page,
                    reverse("records_document_reader", args=[page.version.document_id])
                    + "?"
                    + urlencode({"page": page.number, "version": page.version.number}),
                )
                for page in listed
            ],
        )
        return context


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(CORRECT_PERMISSION)
