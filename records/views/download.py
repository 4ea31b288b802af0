"""The one view through which a version's bytes leave the repository.

Everything that offers a file (the staff pages, the API) links here, so checks and headers are decided
once: access first (a file the user may not see is "not found", like a missing one), then the file as an
attachment, never rendered by the browser as a page of this site. Who downloaded a confidential or sealed
file is written to the audit trail. The bytes themselves are sent by Django, by the web server
(X-Accel-Redirect / X-Sendfile) or, from S3, through a signed URL that expires within a minute.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.views.decorators.http import require_safe

from records import access, auditing, storage
from records.models import Version

# A downloaded file is inert: no scripts, no plug-ins, no sniffing, no framing.
CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _disposition(name):
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _send(version):
    signed = storage.signed_url(
        version.storage_key,
        seconds=settings.SIGNED_URL_SECONDS,
        disposition=_disposition(version.original_name),
        media_type=version.media_type,
    )
    if signed:
        return HttpResponseRedirect(signed)
    if settings.SENDFILE != "django" and (relative := storage.local_relative_path(version.storage_key)):
        response = HttpResponse(content_type=version.media_type)
        if settings.SENDFILE == "x-accel-redirect":
            response["X-Accel-Redirect"] = settings.SENDFILE_PREFIX + quote(relative)
        else:
            response["X-Sendfile"] = str(storage.local_path(version.storage_key))
        response["Content-Disposition"] = _disposition(version.original_name)
        return response
    response = FileResponse(
        storage.open_original(version.storage_key),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.media_type,
    )
    response["Content-Length"] = str(version.size)
    return response


@require_safe
def download_version(request, version_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    version = access.get_visible_or_404(request.user, Version.objects.select_related("document__case"), pk=version_id)
    if not request.user.has_perm("records.view_document"):
        # Visible, but the role does not read files: answered as not found too, so the answer never
        # depends on what exists.
        return access.not_found()
    etag = f'"{version.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        auditing.downloaded(request.user, version)
        response = _send(version)
    response["ETag"] = etag
    return inert(response)


def inert(response):
    """The headers every file leaving the repository carries: never cached for others, sniffed or framed."""
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
