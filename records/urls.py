from django.urls import path

from records.views.download import download_version
from records.views.pages import page_image, searchable_pdf

app_name = "records"
urlpatterns = [
    path("versions/<uuid:version_id>/download/", download_version, name="download_version"),
    path(
        "versions/<uuid:version_id>/pages/<int:number>/image/",
        page_image,
        {"kind": "image"},
        name="page_image",
    ),
    path(
        "versions/<uuid:version_id>/pages/<int:number>/thumbnail/",
        page_image,
        {"kind": "thumbnail"},
        name="page_thumbnail",
    ),
    path("versions/<uuid:version_id>/searchable.pdf", searchable_pdf, name="searchable_pdf"),
]
