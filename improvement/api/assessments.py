"""/api/v1/support-assessments/ (each with its recommendation and the reasons for it) and
/api/v1/support-decisions/ (with `agree` and `reopen`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scrutiny.api_fields import IdentityUrlField

from .. import selectors, services
from ..models import (
    CriterionJudgement,
    ImprovementCriterion,
    ProgressReview,
    RecordStatus,
    SupportAssessment,
    SupportDecision,
)
from ..policies import assessment_policy, decision_policy
from .common import (
    NOT_ALLOWED_TO_ADD,
    ONLY_LEAD,
    DecisionAgreeSerializer,
    ImprovementViewSet,
    InspectionField,
    LevelBriefSerializer,
    LevelField,
    PartnershipField,
    VisibleField,
    changed,
    error_responses,
    make_optional,
    require,
    version_field,
)
from .filters import AssessmentFilter, DecisionFilter

FIXED_PARTNERSHIP = "An assessment stays with the partnership it was recorded for."
FIXED_ASSESSMENT = "A decision stays with the assessment it was recorded for."
STATUS_BY_ACTION = "Agree a decision with POST /api/v1/support-decisions/{id}/agree/."
DUPLICATE_CRITERION = "Judge each criterion once: {numbers} given more than once."


# Assessments -----------------------------------------------------------------------------------


class JudgementSerializer(serializers.ModelSerializer):
    criterion = serializers.SlugRelatedField(
        slug_field="number",
        queryset=ImprovementCriterion.objects.filter(archived_at__isnull=True),
        help_text='The criterion\'s number, for example "1.1".',
    )
    met = serializers.BooleanField()
    evidence = serializers.CharField(allow_blank=True, default="", help_text="Evidence note.")

    class Meta:
        model = CriterionJudgement
        fields = ["criterion", "met", "evidence"]


class ConditionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="condition.number")
    title = serializers.CharField(source="condition.title")
    criteria_met = serializers.IntegerField()
    criteria_judged = serializers.IntegerField()
    met = serializers.BooleanField()


class RecommendationSerializer(serializers.Serializer):
    level = LevelBriefSerializer(allow_null=True)
    conditions_met = serializers.IntegerField()
    conditions = ConditionResultSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    complete = serializers.BooleanField(help_text="Every criterion has been judged.")
    evaluation_level = LevelBriefSerializer(
        allow_null=True, help_text="The level the latest final evaluations signal."
    )
    evaluation_inspection = serializers.IntegerField(
        source="evaluation_inspection.pk", allow_null=True, default=None
    )
    evaluation_reasons = serializers.ListField(child=serializers.CharField())
    differs = serializers.BooleanField(help_text="The two signals differ.")
    disagreement = serializers.CharField()


@extend_schema_field(RecommendationSerializer)
class _AssessmentRecommendation(RecommendationSerializer):
    """The assessment's recommendation: from the context's `recommendations` (computed for a
    whole page at once), else computed for this assessment. One serializer for every row, so
    its fields are built once per response, not once per assessment."""

    def get_attribute(self, instance: SupportAssessment) -> Any:
        recs = self.context.get("recommendations") or {}
        if instance.pk not in recs:
            recs = selectors.recommendations([instance], user=self.context["request"].user)
        return recs[instance.pk]


class SupportAssessmentSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="support-assessments-detail")
    judgements = JudgementSerializer(many=True, read_only=True)
    recommendation = _AssessmentRecommendation(read_only=True)

    class Meta:
        model = SupportAssessment
        fields = [
            "id",
            "url",
            "partnership",
            "inspection",
            "assessed_on",
            "status",
            "judgements",
            "recommendation",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _AssessmentFields(serializers.Serializer):
    inspection = InspectionField(
        required=False,
        allow_null=True,
        help_text="Id of the inspection of this partnership the assessment follows, if any.",
    )
    assessed_on = serializers.DateField()
    status = serializers.ChoiceField(choices=RecordStatus.choices, required=False)
    judgements = JudgementSerializer(
        many=True,
        required=False,
        help_text="Each criterion met or not, with an evidence note. On a change, only the "
        "criteria sent are changed.",
    )

    def validate_judgements(self, value: list[dict]) -> list[dict]:
        numbers = [j["criterion"].number for j in value]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise serializers.ValidationError(
                DUPLICATE_CRITERION.format(numbers=", ".join(repeated))
            )
        return value


class AssessmentCreateSerializer(_AssessmentFields):
    partnership = PartnershipField(help_text="Id of the partnership assessed.")


class AssessmentUpdateSerializer(_AssessmentFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_optional(self)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict) and "partnership" in self.initial_data:
            raise serializers.ValidationError({"partnership": [FIXED_PARTNERSHIP]})
        return attrs


def _judgements(rows: list[dict] | None) -> dict[int, tuple[bool, str]]:
    return {row["criterion"].pk: (row["met"], row.get("evidence", "")) for row in rows or []}


def _judgements_read() -> Prefetch:
    """Judgements for reading only: the columns the API shows and the recommendation counts."""
    return Prefetch(
        "judgements",
        CriterionJudgement.objects.select_related("criterion").only(
            "assessment_id", "criterion_id", "met", "evidence", "criterion__number"
        ),
    )


ASSESSMENT_ACCESS = (
    " The linked inspection's team and the partnership's current link inspector write; "
    "directors, chief executives and those who read the inspection's drafts read; for anyone "
    "else a list leaves it out and a record is a 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="List support assessments",
        description="Assessments you may see, newest first, each with its recommendation."
        + ASSESSMENT_ACCESS,
    ),
    retrieve=extend_schema(summary="A support assessment, with its recommendation"),
    create=extend_schema(
        summary="Record a support assessment",
        description="Each criterion met or not with an evidence note. A condition is met when "
        "at least 2 of its 3 criteria are; the answer carries the recommended level and the "
        "reasons for it." + ASSESSMENT_ACCESS,
        request=AssessmentCreateSerializer,
        responses={201: SupportAssessmentSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a support assessment",
        description="Send `version` and the fields to change; judgements sent replace those "
        "of the same criteria.",
        request=AssessmentUpdateSerializer,
        responses={200: SupportAssessmentSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class SupportAssessmentViewSet(ImprovementViewSet):
    model = SupportAssessment
    serializer_class = SupportAssessmentSerializer
    filterset_class = AssessmentFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def fetch(self, pk: Any) -> SupportAssessment:
        return selectors.assessment_get(user=self.request.user, pk=pk)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A read-only page: only what the representation and the recommendations read (the
        # linked inspection; each judgement's criterion number, verdict and evidence).
        queryset = (
            self.filter_queryset(self.get_queryset())
            .select_related(None)
            .select_related("inspection")
            .prefetch_related(None)
            .prefetch_related(_judgements_read())
        )
        page = list(self.paginate_queryset(queryset))
        context = {
            **self.get_serializer_context(),
            "recommendations": selectors.recommendations(page, user=request.user),
        }
        data = SupportAssessmentSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def create(self, request: Request) -> Response:
        data = self.input(AssessmentCreateSerializer)
        require(
            assessment_policy.can_add(request.user, data["partnership"], data.get("inspection")),
            NOT_ALLOWED_TO_ADD,
        )
        assessment = services.assessment_create(
            by=request.user,
            partnership=data["partnership"],
            inspection=data.get("inspection"),
            assessed_on=data["assessed_on"],
            status=data.get("status") or RecordStatus.DRAFT,
            judgements=_judgements(data.get("judgements")),
        )
        return self.respond(assessment.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        assessment = self.get_object()
        require(assessment_policy.can_change(request.user, assessment))
        data = self.input(AssessmentUpdateSerializer)
        if data.get("inspection") is not None:
            require(
                assessment_policy.can_add(request.user, assessment.partnership, data["inspection"]),
                NOT_ALLOWED_TO_ADD,
            )
        services.assessment_update(
            assessment=assessment,
            by=request.user,
            expected_version=data["version"],
            changes=changed(data, ("inspection", "assessed_on", "status")),
            judgements=_judgements(data.get("judgements")),
        )
        return self.respond(assessment.pk)


# Decisions -------------------------------------------------------------------------------------


class ReviewBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReview
        fields = ["id", "kind", "due_on", "status"]
        read_only_fields = fields


class SupportDecisionSerializer(serializers.ModelSerializer):
    url = IdentityUrlField(view_name="support-decisions-detail")
    partnership = serializers.IntegerField(source="assessment.partnership_id", read_only=True)
    level = LevelBriefSerializer(read_only=True)
    second_level = LevelBriefSerializer(read_only=True, allow_null=True)
    recommended_level = LevelBriefSerializer(read_only=True, allow_null=True)
    progress_reviews = ReviewBriefSerializer(
        many=True,
        read_only=True,
        help_text="The progress reviews this decision scheduled when it was agreed.",
    )

    class Meta:
        model = SupportDecision
        fields = [
            "id",
            "url",
            "assessment",
            "partnership",
            "level",
            "second_level",
            "recommended_level",
            "rationale",
            "formal_review_on",
            "monitoring_interval_months",
            "status",
            "decided_by",
            "agreed_by",
            "agreed_at",
            "progress_reviews",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _with_reviews() -> Prefetch:
    """The decision's live progress reviews, for reading: the columns the brief shows."""
    return Prefetch(
        "progress_reviews",
        ProgressReview.objects.filter(archived_at__isnull=True)
        .only("decision_id", "kind", "due_on", "status")
        .order_by("due_on", "pk"),
    )


class _DecisionFields(serializers.Serializer):
    level = LevelField(help_text="Id of the level of support decided.")
    second_level = LevelField(
        required=False,
        allow_null=True,
        help_text="Where the partnership sits between two adjacent levels: the other one.",
    )
    rationale = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Required when neither level is the one the conditions recommend.",
    )
    formal_review_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Assisted and directed support: the agreed date of the formal progress "
        "review (after today; needed to agree the decision).",
    )
    monitoring_interval_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=12,
        help_text="Directed support: formal monitoring at this interval until the formal "
        "review (needed to agree the decision).",
    )


class DecisionCreateSerializer(_DecisionFields):
    assessment = VisibleField(
        selectors.assessment_list, help_text="Id of the support assessment it decides on."
    )


class DecisionUpdateSerializer(_DecisionFields):
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_optional(self)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        errors = {}
        if "assessment" in sent:
            errors["assessment"] = [FIXED_ASSESSMENT]
        if "status" in sent:
            errors["status"] = [STATUS_BY_ACTION]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class DecisionReopenSerializer(serializers.Serializer):
    version = version_field(help_text="The version you read.")
    reason = serializers.CharField(
        max_length=500, help_text="Why the decision is reopened (kept in its History)."
    )


DECISION_FIELDS = ("level", "second_level", "rationale", "formal_review_on")


@extend_schema_view(
    list=extend_schema(summary="List support decisions", description="Newest first."),
    retrieve=extend_schema(summary="A support decision"),
    create=extend_schema(
        summary="Record a support decision (a draft)",
        description="A level, optionally between it and an adjacent one. A rationale is "
        "required when neither level is the recommended one. Assisted and directed support "
        "bring a formal progress review (and directed, monitoring at an interval): give their "
        "dates here or before agreeing.",
        request=DecisionCreateSerializer,
        responses={201: SupportDecisionSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a draft support decision",
        description="Send `version` and the fields to change. An agreed decision is read-only "
        "(400) until it is reopened.",
        request=DecisionUpdateSerializer,
        responses={200: SupportDecisionSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class SupportDecisionViewSet(ImprovementViewSet):
    model = SupportDecision
    serializer_class = SupportDecisionSerializer
    filterset_class = DecisionFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        # What the representation reads: the levels and the assessment's partnership id (the
        # selector's other joins, to the partnership, inspection and users, are not shown; on
        # PostgreSQL each join costs planning time on every request).
        return (
            super()
            .filter_queryset(queryset)
            .select_related(None)
            .select_related("assessment", "level", "second_level", "recommended_level")
            .prefetch_related(_with_reviews())
        )

    def fetch(self, pk: Any) -> SupportDecision:
        decision = selectors.decision_get(user=self.request.user, pk=pk)
        prefetch_related_objects([decision], _with_reviews())
        return decision

    def create(self, request: Request) -> Response:
        data = self.input(DecisionCreateSerializer)
        require(decision_policy.can_add(request.user, data["assessment"]))
        decision = services.decision_create(
            by=request.user,
            assessment=data["assessment"],
            level=data["level"],
            second_level=data.get("second_level"),
            rationale=data.get("rationale") or "",
            formal_review_on=data.get("formal_review_on"),
            monitoring_interval_months=data.get("monitoring_interval_months"),
        )
        return self.respond(decision.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        decision = self.get_object()
        # Those who may change the assessment may change its draft decisions; an agreed one is
        # refused by the service (400: reopen it first).
        require(decision_policy.can_add(request.user, decision.assessment))
        data = self.input(DecisionUpdateSerializer)
        current = {
            "level": decision.level,
            "second_level": decision.second_level,
            "rationale": decision.rationale,
            "formal_review_on": decision.formal_review_on,
            "monitoring_interval_months": decision.monitoring_interval_months,
        }
        services.decision_update(
            decision=decision,
            by=request.user,
            expected_version=data["version"],
            **{**current, **changed(data, (*DECISION_FIELDS, "monitoring_interval_months"))},
        )
        return self.respond(decision.pk)

    @extend_schema(
        summary="Agree a support decision",
        description="The lead inspector of the linked inspection or an administrator agrees a "
        "draft; who and when are recorded and it becomes read-only. Agreeing assisted or "
        "directed support schedules its progress reviews (the formal review, and for directed "
        "support monitoring at the agreed interval); without the formal review date (or the "
        "interval) it is refused with 400 on that field.",
        request=DecisionAgreeSerializer,
        responses={200: SupportDecisionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def agree(self, request: Request, pk: Any = None) -> Response:
        decision = self.get_object()
        require(decision_policy.can_lead(request.user, decision), ONLY_LEAD)
        data = self.input(DecisionAgreeSerializer)
        services.decision_agree(
            decision=decision, by=request.user, expected_version=data["version"]
        )
        return self.respond(decision.pk)

    @extend_schema(
        summary="Reopen an agreed support decision",
        description="Returns it to draft, with the reason kept in its History; reviews it "
        "scheduled and not yet held are cancelled.",
        request=DecisionReopenSerializer,
        responses={200: SupportDecisionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        decision = self.get_object()
        require(decision_policy.can_lead(request.user, decision), ONLY_LEAD)
        data = self.input(DecisionReopenSerializer)
        services.decision_reopen(
            decision=decision,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self.respond(decision.pk)
