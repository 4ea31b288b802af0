"""The API of ingest: batches (many files to a case, or a ZIP with its manifest), and the text of pages.

As on the staff screens, a batch is its creator's: anyone else's request for it is the 404 of a batch that
does not exist. Pages are read through their version, with the access rule and the document's
permissions; a correction of a page's text is a new revision (records.services.correct_page_text).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.parsers import BoundedJSONParser
from ingest import batches, sources
from ingest.models import Batch, BatchItem
from records import access, auditing, services
from records.languages import Language
from records.models import CaseFile, Document, DocumentKind, Page, Version

FILE_PERMISSION = "records.add_document"
REGISTER_PERMISSION = "records.add_casefile"


# Batches ---------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    files = serializers.IntegerField()
    waiting = serializers.IntegerField()
    reading = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    pages = serializers.IntegerField()
    pages_done = serializers.IntegerField()
    pages_failed = serializers.IntegerField()
    pages_per_minute = serializers.FloatField()
    seconds_left = serializers.FloatField(allow_null=True)
    finished = serializers.BooleanField()


class ItemSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()

    class Meta:
        model = BatchItem
        fields = ["row", "path", "state", "error", "note", "pages", "document", "case"]

    def get_document(self, item) -> str | None:
        """The document the file became, if the reader may see it."""
        document_id = item.version.document_id if item.version_id else None
        return str(document_id) if document_id in self.context["visible_documents"] else None

    def get_case(self, item) -> str | None:
        """The case the file was filed in, if the reader may see it."""
        return str(item.case_id) if item.case_id in self.context["visible_cases"] else None


class BatchSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields = ["id", "name", "source", "created_at", "finished_at", "encoding", "progress"]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, batch):
        progress = batches.progress(batch)
        return ProgressSerializer({name: getattr(progress, name) for name in ProgressSerializer().fields}).data


class BatchDetailSerializer(BatchSerializer):
    items = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "items"]

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, batch):
        items = list(batch.items.select_related("version")[:5000])
        user = self.context["request"].user
        documents = [item.version.document_id for item in items if item.version_id]
        cases = [item.case_id for item in items if item.case_id]
        context = {
            **self.context,
            "visible_documents": set(
                access.restrict(user, Document.objects.filter(pk__in=documents)).values_list("pk", flat=True)
            ),
            "visible_cases": set(access.restrict(user, CaseFile.objects.filter(pk__in=cases)).values_list("pk", flat=True)),
        }
        return ItemSerializer(items, many=True, context=context).data


class BatchCreateSerializer(serializers.Serializer):
    archive = serializers.FileField(required=False, help_text="A ZIP of the batch folder with its manifest.csv.")
    name = serializers.CharField(required=False, max_length=300)
    case = serializers.UUIDField(required=False, help_text="With files: the case file they are added to.")
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.LEGACY_SCAN)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices), required=False)

    def validate(self, values):
        if bool(values.get("archive")) == bool(values.get("files")):
            raise ValidationError("Send either an archive (a ZIP with its manifest) or files with their case.")
        if values.get("files") and not values.get("case"):
            raise ValidationError({"case": "Files are added to a case file: give its id."})
        return values


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Your ingest batches: their progress, each file's fate, and a retry of what failed."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, BoundedJSONParser]
    queryset = Batch.objects.none()  # the schema's types; get_queryset gives the user's own
    lookup_value_regex = "[^/.]+"

    def get_queryset(self):
        self._require(FILE_PERMISSION)
        return batches.visible_batches(self.request.user)

    def get_serializer_class(self):
        return BatchSerializer if self.action == "list" else BatchDetailSerializer

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Batch.DoesNotExist, ValueError, TypeError, DjangoValidationError):
            raise NotFound() from None

    def _require(self, permission):
        if not self.request.user.has_perm(permission):
            raise PermissionDenied(f"This needs the permission {permission}.")

    @extend_schema(request=BatchCreateSerializer, responses={201: BatchDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Start a batch: `files` (one or many) for the case file `case`, or an `archive` with its manifest."""
        self._require(FILE_PERMISSION)
        form = BatchCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = form.validated_data
        if values.get("archive"):
            batch = self._from_archive(values)
        else:
            case = access.get_visible_or_404(request.user, CaseFile.objects.all(), pk=values["case"])
            batch = batches.start_from_uploads(
                values["files"], actor=request.user, case=case, kind=values["kind"], languages=values.get("languages", [])
            )
        data = BatchDetailSerializer(batch, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _from_archive(self, values):
        self._require(REGISTER_PERMISSION)
        archive = values["archive"]
        try:
            batch, manifest = batches.start_from_archive(
                archive, actor=self.request.user, name=values.get("name") or archive.name
            )
        except sources.SourceError as error:
            raise ValidationError({"archive": error.message}) from None
        if batch is None:
            raise ValidationError({"archive": [str(problem) for problem in manifest.problems]})
        return batch

    @extend_schema(request=None, responses=inline_serializer("Retried", {"retried": serializers.IntegerField()}))
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None, format=None):
        """Try the failed files of the batch again (pages read again; a folder's rows filed again)."""
        return Response({"retried": batches.retry(self.get_object())})


# Pages ----------------------------------------------------------------------------------------------


class PageSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = ["number", "text", "source", "confidence", "needs_review", "revision", "width", "height", "image", "thumbnail"]

    def get_image(self, page) -> str:
        return reverse("records:page_image", args=[page.version_id, page.number])

    def get_thumbnail(self, page) -> str:
        return reverse("records:page_thumbnail", args=[page.version_id, page.number])


class PageDetailSerializer(PageSerializer):
    words = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta(PageSerializer.Meta):
        fields = [*PageSerializer.Meta.fields, "words", "unit"]

    def _first(self, page):
        return page.revisions.order_by("revision").first()

    def get_words(self, page) -> list:
        """Boxes of the words as first read: [text, left, top, width, height, confidence], in `unit`."""
        first = self._first(page)
        return first.words if first and page.revision == 1 else []

    def get_unit(self, page) -> str:
        first = self._first(page)
        return first.unit if first else ""


class CorrectionSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class PageViewSet(viewsets.GenericViewSet):
    """The text of a version's pages, page by page; PATCH corrects a page's text (a new revision)."""

    permission_model = Document
    parser_classes = [BoundedJSONParser]
    queryset = Page.objects.none()

    def version(self):
        if not hasattr(self, "_version"):
            self._version = access.get_visible_or_404(
                self.request.user, Version.objects.select_related("document__case"), pk=self.kwargs["version_id"]
            )
        return self._version

    def get_serializer_class(self):
        return PageSerializer if self.action == "list" else PageDetailSerializer

    def list(self, request, version_id=None, format=None):
        version = self.version()
        auditing.viewed(request.user, version.document)
        pages = self.paginate_queryset(Page.objects.filter(version=version).order_by("number"))
        return self.get_paginated_response(PageSerializer(pages, many=True).data)

    def retrieve(self, request, version_id=None, number=None, format=None):
        page = self._page(number)
        auditing.viewed(request.user, page.version.document)
        return Response(PageDetailSerializer(page).data)

    @extend_schema(request=CorrectionSerializer, responses=PageDetailSerializer)
    def partial_update(self, request, version_id=None, number=None, format=None):
        if not request.user.has_perm("records.change_document"):
            raise PermissionDenied("This needs the permission records.change_document.")
        page = self._page(number)
        form = CorrectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with transaction.atomic():
            page = services.correct_page_text(page, form.validated_data["text"], actor=request.user)
        return Response(PageDetailSerializer(page).data)

    def _page(self, number):
        return get_object_or_404(Page.objects.select_related("version__document"), version=self.version(), number=number)
