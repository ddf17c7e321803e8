"""Representations of inspections (what each caller may see of one) and the inputs that
plan, change and move them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.api import AgencyBriefSerializer
from accounts.models import User
from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny.api import VERSION_REQUIRED_MESSAGE
from scrutiny.api_fields import DisplayField, IdentityUrlField

from .. import selectors
from ..models import (
    Inspection,
    InspectionStatus,
    Milestone,
    Programme,
    QualityIndicator,
    StatusChange,
    TeamMember,
    TeamRole,
)
from ..selectors import InspectionOverview
from .common import (
    PartnershipBriefSerializer,
    ProgrammeBriefSerializer,
    QualityIndicatorBriefSerializer,
    UserBriefSerializer,
    refuse_fields,
)

USE_TRANSITION = "Change the status with POST /api/v1/inspections/{id}/transition/."
FIXED_AFTER_PLANNING = "This cannot be changed once the inspection is planned."
MOVE_OR_COMPLETE = (
    "Send due_on (with a reason) to move the milestone, or completed_on to mark it done "
    "(null to mark it not done)."
)
ONE_CHANGE_AT_A_TIME = "Move the milestone or mark it done, not both at once."
REASON_ONLY_WITH_MOVE = "A reason goes with a new due_on."

NULL_FOR_PUBLISHED_ONLY = (
    "Null for users who may see only the published inspection (they get its published facts)."
)


class TeamMemberSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(read_only=True)
    agency = AgencyBriefSerializer(source="user.agency", read_only=True)
    role_display = DisplayField(source="get_role_display")
    conflict_display = DisplayField(source="get_conflict_display")
    decision_display = DisplayField(source="get_decision_display")

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "user",
            "agency",
            "role",
            "role_display",
            "conflict",
            "conflict_display",
            "decision",
            "decision_display",
        ]
        read_only_fields = fields


class NextStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InspectionStatus.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    ready = serializers.BooleanField(read_only=True, help_text="True when nothing is unmet.")
    unmet = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Every condition still to be met before the inspection can move there.",
    )


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status_display = DisplayField(source="get_from_status_display")
    to_status_display = DisplayField(source="get_to_status_display")
    changed_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = [
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "changed_on",
            "changed_by",
            "reason",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    stage_display = DisplayField(source="get_stage_display")
    state = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "stage",
            "stage_display",
            "name",
            "offset_weeks",
            "planned_due_on",
            "due_on",
            "completed_on",
            "order",
            "state",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["done", "overdue", "due"]))
    def get_state(self, milestone: Milestone) -> str:
        return selectors.milestone_state(milestone, timezone.localdate())


@extend_schema_field(UserBriefSerializer(allow_null=True))
class _LeadInspectorField(UserBriefSerializer):
    """The lead inspector: from the context's overview (one inspection), else the `leads` the
    list selector prefetched. One serializer for every row of a list, so its fields are built
    once per response, not once per inspection."""

    def get_attribute(self, inspection: Inspection) -> User | None:
        overview: InspectionOverview | None = self.context.get("overview")
        if overview is not None:
            lead = overview.lead
        else:
            leads = getattr(inspection, "leads", None)
            if leads is None:  # not prefetched by the selector
                leads = list(
                    inspection.team.filter(
                        role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
                    ).select_related("user")
                )
            lead = leads[0] if leads else None
        return lead.user if lead else None


class InspectionListSerializer(serializers.ModelSerializer):
    """What every list shows, the same for everyone who may see the inspection."""

    url = IdentityUrlField(view_name="inspections-detail")
    programme_details = ProgrammeBriefSerializer(source="programme", read_only=True)
    partnership_details = PartnershipBriefSerializer(source="partnership", read_only=True)
    lead_agency = AgencyBriefSerializer(read_only=True)
    status_display = DisplayField(source="get_status_display")
    lead_inspector = _LeadInspectorField(read_only=True, allow_null=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "url",
            "title",
            "programme",
            "programme_details",
            "partnership",
            "partnership_details",
            "theme",
            "lead_agency",
            "status",
            "status_display",
            "planned_notification_on",
            "notified_on",
            "fieldwork_starts_on",
            "fieldwork_ends_on",
            "published_on",
            "lead_inspector",
            "version",
            "archived_at",
        ]
        read_only_fields = fields


class InspectionSerializer(InspectionListSerializer):
    """One inspection, with what this caller may see of it.

    Everyone who may see it gets its published facts. Those who may see the unpublished work
    (the team, the partnership's link inspector, senior staff of the agencies involved,
    administrators) also get the team, the status history and the summary. The lead inspector
    and administrators also get the statuses it may move to next and what each still needs."""

    quality_indicator_details = serializers.SerializerMethodField()
    can_see_drafts = serializers.SerializerMethodField(
        help_text="Whether you may see the unpublished work (team, milestones, history)."
    )
    can_change = serializers.SerializerMethodField(help_text="Whether you may edit it.")
    can_lead = serializers.SerializerMethodField(
        help_text="Whether you may move it through its lifecycle (the lead inspector or an "
        "administrator)."
    )
    can_view_evidence = serializers.SerializerMethodField(
        help_text="Whether you may see its evidence activities (cleared team members only)."
    )
    summary = serializers.SerializerMethodField()
    status_reason = serializers.SerializerMethodField(
        help_text="Why it was suspended or withdrawn. " + NULL_FOR_PUBLISHED_ONLY
    )
    suspended_from = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField(help_text=NULL_FOR_PUBLISHED_ONLY)
    next_statuses = serializers.SerializerMethodField(
        help_text="Where it may move next, with every unmet condition for each. Null unless "
        "you may lead it."
    )
    status_changes = serializers.SerializerMethodField(
        help_text="Its lifecycle so far, oldest first. " + NULL_FOR_PUBLISHED_ONLY
    )
    milestones_url = serializers.SerializerMethodField(help_text=NULL_FOR_PUBLISHED_ONLY)

    class Meta(InspectionListSerializer.Meta):
        fields = [
            *InspectionListSerializer.Meta.fields,
            "status_changed_on",
            "status_reason",
            "suspended_from",
            "quality_indicators",
            "quality_indicator_details",
            "summary",
            "can_see_drafts",
            "can_change",
            "can_lead",
            "can_view_evidence",
            "team",
            "next_statuses",
            "status_changes",
            "milestones_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _overview(self) -> InspectionOverview | None:
        return self.context.get("overview")

    def _drafts(self) -> InspectionOverview | None:
        overview = self._overview()
        return overview if overview is not None and overview.can_see_drafts else None

    @extend_schema_field(QualityIndicatorBriefSerializer(many=True))
    def get_quality_indicator_details(self, inspection: Inspection) -> list[dict]:
        overview = self._overview()
        indicators = (
            overview.indicators
            if overview is not None
            else inspection.quality_indicators.order_by("order", "number")
        )
        return QualityIndicatorBriefSerializer(indicators, many=True).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_see_drafts(self, inspection: Inspection) -> bool:
        return self._drafts() is not None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_change(self, inspection: Inspection) -> bool:
        overview = self._overview()
        return bool(overview and overview.can_change)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_lead(self, inspection: Inspection) -> bool:
        overview = self._overview()
        return bool(overview and overview.can_lead)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_view_evidence(self, inspection: Inspection) -> bool:
        overview = self._overview()
        return bool(overview and overview.can_view_evidence)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=NULL_FOR_PUBLISHED_ONLY))
    def get_summary(self, inspection: Inspection) -> str | None:
        return inspection.summary if self._drafts() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_reason(self, inspection: Inspection) -> str | None:
        return inspection.status_reason if self._drafts() else None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True,
            help_text="While suspended: the status it resumes to. " + NULL_FOR_PUBLISHED_ONLY,
        )
    )
    def get_suspended_from(self, inspection: Inspection) -> str | None:
        return inspection.suspended_from if self._drafts() else None

    @extend_schema_field(TeamMemberSerializer(many=True, allow_null=True))
    def get_team(self, inspection: Inspection) -> list[dict] | None:
        drafts = self._drafts()
        return TeamMemberSerializer(drafts.team, many=True).data if drafts else None

    @extend_schema_field(NextStatusSerializer(many=True, allow_null=True))
    def get_next_statuses(self, inspection: Inspection) -> list[dict] | None:
        drafts = self._drafts()
        if drafts is None or not drafts.can_lead:
            return None
        return NextStatusSerializer(drafts.next_steps, many=True).data

    @extend_schema_field(StatusChangeSerializer(many=True, allow_null=True))
    def get_status_changes(self, inspection: Inspection) -> list[dict] | None:
        drafts = self._drafts()
        return StatusChangeSerializer(drafts.status_changes, many=True).data if drafts else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_milestones_url(self, inspection: Inspection) -> str | None:
        if not self._drafts():
            return None
        path = reverse("inspections-milestones", kwargs={"pk": inspection.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.INT)
class _VisiblePartnershipField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> models.QuerySet[Partnership]:
        return partnership_policy.visible(self.context["request"].user, Partnership.objects.all())


class InspectionCreateSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.filter(archived_at__isnull=True)
    )
    partnership = _VisiblePartnershipField()
    title = serializers.CharField(max_length=300)
    theme = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Left blank: the programme's theme.",
    )
    planned_notification_on = serializers.DateField(required=False, allow_null=True)
    fieldwork_starts_on = serializers.DateField(required=False, allow_null=True)
    fieldwork_ends_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    quality_indicators = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=QualityIndicator.objects.filter(archived_at__isnull=True),
        help_text="Ids of the indicators in scope, from the programme's framework.",
    )
    lead_inspector = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id of the lead inspector, who joins the team.",
    )


class InspectionUpdateSerializer(serializers.Serializer):
    """Only the fields sent are changed; `version` is required."""

    title = serializers.CharField(max_length=300, required=False)
    theme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_notification_on = serializers.DateField(required=False, allow_null=True)
    fieldwork_starts_on = serializers.DateField(required=False, allow_null=True)
    fieldwork_ends_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    quality_indicators = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=QualityIndicator.objects.filter(archived_at__isnull=True),
        help_text="Replaces the indicators in scope.",
    )
    version = serializers.IntegerField(
        min_value=1,
        error_messages={"required": VERSION_REQUIRED_MESSAGE},
        help_text="The version you are changing, as read from the inspection.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(
            self.initial_data,
            {
                "status": USE_TRANSITION,
                "programme": FIXED_AFTER_PLANNING,
                "partnership": FIXED_AFTER_PLANNING,
            },
        )
        return attrs


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=InspectionStatus.choices, help_text="The status to move to."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (needed to suspend or withdraw); kept on the status history.",
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="When it happened (default: today)."
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="If sent, the move happens only if the inspection is still at this version.",
    )


TRANSITION_REFUSED = inline_serializer(
    "TransitionRefused",
    fields={
        "status": serializers.ListField(
            child=serializers.CharField(),
            required=False,  # absent when the refusal is another field's error
            help_text="Every reason the move is refused: not a move the lifecycle allows from "
            "the current status, or each condition of the stage still unmet.",
        )
    },
)


class MilestoneChangeSerializer(serializers.Serializer):
    due_on = serializers.DateField(required=False, help_text="Move it: the new due date.")
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why it is moving (needed with due_on)."
    )
    completed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Mark it done on this date, or null to mark it not done.",
    )
    version = serializers.IntegerField(
        min_value=1,
        error_messages={"required": VERSION_REQUIRED_MESSAGE},
        help_text="The milestone's version, as read.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        moving, completing = "due_on" in attrs, "completed_on" in attrs
        if moving and completing:
            raise serializers.ValidationError(ONE_CHANGE_AT_A_TIME)
        if not (moving or completing):
            raise serializers.ValidationError(MOVE_OR_COMPLETE)
        if completing and attrs.get("reason"):
            raise serializers.ValidationError({"reason": [REASON_ONLY_WITH_MOVE]})
        return attrs
