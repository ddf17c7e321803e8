"""/api/v1/no-surprises-notices/: notices with their derived lead time and flags, and the
summary per quarter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import DisplayField, IdentityUrlField

from .. import rules, selectors, services
from ..filters import NoticeFilter
from ..models import CommitmentType, NoSurprisesNotice, NoticeKind
from .common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    BodyField,
    CooperationViewSet,
    delete_reason,
    error_responses,
    get_or_404,
    today,
    version_field,
)


class NoticeFlagsSerializer(serializers.Serializer):
    lead_time = serializers.IntegerField(
        allow_null=True,
        help_text="Planned date minus date told, in working days (weekends and Scottish public "
        "holidays excluded); negative when told after the event; null until told.",
    )
    tell_by = serializers.DateField(
        help_text="The last day to tell the other body with the minimum lead time."
    )
    late = serializers.BooleanField(
        help_text="Less than the minimum lead time, or told after the event, and not urgent."
    )
    told_after_event = serializers.BooleanField()
    short_notice = serializers.BooleanField()
    urgent = serializers.BooleanField()
    awaiting_acknowledgement = serializers.BooleanField(
        help_text="Told, and not acknowledged within the working days allowed."
    )
    flagged = serializers.BooleanField()


class NoticeSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="no-surprises-notices-detail")
    raised_by = BodyField(read_only=True)
    kind_display = DisplayField(source="get_kind_display")
    flags = serializers.SerializerMethodField()

    class Meta:
        model = NoSurprisesNotice
        fields = [
            "id",
            "url",
            "raised_by",
            "kind",
            "kind_display",
            "commitment_type",
            "subject",
            "details",
            "planned_on",
            "told_on",
            "told_whom",
            "acknowledged_on",
            "outcome",
            "urgent",
            "urgent_reason",
            "flags",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @staticmethod
    def _flags(notice: NoSurprisesNotice) -> rules.NoticeFlags:
        return getattr(notice, "flags", None) or selectors.notice_flags(notice, today())

    @extend_schema_field(NoticeFlagsSerializer)
    def get_flags(self, notice: NoSurprisesNotice) -> dict:
        flags = self._flags(notice)
        return {
            "lead_time": flags.lead_time,
            "tell_by": flags.tell_by,
            "late": flags.late,
            "told_after_event": flags.told_after_event,
            "short_notice": flags.short_notice,
            "urgent": flags.urgent,
            "awaiting_acknowledgement": flags.awaiting_acknowledgement,
            "flagged": flags.flagged,
        }


class NoticeInputSerializer(serializers.Serializer):
    raised_by = BodyField(help_text="The body telling the other: CI or HIS.")
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    commitment_type = serializers.ChoiceField(
        choices=CommitmentType.choices, required=False, allow_blank=True
    )
    subject = serializers.CharField(max_length=300)
    details = serializers.CharField(required=False, allow_blank=True)
    planned_on = serializers.DateField(help_text="The date of the announcement or commitment.")
    told_on = serializers.DateField(required=False, allow_null=True)
    told_whom = serializers.CharField(max_length=300, required=False, allow_blank=True)
    acknowledged_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    urgent = serializers.BooleanField(
        required=False,
        help_text="Urgent action taken before the other body could be told: recorded after "
        "the event, it counts as urgent rather than late. Needs `urgent_reason`.",
    )
    urgent_reason = serializers.CharField(required=False, allow_blank=True)


class NoticeUpdateSerializer(NoticeInputSerializer):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class QuarterSummarySerializer(serializers.Serializer):
    quarter = serializers.CharField(source="period.label", help_text="For example Q1 2025/26.")
    starts_on = serializers.DateField(source="period.starts_on")
    ends_on = serializers.DateField(source="period.ends_on")
    by_body = serializers.DictField(
        child=serializers.IntegerField(), help_text="Notices raised, by body code."
    )
    total = serializers.IntegerField()
    told = serializers.IntegerField()
    median_lead_time = serializers.FloatField(allow_null=True)
    late = serializers.IntegerField()
    unacknowledged = serializers.IntegerField()
    urgent = serializers.IntegerField()


class SummaryQuerySerializer(serializers.Serializer):
    first_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    last_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)

    def validate(self, attrs):
        first, last = attrs.get("first_year"), attrs.get("last_year")
        if first and last and last < first:
            raise serializers.ValidationError(
                {"last_year": ["The last year cannot be before the first."]}
            )
        return attrs


YEAR_PARAMETERS = [
    OpenApiParameter(
        "first_year",
        OpenApiTypes.INT,
        description="First financial year, by the year it starts (2025 is 2025/26). "
        "Default: last year.",
    ),
    OpenApiParameter(
        "last_year",
        OpenApiTypes.INT,
        description="Last financial year, by the year it starts. Default: this year.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List no-surprises notices",
        description="Latest planned date first, each with its lead time and flags as today. "
        "Late: less than the minimum lead time (setting NO_SURPRISES_MIN_LEAD_DAYS, default "
        "10 working days) or told after the event, unless urgent.",
    ),
    retrieve=extend_schema(summary="A no-surprises notice"),
    create=extend_schema(
        summary="Record a no-surprises notice",
        description="Before or after the event: one recorded after the event and marked urgent "
        "counts as urgent, not late.",
        request=NoticeInputSerializer,
        responses={201: NoticeSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a notice",
        description="Send `version` and the fields to change, for example `acknowledged_on`.",
        request=NoticeUpdateSerializer,
        responses={200: NoticeSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a notice",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: NoticeSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class NoticeViewSet(CooperationViewSet):
    model = NoSurprisesNotice
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def fetch(self, pk: Any) -> NoSurprisesNotice:
        return get_or_404(selectors.notice_list(user=self.request.user, include_archived=True), pk)

    def create(self, request: Request) -> Response:
        data = self.input(NoticeInputSerializer)
        notice = services.notice_create(by=request.user, **data)
        return self.respond(notice.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        notice = self.get_object()
        data = self.input(NoticeUpdateSerializer)
        version = data.pop("version")
        services.notice_update(
            notice=notice, by=request.user, expected_version=version, changes=data
        )
        return self.respond(notice.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        notice = self.get_object()
        services.notice_archive(
            notice=notice,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self.respond(notice.pk)

    @extend_schema(
        summary="Notices per quarter",
        description="Per financial quarter (by planned date), latest first: notices raised by "
        "each body, the median lead time of those told, and how many are late, awaiting "
        f"acknowledgement (after NO_SURPRISES_ACK_DAYS, default "
        f"{settings.NO_SURPRISES_ACK_DAYS}, working days) or urgent.",
        parameters=YEAR_PARAMETERS,
        responses={200: QuarterSummarySerializer(many=True), **error_responses(400)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request) -> Response:
        query = SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        quarters = selectors.notice_summary(user=request.user, **query.validated_data)
        return Response(QuarterSummarySerializer(quarters, many=True).data)
