from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api import ingest, views

router = DefaultRouter()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("case-types", views.CaseTypeViewSet, basename="casetype")
router.register("case-files", views.CaseFileViewSet, basename="casefile")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("versions", views.VersionViewSet, basename="version")
router.register("batches", ingest.BatchViewSet, basename="batch")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "versions/<uuid:version_id>/pages/",
        ingest.PageViewSet.as_view({"get": "list"}),
        name="version-pages",
    ),
    path(
        "versions/<uuid:version_id>/pages/<int:number>/",
        ingest.PageViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="version-page",
    ),
    path("", include("api.search")),
    path("", include(router.urls)),
    # Last: an address under the API that names nothing is answered in JSON, as the API answers.
    re_path(r"", views.not_found),
]
