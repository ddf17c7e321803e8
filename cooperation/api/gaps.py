"""/api/v1/cooperation/meeting-gaps/: periods with no meeting held, computed from the data."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import MeetingType
from ..rules import PERIOD_KINDS
from .common import error_responses
from .meetings import MeetingTypeBriefSerializer


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PERIOD_KINDS)
    label = serializers.CharField(help_text="For example Q3 2024/25, or 2024/25 for a year.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class MeetingGapSerializer(serializers.Serializer):
    meeting_type = MeetingTypeBriefSerializer()
    period = PeriodSerializer()
    current = serializers.BooleanField(
        help_text="The period is still running, ends soon and has no meeting booked."
    )
    days_left = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()


class GapQuerySerializer(serializers.Serializer):
    first_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    last_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    meeting_type = serializers.PrimaryKeyRelatedField(
        queryset=MeetingType.objects.all(), required=False
    )

    def validate(self, attrs):
        first, last = attrs.get("first_year"), attrs.get("last_year")
        if first and last and last < first:
            raise serializers.ValidationError(
                {"last_year": ["The last year cannot be before the first."]}
            )
        return attrs


class MeetingGapsView(APIView):
    @extend_schema(
        summary="Meeting gaps",
        description="For each meeting type expected every quarter or once a year, the periods "
        "(financial quarters or years, from 1 April) with no meeting held, latest first; and "
        "the current period when it ends within MEETING_GAP_WARNING_DAYS (default "
        f"{settings.MEETING_GAP_WARNING_DAYS}) days with none booked. Computed from the "
        "meetings, never stored.",
        parameters=[
            OpenApiParameter(
                "first_year",
                OpenApiTypes.INT,
                description="First financial year, by the year it starts (2024 is 2024/25). "
                "Default: last year.",
            ),
            OpenApiParameter(
                "last_year",
                OpenApiTypes.INT,
                description="Last financial year, by the year it starts. Default: this year.",
            ),
            OpenApiParameter("meeting_type", OpenApiTypes.INT, description="A meeting type's id."),
        ],
        responses={200: MeetingGapSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        query = GapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        gaps = selectors.meeting_gaps(user=request.user, **query.validated_data)
        return Response(MeetingGapSerializer(gaps, many=True).data)
