"""REST API over the records core. Every write goes through records.services, as the staff screens do."""

import uuid

from django.db.models import Prefetch, ProtectedError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api import serializers
from records import services
from records.models import CaseFile, CaseType, Document, Institution, Version


def require_perm(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"This needs the permission {perm}.")


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
    OpenApiParameter("year", int, description="Year filed."),
]


@extend_schema(parameters=CASE_FILTERS)
class CaseFileViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.CaseFileSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        cases = CaseFile.objects.select_related("court", "case_type").prefetch_related(
            "parties", "legacy_numbers", "status_changes__changed_by"
        )
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
            try:
                cases = cases.filed_in(int(params["year"]))
            except ValueError:
                raise ValidationError({"year": "The year is a number such as 2024."}) from None
        return cases

    def perform_create(self, serializer):
        serializer.instance = services.register_case_file(serializer.build(), actor=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.update_case_file(
            serializer.build(serializer.instance), actor=self.request.user
        )

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(
                {"detail": f"Case {instance.number} holds documents, so it cannot be deleted."}
            ) from None

    @extend_schema(request=serializers.ChangeStatusSerializer, responses=serializers.StatusChangeSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        require_perm(request, "records.change_casefile")
        case_file = self.get_object()
        form = serializers.ChangeStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        change = services.change_status(case_file, actor=request.user, **form.validated_data)
        return Response(serializers.StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.DocumentSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        documents = Document.objects.select_related("declared_by").prefetch_related(
            Prefetch("versions", queryset=Version.objects.select_related("author"))
        )
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

    @extend_schema(responses=serializers.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        require_perm(request, "records.declare_document")
        document = services.declare_record(self.get_object(), actor=request.user)
        return Response(serializers.DocumentSerializer(document).data)

    @extend_schema(
        methods=["post"], request=serializers.VersionUploadSerializer, responses=serializers.VersionSerializer
    )
    @extend_schema(methods=["get"], responses=serializers.VersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def versions(self, request, pk=None):
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
    def revert(self, request, pk=None):
        require_perm(request, "records.change_document")
        document = self.get_object()
        form = serializers.RevertSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        old = get_object_or_404(document.versions, pk=form.validated_data["version"])
        version = services.revert_to_version(
            document, old, author=request.user, change_note=form.validated_data["change_note"]
        )
        return Response(serializers.VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Version.objects.select_related("author")
    serializer_class = serializers.VersionSerializer
    permission_model = Document  # versions are read with the permissions of their document
