"""/api/v1/meetings/ and /api/v1/meeting-actions/."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import DisplayField, IdentityUrlField
from scrutiny.files import download_response, open_stored

from .. import selectors, services
from ..filters import MeetingActionFilter, MeetingFilter
from ..models import (
    ActionStatus,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingStatus,
    MeetingType,
    SharedRisk,
)
from ..policies import meeting_policy, risk_policy
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    BodyField,
    BodyUserBriefSerializer,
    BodyUserField,
    CooperationViewSet,
    delete_reason,
    error_responses,
    get_or_404,
    today,
    version_field,
)

# Representations -----------------------------------------------------------------------------


class MeetingTypeBriefSerializer(serializers.ModelSerializer):
    frequency_display = DisplayField(source="get_frequency_display")

    class Meta:
        model = MeetingType
        fields = ["id", "code", "name", "frequency", "frequency_display"]
        read_only_fields = fields


class AttendeeSerializer(serializers.Serializer):
    body = BodyField(source="agency", help_text="CI or HIS.")
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MeetingFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    uploaded_by = BodyUserBriefSerializer(read_only=True)

    class Meta:
        model = MeetingAttachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "description",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment: MeetingAttachment) -> str:
        from django.urls import reverse

        path = reverse(
            "meetings-file-download",
            kwargs={"pk": attachment.meeting_id, "file_id": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ActionSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="meeting-actions-detail")
    owner_details = BodyUserBriefSerializer(source="owner", read_only=True)
    meeting_title = DisplayField(source="meeting.__str__")
    status_display = DisplayField(source="get_status_display")
    overdue = serializers.SerializerMethodField(help_text="Past its due date and not done.")

    class Meta:
        model = MeetingAction
        fields = [
            "id",
            "url",
            "meeting",
            "meeting_title",
            "description",
            "owner",
            "owner_details",
            "due_on",
            "status",
            "status_display",
            "completed_on",
            "notes",
            "overdue",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, action_: MeetingAction) -> bool:
        return selectors.action_overdue(action_, today())


class MeetingListSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="meetings-detail")
    meeting_type_details = MeetingTypeBriefSerializer(source="meeting_type", read_only=True)
    raised_by = BodyField(read_only=True, help_text="The body that arranged it.")
    status_display = DisplayField(source="get_status_display")
    name = DisplayField(source="__str__")
    open_actions = serializers.IntegerField(read_only=True, help_text="Actions not yet done.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "name",
            "meeting_type",
            "meeting_type_details",
            "held_on",
            "status",
            "status_display",
            "raised_by",
            "title",
            "location",
            "open_actions",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingSerializer(MeetingListSerializer):
    agenda_items = serializers.ListField(child=serializers.CharField(), read_only=True)
    attendees = serializers.SerializerMethodField()
    risks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    actions = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields,
            "agenda",
            "agenda_items",
            "minutes",
            "attendees",
            "risks",
            "actions",
            "files",
        ]
        read_only_fields = fields

    @extend_schema_field(AttendeeSerializer(many=True))
    def get_attendees(self, meeting: Meeting) -> list[dict]:
        return AttendeeSerializer(selectors.current_attendees(meeting), many=True).data

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, meeting: Meeting) -> list[dict]:
        actions = meeting.actions.filter(archived_at__isnull=True).select_related(
            "owner__agency", "meeting__meeting_type"
        )
        return ActionSerializer(actions, many=True, context=self.context).data

    @extend_schema_field(MeetingFileSerializer(many=True))
    def get_files(self, meeting: Meeting) -> list[dict]:
        files = meeting.attachments.filter(archived_at__isnull=True).select_related(
            "uploaded_by__agency"
        )
        return MeetingFileSerializer(files, many=True, context=self.context).data


# Inputs --------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class _RiskField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return risk_policy.visible(
            self.context["request"].user, SharedRisk.objects.filter(archived_at__isnull=True)
        )


class MeetingInputSerializer(serializers.Serializer):
    meeting_type = serializers.PrimaryKeyRelatedField(
        queryset=MeetingType.objects.filter(archived_at__isnull=True)
    )
    held_on = serializers.DateField()
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    raised_by = BodyField(help_text="The body that arranged it: CI or HIS.")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True, help_text="One item a line.")
    minutes = serializers.CharField(required=False, allow_blank=True)
    attendees = AttendeeSerializer(many=True, required=False)
    risks = _RiskField(many=True, required=False, help_text="Ids of shared risks considered.")


class MeetingUpdateSerializer(MeetingInputSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


def _attendees(data: dict) -> list[services.Attendee] | None:
    if "attendees" not in data:
        return None
    return [services.Attendee(a["agency"], a["name"], a.get("role", "")) for a in data["attendees"]]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


FILE_ID = OpenApiParameter("file_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        summary="List meetings",
        description="Meetings between the bodies, newest first. Archived ones are left out "
        "unless `archived=true`.",
    ),
    retrieve=extend_schema(
        summary="A meeting",
        description="With its attendees from each body, agenda, minutes, files and actions.",
    ),
    create=extend_schema(
        summary="Record a meeting",
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a meeting",
        description="Send `version` and the fields to change. `attendees` replaces the list.",
        request=MeetingUpdateSerializer,
        responses={200: MeetingSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a meeting",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: MeetingSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class MeetingViewSet(CooperationViewSet):
    model = Meeting
    filterset_class = MeetingFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        return MeetingListSerializer if self.action == "list" else MeetingSerializer

    def fetch(self, pk: Any) -> Meeting:
        return get_or_404(selectors.meeting_list(user=self.request.user, include_archived=True), pk)

    def create(self, request: Request) -> Response:
        data = self.input(MeetingInputSerializer)
        attendees = _attendees(data)
        data.pop("attendees", None)
        meeting = services.meeting_create(by=request.user, attendees=attendees, **data)
        return self.respond(meeting.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self.input(MeetingUpdateSerializer)
        version = data.pop("version")
        attendees = _attendees(data)
        data.pop("attendees", None)
        risks = data.pop("risks", None)
        services.meeting_update(
            meeting=meeting,
            by=request.user,
            expected_version=version,
            changes=data,
            attendees=attendees,
            risks=risks,
        )
        return self.respond(meeting.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        services.meeting_archive(
            meeting=meeting,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(meeting.pk)

    @extend_schema(
        summary="Upload minutes or papers",
        description="A multipart upload, checked by its content (PDF, Word, Excel, PowerPoint, "
        "OpenDocument, plain text, CSV, PNG or JPEG).",
        request={"multipart/form-data": UploadSerializer},
        responses={201: MeetingFileSerializer, **error_responses(400, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def files(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = self.input(UploadSerializer)
        attachment = services.meeting_attachment_upload(
            meeting=meeting,
            by=request.user,
            upload=data["file"],
            description=data.get("description", ""),
        )
        return Response(
            MeetingFileSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Download a meeting's file",
        description="Checked against who may see the meeting; every download is recorded.",
        parameters=[FILE_ID],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<file_id>[0-9]+)/download",
        url_name="file-download",
        filter_backends=[],
        pagination_class=None,
    )
    def file_download(self, request: Request, pk: Any = None, file_id: Any = None):
        meeting = self.get_object()
        attachment = selectors.attachment_get(user=request.user, pk=file_id)
        if attachment.meeting_id != meeting.pk or attachment.archived_at is not None:
            raise Http404
        handle = open_stored(attachment.file)
        services.meeting_attachment_download_record(
            attachment=attachment, by=request.user, via="api"
        )
        return download_response(
            handle, filename=attachment.original_name, content_type=attachment.content_type
        )


# Meeting actions -----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class _MeetingField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return meeting_policy.visible(
            self.context["request"].user, Meeting.objects.filter(archived_at__isnull=True)
        )


class ActionInputSerializer(serializers.Serializer):
    meeting = _MeetingField(help_text="Id of the meeting that agreed it.")
    description = serializers.CharField(max_length=500)
    owner = BodyUserField(help_text="User id of the owner (someone at CI or HIS).")
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="For a done action; today if not given."
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class ActionUpdateSerializer(ActionInputSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["meeting"]  # an action stays with its meeting
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


@extend_schema_view(
    list=extend_schema(
        summary="List meeting actions",
        description="Actions agreed at meetings, soonest due first, with `overdue`.",
    ),
    retrieve=extend_schema(summary="A meeting action"),
    create=extend_schema(
        summary="Add an action to a meeting",
        request=ActionInputSerializer,
        responses={201: ActionSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an action or its status",
        description="Send `version` and the fields to change, for example `status`.",
        request=ActionUpdateSerializer,
        responses={200: ActionSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive an action",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: ActionSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class MeetingActionViewSet(CooperationViewSet):
    model = MeetingAction
    serializer_class = ActionSerializer
    filterset_class = MeetingActionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def fetch(self, pk: Any) -> MeetingAction:
        return get_or_404(selectors.action_list(user=self.request.user, include_archived=True), pk)

    def create(self, request: Request) -> Response:
        data = self.input(ActionInputSerializer)
        created = services.action_create(by=request.user, **data)
        return self.respond(created.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        action_ = self.get_object()
        data = self.input(ActionUpdateSerializer)
        version = data.pop("version")
        services.action_update(
            action=action_, by=request.user, expected_version=version, changes=data
        )
        return self.respond(action_.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        action_ = self.get_object()
        services.action_archive(
            action=action_,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(action_.pk)
