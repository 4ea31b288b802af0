from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.languages import Language
from records.lifecycle import Status
from records.models import (
    CaseFile,
    CaseType,
    Document,
    Institution,
    LegacyNumber,
    Party,
    StatusChange,
    Version,
)


class InstitutionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Institution
        fields = ["code", "name", "kind", "parent", "is_active"]


class CaseTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseType
        fields = ["code", "name", "description", "is_active"]


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["role", "name", "national_id", "date_of_birth", "sex"]


class LegacyNumberSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegacyNumber
        fields = ["number", "source"]


class StatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.get_username", read_only=True)

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "effective_on", "reason", "changed_by", "changed_at"]


class CaseFileSerializer(serializers.ModelSerializer):
    """A case file with its parties and legacy numbers; given lists replace the stored ones."""

    court = serializers.SlugRelatedField(slug_field="code", queryset=Institution.objects.all())
    case_type = serializers.SlugRelatedField(slug_field="code", queryset=CaseType.objects.all())
    parties = PartySerializer(many=True, required=False)
    legacy_numbers = LegacyNumberSerializer(many=True, required=False)
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = CaseFile
        fields = [
            "id",
            "number",
            "court",
            "case_type",
            "title",
            "status",
            "date_filed",
            "date_judgment",
            "date_closed",
            "level",
            "location_building",
            "location_room",
            "location_shelf",
            "location_box",
            "parties",
            "legacy_numbers",
            "status_history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]
        # Uniqueness of the number in its court is the service's rule, checked with a clear message.
        validators = []

    def build(self, instance=None):
        """The case file with this request's values and children set, not yet saved."""
        data = dict(self.validated_data)
        parties = data.pop("parties", None)
        legacy_numbers = data.pop("legacy_numbers", None)
        case_file = instance or CaseFile()
        for name, value in data.items():
            setattr(case_file, name, value)
        if parties is not None:
            case_file.parties = [Party(**party) for party in parties]
        if legacy_numbers is not None:
            case_file.legacy_numbers = [LegacyNumber(**legacy) for legacy in legacy_numbers]
        return case_file


class ChangeStatusSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField()
    effective_on = serializers.DateField(required=False, allow_null=True)


class VersionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)
    document = serializers.PrimaryKeyRelatedField(read_only=True)
    reverted_from = serializers.PrimaryKeyRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "id",
            "document",
            "number",
            "original_name",
            "media_type",
            "size",
            "sha256",
            "author",
            "created_at",
            "change_note",
            "reverted_from",
            "download_url",
        ]

    def get_download_url(self, version) -> str:
        return reverse("records:download_version", args=[version.pk])


class DocumentSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=CaseFile.objects.all(), required=False, allow_null=True)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=Language.choices), required=False)
    is_declared = serializers.BooleanField(read_only=True)
    declared_by = serializers.CharField(source="declared_by.get_username", read_only=True, default=None)
    current_version = serializers.SerializerMethodField()
    # On registration only: the first file, registered as version 1 in the same transaction.
    file = serializers.FileField(write_only=True, required=False, allow_empty_file=True)
    file_name = serializers.CharField(
        write_only=True, required=False, help_text="The name to record for the file, when it differs from its own."
    )
    change_note = serializers.CharField(write_only=True, required=False, allow_blank=True)

    UPLOAD_FIELDS = ("file", "file_name", "change_note")

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "languages",
            "document_date",
            "created_at",
            "is_declared",
            "declared_at",
            "declared_by",
            "current_version",
            "file",
            "file_name",
            "change_note",
        ]
        read_only_fields = ["created_at", "declared_at"]
        validators = []

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_current_version(self, document):
        versions = sorted(document.versions.all(), key=lambda version: version.number)
        return VersionSerializer(versions[-1]).data if versions else None


class VersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    file_name = serializers.CharField(
        required=False,
        help_text="The name to record for the file, when it differs from the uploaded file's own name.",
    )
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class RevertSerializer(serializers.Serializer):
    version = serializers.UUIDField(help_text="The id of the earlier version to make current again.")
    change_note = serializers.CharField(required=False, allow_blank=True, default="")
