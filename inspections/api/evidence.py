"""/api/v1/evidence-activities/ and /api/v1/attachments/: for cleared team members only."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from partnerships.filters import StableOrderingFilter
from scrutiny.api import VERSION_REQUIRED_MESSAGE, ArchiveOnDeleteMixin
from scrutiny.files import download_response, open_stored

from .. import selectors, services
from ..filters import AttachmentFilter, EvidenceActivityFilter
from ..models import Attachment, EvidenceActivity, EvidenceKind, EvidenceStatus, Inspection
from ..policies import evidence_policy, inspection_policy
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    AttachmentBriefSerializer,
    UserBriefSerializer,
    check_version,
    delete_reason,
    error_responses,
    refuse,
    refuse_fields,
)

FIXED_INSPECTION = "An evidence activity stays with the inspection it was recorded for."

# Evidence ------------------------------------------------------------------------------------


class EvidenceActivitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="evidence-activities-detail")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    carried_out_by_details = UserBriefSerializer(source="carried_out_by", many=True, read_only=True)
    attachments = serializers.SerializerMethodField(help_text="Its files (not archived).")

    class Meta:
        model = EvidenceActivity
        fields = [
            "id",
            "url",
            "inspection",
            "kind",
            "kind_display",
            "title",
            "starts_on",
            "ends_on",
            "carried_out_by",
            "carried_out_by_details",
            "notes",
            "status",
            "status_display",
            "attachments",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(AttachmentBriefSerializer(many=True))
    def get_attachments(self, activity: EvidenceActivity) -> list[dict]:
        files = [a for a in activity.attachments.all() if a.archived_at is None]
        return AttachmentBriefSerializer(files, many=True, context=self.context).data


@extend_schema_field(OpenApiTypes.INT)
class _EvidenceInspectionField(serializers.PrimaryKeyRelatedField):
    """Only inspections whose evidence the caller may see; any other id does not exist."""

    def get_queryset(self) -> models.QuerySet[Inspection]:
        return inspection_policy.inspections_with_evidence(self.context["request"].user)


class _EvidenceFields(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=EvidenceStatus.choices, required=False)
    carried_out_by = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True),
        help_text="User ids of who carries it out (default on create: you).",
    )


class EvidenceActivityCreateSerializer(_EvidenceFields):
    inspection = _EvidenceInspectionField(help_text="Id of an inspection you are cleared on.")


class EvidenceActivityUpdateSerializer(_EvidenceFields):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(self.initial_data, {"inspection": FIXED_INSPECTION})
        return attrs


EVIDENCE_VISIBILITY = (
    " Only team members cleared to see the inspection's evidence see it: for anyone else a "
    "list is empty and a record is a 404."
)


@extend_schema_view(
    list=extend_schema(summary="List evidence activities", description=EVIDENCE_VISIBILITY),
    retrieve=extend_schema(summary="An evidence activity", description=EVIDENCE_VISIBILITY),
    create=extend_schema(
        summary="Record an evidence activity",
        description="For an inspection you are on the team of and cleared for."
        + EVIDENCE_VISIBILITY,
        request=EvidenceActivityCreateSerializer,
        responses={201: EvidenceActivitySerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an evidence activity",
        description="Send `version` and the fields to change (for example `status`).",
        request=EvidenceActivityUpdateSerializer,
        responses={200: EvidenceActivitySerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an evidence activity",
        description="It leaves lists but is never deleted.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: EvidenceActivitySerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class EvidenceActivityViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = EvidenceActivitySerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = EvidenceActivityFilter
    ordering_fields = ["starts_on", "ends_on", "title", "kind", "status", "created_at"]
    ordering = ["inspection_id", "starts_on"]

    def get_queryset(self) -> models.QuerySet[EvidenceActivity]:
        # Lists are the selector's queryset, built by the filterset from the query string.
        return EvidenceActivity.objects.none()

    def get_object(self) -> EvidenceActivity:
        return selectors.evidence_activity_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        activity = selectors.evidence_activity_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(activity).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = EvidenceActivityCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        activity = services.evidence_activity_create(by=request.user, **serializer.validated_data)
        return self._detail(activity.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        activity = self.get_object()
        if not evidence_policy.can_change(request.user, activity):
            refuse(services.NOT_ALLOWED)
        serializer = EvidenceActivityUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        version = changes.pop("version")
        people = changes.pop("carried_out_by", None)
        services.evidence_activity_update(
            activity=activity,
            by=request.user,
            expected_version=version,
            changes=changes,
            carried_out_by=people,
        )
        return self._detail(activity.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        activity = self.get_object()
        services.evidence_activity_archive(
            activity=activity,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self._detail(activity.pk)


# Attachments ---------------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="attachments-detail")
    download_url = serializers.HyperlinkedIdentityField(view_name="attachments-download")
    inspection = serializers.IntegerField(
        source="evidence_activity.inspection_id",
        read_only=True,
        help_text="Id of the inspection.",
    )
    uploaded_by = UserBriefSerializer(read_only=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "url",
            "download_url",
            "evidence_activity",
            "inspection",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "version",
            "archived_at",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class _VisibleEvidenceField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> models.QuerySet[EvidenceActivity]:
        return selectors.evidence_activity_list(user=self.context["request"].user)


class AttachmentUploadSerializer(serializers.Serializer):
    evidence_activity = _VisibleEvidenceField(help_text="Id of the evidence activity.")
    file = serializers.FileField(
        allow_empty_file=True,  # the upload check says why an empty file is refused
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, plain text, CSV, PNG or JPEG, "
        "checked by its content; within the size limit.",
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


ATTACHMENT_VISIBILITY = (
    " Like evidence, only team members cleared to see the inspection's evidence see files: "
    "for anyone else a list is empty and a file is a 404."
)


@extend_schema_view(
    list=extend_schema(summary="List attachments", description=ATTACHMENT_VISIBILITY),
    retrieve=extend_schema(
        summary="An attachment's details",
        description="Its metadata; the file itself is at `download_url`." + ATTACHMENT_VISIBILITY,
    ),
    create=extend_schema(
        summary="Upload a file for an evidence activity",
        description="A multipart upload. A file of a type not accepted, one whose content does "
        "not match its name, or one too big is a 400 on `file`.",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **error_responses(400, 403)},
    ),
    destroy=extend_schema(
        summary="Archive an attachment",
        description="It leaves lists but is never deleted.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: AttachmentSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class AttachmentViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = AttachmentFilter
    ordering_fields = ["created_at", "original_name", "size"]
    ordering = ["-created_at"]

    def get_queryset(self) -> models.QuerySet[Attachment]:
        # Lists are the selector's queryset, built by the filterset from the query string.
        return Attachment.objects.none()

    def get_object(self) -> Attachment:
        return selectors.attachment_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        attachment = selectors.attachment_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(attachment).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = AttachmentUploadSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachment = services.attachment_upload(
            activity=data["evidence_activity"],
            by=request.user,
            upload=data["file"],
            description=data.get("description", ""),
        )
        return self._detail(attachment.pk, status_code=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        attachment = self.get_object()
        if not evidence_policy.can_change(request.user, attachment.evidence_activity):
            refuse(services.NOT_ALLOWED)
        check_version(attachment, self.requested_version())
        services.attachment_archive(
            attachment=attachment, by=request.user, reason=delete_reason(request)
        )
        return self._detail(attachment.pk)

    @extend_schema(
        summary="Download an attachment",
        description="The file as it was uploaded (original name, stored content type), as an "
        "attachment. Every download is recorded." + ATTACHMENT_VISIBILITY,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, with its stored content type.",
            ),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        attachment = self.get_object()
        handle = open_stored(attachment.file)
        services.attachment_download_record(attachment=attachment, by=request.user, via="api")
        return download_response(
            handle, filename=attachment.original_name, content_type=attachment.content_type
        )
