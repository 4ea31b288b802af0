from django.urls import path

from records.views.download import download_version

app_name = "records"
urlpatterns = [
    path("versions/<uuid:version_id>/download/", download_version, name="download_version"),
]
