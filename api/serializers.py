from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records import access
from records.languages import Language
from records.lifecycle import Status
from records.models import (
    Assignment,
    CaseFile,
    CaseType,
    Document,
    Institution,
    LegacyNumber,
    Level,
    Mark,
    Party,
    StatusChange,
    Version,
)


class InstitutionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

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
    """A case file with its parties and legacy numbers; given lists replace the stored ones.

    `level` and `marks` are asked for on registration (within one's clearance; the case type and a child
    party may raise them); afterwards they change through `classify/`.
    """

    marks = serializers.SlugRelatedField(slug_field="code", queryset=Mark.objects.all(), many=True, required=False)

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
            "marks",
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
        data.pop("marks", None)
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


class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """A case named by id; one the caller may not see is refused exactly as one that does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return access.visible_cases(request.user if request else None)


class DocumentSerializer(serializers.ModelSerializer):
    case = VisibleCaseField(required=False, allow_null=True)
    level = serializers.CharField(read_only=True, help_text="Its own level when more restricted than its case.")
    marks = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
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
            "level",
            "marks",
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


class ClassifySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    marks = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    court_order = serializers.CharField(required=False, allow_blank=True, default="")
    declassify = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, allow_as_case=False, **kwargs):
        super().__init__(*args, **kwargs)
        if allow_as_case:
            self.fields["level"] = serializers.ChoiceField(
                choices=[("", "As its case"), *Level.choices], allow_blank=True
            )


class ClassificationSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    level = serializers.CharField(read_only=True)
    marks = serializers.SerializerMethodField()

    def get_marks(self, item) -> list[str]:
        return sorted(item.marks.values_list("code", flat=True))


class AssignSerializer(serializers.Serializer):
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    group = serializers.SlugRelatedField(slug_field="name", queryset=Group.objects.all(), required=False, allow_null=True)

    def validate(self, values):
        if bool(values.get("user")) == bool(values.get("group")):
            raise serializers.ValidationError("Give either a user or a group.")
        return values


class AssignmentSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", read_only=True, default=None)
    group = serializers.CharField(source="group.name", read_only=True, default=None)
    assigned_by = serializers.CharField(source="assigned_by.get_username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["user", "group", "assigned_by", "assigned_at"]
