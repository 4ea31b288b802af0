"""The one view through which a version's bytes leave the repository.

Everything that offers a file (the staff pages, the API) links here, so checks and headers are decided
once: the file is always an attachment, never rendered by the browser as a page of this site.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from records import storage
from records.models import Version

# A downloaded file is inert: no scripts, no plug-ins, no sniffing, no framing.
CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"


@require_safe
def download_version(request, version_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Not permitted and not found answer the same, so the answer says nothing about what exists.
    if not request.user.has_perm("records.view_document"):
        raise Http404("No such file.")
    version = get_object_or_404(Version.objects.select_related("document"), pk=version_id)
    etag = f'"{version.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            storage.open_original(version.storage_key),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.media_type,
        )
        response["Content-Length"] = str(version.size)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
