"""REST API over the records core. Every write goes through records.services, as the staff screens do."""

import uuid

from django.db.models import Prefetch, ProtectedError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api import serializers
from api.parsers import BoundedJSONParser
from records import access, auditing, classification, services
from records.models import CaseFile, CaseType, Document, Institution, Version


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    raise NotFound()


def require_perm(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"This needs the permission {perm}.")


def year_param(raw):
    """A year as dates hold it in both databases (1 to 9999), refused before it reaches a query."""
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not 1 <= year <= 9999:
        raise ValidationError({"year": "The year is a number such as 2024."})
    return year


class VisibleOnlyMixin:
    """Objects through the access layer: lists hold what the user may see, and an item they may not see
    is answered with the same 404 as one that does not exist."""

    def get_queryset(self):
        return access.restrict(self.request.user, self.base_queryset())

    def get_object(self):
        obj = access.get_visible_or_404(self.request.user, self.base_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        auditing.viewed(request.user, instance)
        return Response(self.get_serializer(instance).data)


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Institution.objects.select_related("parent")
    serializer_class = serializers.InstitutionSerializer
    lookup_field = "code"


class CaseTypeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CaseType.objects.all()
    serializer_class = serializers.CaseTypeSerializer
    lookup_field = "code"


CASE_FILTERS = [
    OpenApiParameter("q", str, description="Case number, legacy number, party national ID or name."),
    OpenApiParameter("number", str, description="Case number or legacy number, however typed."),
    OpenApiParameter("national_id", str, description="National ID number of a party."),
    OpenApiParameter("party", str, description="Part of a party's name."),
    OpenApiParameter("court", str, description="Institution code."),
    OpenApiParameter("case_type", str, description="Case type code."),
    OpenApiParameter("status", str),
    OpenApiParameter("year", {"type": "integer", "minimum": 1, "maximum": 9999}, description="Year filed."),
]


@extend_schema(parameters=CASE_FILTERS)
class CaseFileViewSet(VisibleOnlyMixin, viewsets.ModelViewSet):
    serializer_class = serializers.CaseFileSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return CaseFile.objects.select_related("court", "case_type").prefetch_related(
            "parties", "legacy_numbers", "status_changes__changed_by", "marks"
        )

    def get_queryset(self):
        cases = super().get_queryset()
        params = self.request.query_params
        if params.get("q"):
            cases = cases.matching(params["q"])
        if params.get("number"):
            cases = cases.with_number(params["number"])
        if params.get("national_id"):
            cases = cases.with_party_national_id(params["national_id"])
        if params.get("party"):
            cases = cases.with_party_name(params["party"])
        if params.get("court"):
            cases = cases.filter(court__code=params["court"])
        if params.get("case_type"):
            cases = cases.filter(case_type__code=params["case_type"])
        if params.get("status"):
            cases = cases.filter(status=params["status"])
        if params.get("year"):
            cases = cases.filed_in(year_param(params["year"]))
        return cases

    def list(self, request, *args, **kwargs):
        # Recorded here, not in get_queryset: DRF calls that more than once per request.
        self.looked_for = {name: request.query_params.get(name, "") for name in ("q", "number", "national_id", "party")}
        return super().list(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        if any(getattr(self, "looked_for", {}).values()):
            looked_for = dict(self.looked_for)
            auditing.searched(self.request.user, looked_for.pop("q"), hits=queryset, **looked_for)
        page = super().paginate_queryset(queryset)
        auditing.listed(self.request.user, page if page is not None else ())
        return page

    def perform_create(self, serializer):
        marks = serializer.validated_data.pop("marks", ())
        level = serializer.validated_data.pop("level", None)
        serializer.instance = services.register_case_file(
            serializer.build(), actor=self.request.user, level=level, marks=marks
        )

    def perform_update(self, serializer):
        if sent := [name for name in ("level", "marks") if name in serializer.validated_data]:
            raise ValidationError({name: "Level and marks change by classification: POST to classify/." for name in sent})
        serializer.instance = services.update_case_file(
            serializer.build(serializer.instance), actor=self.request.user
        )

    def perform_destroy(self, instance):
        try:
            services.delete_case_file(instance, actor=self.request.user)
        except ProtectedError:
            raise ValidationError(
                {"detail": f"Case {instance.number} holds documents, so it cannot be deleted."}
            ) from None

    @extend_schema(request=serializers.ChangeStatusSerializer, responses=serializers.StatusChangeSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None, format=None):
        require_perm(request, "records.change_casefile")
        case_file = self.get_object()
        form = serializers.ChangeStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        change = services.change_status(case_file, actor=request.user, **form.validated_data)
        return Response(serializers.StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ClassifySerializer, responses=serializers.ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None, format=None):
        """Change the case's level and marks: within one's clearance; lowering needs a reason and a court order."""
        require_perm(request, "records.classify_casefile")
        case_file = self.get_object()
        form = serializers.ClassifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        classification.classify_case(case_file, actor=request.user, **form.validated_data)
        return Response(serializers.ClassificationSerializer(case_file).data)

    @extend_schema(methods=["get"], responses=serializers.AssignmentSerializer(many=True))
    @extend_schema(methods=["post"], request=serializers.AssignSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request, pk=None, format=None):
        """Who is assigned to the case, directly or as a group; POST assigns one more."""
        case_file = self.get_object()
        if request.method == "GET":
            found = case_file.assignments.select_related("user", "group")
            return Response(serializers.AssignmentSerializer(found, many=True).data)
        require_perm(request, "records.assign_casefile")
        form = serializers.AssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        assignment = classification.assign(case_file, actor=request.user, **form.validated_data)
        return Response(serializers.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(VisibleOnlyMixin, viewsets.ModelViewSet):
    serializer_class = serializers.DocumentSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        auditing.listed(self.request.user, page if page is not None else ())
        return page

    def base_queryset(self):
        return Document.objects.select_related("declared_by", "case").prefetch_related(
            Prefetch("versions", queryset=Version.objects.select_related("author")), "marks"
        )

    def get_queryset(self):
        documents = super().get_queryset()
        params = self.request.query_params
        if params.get("case"):
            try:
                documents = documents.filter(case_id=uuid.UUID(params["case"]))
            except ValueError:
                raise ValidationError({"case": "The case is given by its id, a UUID."}) from None
        if params.get("kind"):
            documents = documents.filter(kind=params["kind"])
        return documents

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        upload = {name: values.pop(name, None) for name in serializer.UPLOAD_FIELDS}
        serializer.instance = services.add_document(
            Document(**values),
            actor=self.request.user,
            file=upload["file"],
            file_name=upload["file_name"],
            change_note=upload["change_note"] or "",
        )

    def perform_update(self, serializer):
        document = serializer.instance
        if sent := [name for name in serializer.UPLOAD_FIELDS if name in serializer.validated_data]:
            raise ValidationError(
                {name: "A later file is a new version: POST it to this document's versions/." for name in sent}
            )
        for name, value in serializer.validated_data.items():
            setattr(document, name, value)
        serializer.instance = services.update_document(document, actor=self.request.user)

    def perform_destroy(self, instance):
        services.delete_document(instance, actor=self.request.user)

    @extend_schema(request=serializers.ClassifySerializer, responses=serializers.ClassificationSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None, format=None):
        """Restrict the document beyond its case (level "" is as its case), within one's clearance."""
        require_perm(request, "records.classify_document")
        document = self.get_object()
        form = serializers.ClassifySerializer(data=request.data, allow_as_case=True)
        form.is_valid(raise_exception=True)
        classification.classify_document(document, actor=request.user, **form.validated_data)
        return Response(serializers.ClassificationSerializer(document).data)

    @extend_schema(responses=serializers.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None, format=None):
        require_perm(request, "records.declare_document")
        document = services.declare_record(self.get_object(), actor=request.user)
        return Response(serializers.DocumentSerializer(document).data)

    @extend_schema(
        methods=["post"], request=serializers.VersionUploadSerializer, responses=serializers.VersionSerializer
    )
    @extend_schema(methods=["get"], responses=serializers.VersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def versions(self, request, pk=None, format=None):
        document = self.get_object()
        if request.method == "GET":
            versions = document.versions.select_related("author").order_by("number")
            return Response(serializers.VersionSerializer(versions, many=True).data)
        require_perm(request, "records.change_document")
        form = serializers.VersionUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        version = services.add_version(
            document,
            form.validated_data["file"],
            author=request.user,
            file_name=form.validated_data.get("file_name"),
            change_note=form.validated_data["change_note"],
        )
        return Response(serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.RevertSerializer, responses=serializers.VersionSerializer)
    @action(detail=True, methods=["post"])
    def revert(self, request, pk=None, format=None):
        require_perm(request, "records.change_document")
        document = self.get_object()
        form = serializers.RevertSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        old = get_object_or_404(document.versions, pk=form.validated_data["version"])
        version = services.revert_to_version(
            document, old, author=request.user, change_note=form.validated_data["change_note"]
        )
        return Response(serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionViewSet(VisibleOnlyMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.VersionSerializer
    permission_model = Document  # versions are read with the permissions of their document

    def base_queryset(self):
        return Version.objects.select_related("author", "document__case")
