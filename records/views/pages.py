"""Page images, thumbnails and the searchable PDF: files made from a version, served as carefully as it.

The version is looked up through the access layer first, so a page of a version the user may not see is
answered exactly as a page of a version that does not exist. Images are sent inline (the reader shows
them) but inert; the searchable PDF is an attachment, and its download of a restricted file is audited.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from records import access, auditing, renditions
from records.models import Rendition, RenditionKind, Version
from records.views.download import _disposition, inert

_PAGE_KINDS = {"image": RenditionKind.PREVIEW, "thumbnail": RenditionKind.THUMBNAIL}


def _version_for(request, version_id):
    version = access.get_visible_or_404(request.user, Version.objects.select_related("document__case"), pk=version_id)
    if not request.user.has_perm("records.view_document"):
        return access.not_found()  # visible, but the role reads no files: the same 404 as for any other
    return version


def _send(rendition, *, filename=None):
    response = FileResponse(
        renditions.open_rendition(rendition.storage_key),
        as_attachment=filename is not None,
        filename=filename or "",
        content_type=rendition.media_type,
    )
    if filename is not None:
        response["Content-Disposition"] = _disposition(filename)
    response["Content-Length"] = str(rendition.size)
    return inert(response)


@require_safe
def page_image(request, version_id, number, kind):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    version = _version_for(request, version_id)
    rendition = Rendition.objects.filter(version=version, kind=_PAGE_KINDS[kind], page_number=number).first()
    if rendition is None:
        raise Http404
    return _send(rendition)


@require_safe
def searchable_pdf(request, version_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    version = _version_for(request, version_id)
    rendition = Rendition.objects.filter(version=version, kind=RenditionKind.SEARCHABLE_PDF, page_number__isnull=True).first()
    if rendition is None:
        raise Http404
    auditing.downloaded(request.user, version)
    stem = version.original_name.rsplit(".", 1)[0] or "document"
    return _send(rendition, filename=f"{stem} (searchable).pdf")
