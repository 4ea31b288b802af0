"""What ingest adds to the records screens: the reading of a document's pages, and "Upload files" on a case."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.widgets.button import HeaderButton

from ingest import work
from ingest.models import JobState, PageJob, Reading
from ingest.staff.views import FILE_PERMISSION


def document_reading_panel(request, document):
    """The current version's reading: counted, read, failed (with why), and a way to read it again."""
    version = document.versions.order_by("-number").first()
    if version is None or not work.is_readable(version.media_type):
        return ""
    reading = Reading.objects.filter(pk=version.pk).first()
    jobs = PageJob.objects.filter(version=version)
    failed = list(jobs.filter(state=JobState.FAILED).values_list("number", "error")[:20])
    return render_to_string(
        "ingest/reading_panel.html",
        {
            "version": version,
            "reading": reading,
            "pages": reading.pages if reading else 0,
            "read": jobs.filter(state=JobState.DONE).count(),
            "failed": failed,
            "can_read_again": request.user.has_perm(FILE_PERMISSION),
        },
        request=request,
    )


def case_upload_button(request, case_file):
    if not request.user.has_perm(FILE_PERMISSION):
        return []
    return [
        HeaderButton(
            _("Upload files"), url=reverse("ingest_upload_to_case", args=[case_file.pk]), icon_name="upload", priority=6
        )
    ]
