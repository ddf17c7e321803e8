"""/api/v1/ for the report: `findings/`, `evaluations/` (each with its chain, and a POST per
step), `factual-accuracy-comments/` and `inspections/{id}/published/`.

Drafts are for those who may see the inspection's unpublished work: for anyone else a list
leaves them out and a record is a 404. What was published is read by everyone signed in, from
the frozen published versions. Writes go through the report's services, which check
permission (403), validate (400) and audit; a stale `version` is a 409 with `current_version`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from partnerships.models import NationalOutcome
from scrutiny.api import VERSION_REQUIRED_MESSAGE, ArchiveOnDeleteMixin

from .. import selectors as inspection_selectors
from ..api.common import (
    REASON_PARAMETER,
    VERSION_PARAMETER,
    QualityIndicatorBriefSerializer,
    UserBriefSerializer,
    delete_reason,
    error_responses,
    refuse,
    refuse_fields,
)
from ..models import (
    EvaluationLevel,
    EvaluationLink,
    EvaluationStage,
    EvidenceActivity,
    FactualAccuracyComment,
    FactualAccuracyResponse,
    Finding,
    FindingKind,
    FindingStatus,
    Inspection,
    PanelOutcome,
    PublishedVersion,
    QualityIndicator,
    TemplateQuestion,
)
from ..policies import inspection_policy
from ..services import NOT_ALLOWED, ONLY_LEAD
from . import figures, policies, selectors, services
from .filters import EvaluationFilter, FactualAccuracyCommentFilter, FindingFilter

FIXED_INSPECTION = "This stays with the inspection it was recorded for."
DRAFTS_VISIBILITY = (
    " Drafts are for those who may see the inspection's unpublished work (its team, the link "
    "inspector, directors and chief executives of the agencies involved): for anyone else a "
    "list leaves them out and a record is a 404. Everyone reads what was published at "
    "`/api/v1/inspections/{id}/published/`."
)


def _with_drafts(request) -> models.QuerySet[Inspection]:
    return inspection_policy.with_drafts(request.user)


@extend_schema_field(OpenApiTypes.INT)
class _DraftsInspectionField(serializers.PrimaryKeyRelatedField):
    """Only inspections whose unpublished work the caller sees; any other id does not exist."""

    def get_queryset(self) -> models.QuerySet[Inspection]:
        return _with_drafts(self.context["request"])


# Lists written out: a page of findings or evaluations holds hundreds of nested objects, and
# DRF's field-by-field machinery was most of its time. Each `to_representation` below gives
# exactly what the fields declared would (tests compare the two, byte for byte).


def _level_data(level: EvaluationLevel | None) -> dict | None:
    """A grade as LevelSerializer gives it."""
    return None if level is None else {"id": level.pk, "value": level.value, "label": level.label}


def _user_data(user: User | None) -> dict | None:
    """A user as UserBriefSerializer gives them."""
    return None if user is None else {"id": user.pk, "full_name": user.full_name}


def _label(choices: type[models.Choices], value: str) -> str:
    """What get_FOO_display gives, without its rebuilding the choices on every call."""
    return _LABELS[choices].get(value, value)


_LABELS = {
    choices: {str(value): str(label) for value, label in choices.choices}
    for choices in (EvaluationStage, FindingKind, FindingStatus)
}


def _when(field: serializers.Field, value: Any) -> Any:
    """A date or time as its field gives it (in the current time zone), or None."""
    return None if value is None else field.to_representation(value)


# Findings ------------------------------------------------------------------------------------


class EvidenceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceActivity
        fields = ["id", "title", "kind"]
        read_only_fields = fields


class CitedQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    text = serializers.CharField()
    figure = serializers.CharField(help_text="The current figure, from completed records.")


class NationalOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalOutcome
        fields = ["id", "number", "outcome"]
        read_only_fields = fields


class FindingListSerializer(serializers.ListSerializer):
    """A page of findings: the figures of all the questions they cite in one go."""

    def to_representation(self, data: Any) -> list[dict]:
        findings = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        self.child.prime_figures(findings)
        return super().to_representation(findings)


class FindingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="findings-detail")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    quality_indicators = QualityIndicatorBriefSerializer(many=True, read_only=True)
    evidence_activities = serializers.SerializerMethodField(
        help_text="The evidence it rests on; null for those who may not see the evidence."
    )
    cited_questions = serializers.SerializerMethodField(
        help_text="Record-reading questions cited, each with its current figure."
    )
    national_outcomes = NationalOutcomeSerializer(many=True, read_only=True)
    drafted_by = UserBriefSerializer(read_only=True)
    agreed_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "url",
            "inspection",
            "kind",
            "kind_display",
            "text",
            "status",
            "status_display",
            "quality_indicators",
            "evidence_activities",
            "cited_questions",
            "national_outcomes",
            "drafted_by",
            "agreed_by",
            "agreed_at",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        list_serializer_class = FindingListSerializer

    def to_representation(self, finding: Finding) -> dict:
        fields = self.fields
        return {
            "id": finding.pk,
            "url": fields["url"].to_representation(finding),
            "inspection": finding.inspection_id,
            "kind": finding.kind,
            "kind_display": _label(FindingKind, finding.kind),
            "text": finding.text,
            "status": finding.status,
            "status_display": _label(FindingStatus, finding.status),
            "quality_indicators": [
                {"id": qi.pk, "number": qi.number, "title": qi.title}
                for qi in finding.quality_indicators.all()
            ],
            "evidence_activities": self.get_evidence_activities(finding),
            "cited_questions": self.get_cited_questions(finding),
            "national_outcomes": [
                {"id": o.pk, "number": o.number, "outcome": o.outcome}
                for o in finding.national_outcomes.all()
            ],
            "drafted_by": _user_data(finding.drafted_by),
            "agreed_by": _user_data(finding.agreed_by),
            "agreed_at": _when(fields["agreed_at"], finding.agreed_at),
            "version": finding.version,
            "archived_at": _when(fields["archived_at"], finding.archived_at),
            "created_at": _when(fields["created_at"], finding.created_at),
            "updated_at": _when(fields["updated_at"], finding.updated_at),
        }

    def _cached(self, key: str, make):
        cache = self.context.setdefault("_report_cache", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    @extend_schema_field(EvidenceBriefSerializer(many=True, allow_null=True))
    def get_evidence_activities(self, finding: Finding) -> list[dict] | None:
        user = self.context["request"].user
        cleared = self._cached(
            "evidence",
            lambda: set(
                inspection_policy.inspections_with_evidence(user).values_list("pk", flat=True)
            ),
        )
        if finding.inspection_id not in cleared:
            return None
        return [
            {"id": a.pk, "title": a.title, "kind": a.kind}
            for a in finding.evidence_activities.all()
        ]

    def _figures(self, cited: dict[int, set[int]]) -> dict[int, dict[int, Any]]:
        """The figures of the questions cited ({inspection id: question ids}), working out at
        once those not asked for already in this response."""
        found = self._cached("figures", dict)
        asked = self._cached("figures_asked", set)
        missing = {}
        for i, qs in cited.items():
            if new := {q for q in qs if (i, q) not in asked}:
                missing[i] = new
                asked.update((i, q) for q in new)
        if missing:
            for i, results in figures.cited_results(missing).items():
                found.setdefault(i, {}).update(results)
        return found

    def prime_figures(self, findings: list[Finding]) -> None:
        """A list works out the figures of every question its page cites in one go."""
        self._figures(figures.cited_by_inspection(findings))

    @extend_schema_field(CitedQuestionSerializer(many=True))
    def get_cited_questions(self, finding: Finding) -> list[dict]:
        questions = list(finding.cited_questions.all())
        if not questions:
            return []
        cited = {finding.inspection_id: {q.pk for q in questions}}
        results = self._figures(cited).get(finding.inspection_id, {})
        return [
            {
                "id": q.pk,
                "number": q.number,
                "text": q.text,
                "figure": figures.figure_of(results.get(q.pk)),
            }
            for q in questions
        ]


class _FindingFields(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    text = serializers.CharField(max_length=20000)
    quality_indicators = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=QualityIndicator.objects.all(),
        help_text="Ids of quality indicators in the inspection's scope (at least one).",
    )
    evidence_activities = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=EvidenceActivity.objects.all(),
        help_text="Ids of the inspection's evidence activities that support it.",
    )
    cited_questions = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=TemplateQuestion.objects.all(),
        help_text="Ids of counted record-reading questions of the programme's template.",
    )
    national_outcomes = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=NationalOutcome.objects.all(),
        help_text="Ids of national health and wellbeing outcomes.",
    )


class FindingCreateSerializer(_FindingFields):
    inspection = _DraftsInspectionField(help_text="Id of an inspection you are on the team of.")


class FindingUpdateSerializer(_FindingFields):
    kind = serializers.ChoiceField(choices=FindingKind.choices, required=False)
    text = serializers.CharField(max_length=20000, required=False)
    quality_indicators = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=QualityIndicator.objects.all()
    )
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(
            self.initial_data,
            {
                "inspection": FIXED_INSPECTION,
                "status": "Agree a finding with POST /api/v1/findings/{id}/agree/.",
            },
        )
        return attrs


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )


RELATIONS = ("quality_indicators", "evidence_activities", "cited_questions", "national_outcomes")


@extend_schema_view(
    list=extend_schema(
        summary="List findings",
        description="Strengths first, then areas for improvement, recommendations and good "
        "practice." + DRAFTS_VISIBILITY,
    ),
    retrieve=extend_schema(summary="A finding", description=DRAFTS_VISIBILITY.strip()),
    create=extend_schema(
        summary="Draft a finding",
        description="Team members who may see the evidence draft findings, tied to at least "
        "one quality indicator in scope.",
        request=FindingCreateSerializer,
        responses={201: FindingSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a finding",
        description="Send `version` and the fields to change. Changing an agreed finding "
        "returns it to draft: the lead inspector must agree it again.",
        request=FindingUpdateSerializer,
        responses={200: FindingSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a finding",
        description="It leaves the report and lists but is never deleted. An agreed finding "
        "is archived only by the lead inspector or an administrator.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: FindingSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class FindingViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = FindingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FindingFilter

    def get_queryset(self) -> models.QuerySet[Finding]:
        # Lists are the selector's queryset, built by the filterset from the query string.
        return Finding.objects.none()

    def get_object(self) -> Finding:
        return selectors.finding_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        finding = selectors.finding_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(finding).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = FindingCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        finding = services.finding_create(by=request.user, **serializer.validated_data)
        return self._detail(finding.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        finding = self.get_object()
        if not policies.can_draft(request.user, finding.inspection):
            refuse(NOT_ALLOWED)
        serializer = FindingUpdateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        relations = {name: data.pop(name) for name in RELATIONS if name in data}
        services.finding_update(
            finding=finding,
            by=request.user,
            expected_version=data.pop("version"),
            changes=data,
            **relations,
        )
        return self._detail(finding.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        finding = self.get_object()
        services.finding_archive(
            finding=finding,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self._detail(finding.pk)

    @extend_schema(
        summary="Agree a finding",
        description="The lead inspector or an administrator agrees a draft finding; who and "
        "when are recorded. Send the `version` you read.",
        request=VersionSerializer,
        responses={200: FindingSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def agree(self, request: Request, pk: Any = None) -> Response:
        finding = self.get_object()
        if not policies.can_decide(request.user, finding.inspection):
            refuse(ONLY_LEAD)
        serializer = VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.finding_agree(
            finding=finding, by=request.user, expected_version=serializer.validated_data["version"]
        )
        return self._detail(finding.pk)


# Evaluations ---------------------------------------------------------------------------------


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationLevel
        fields = ["id", "value", "label"]
        read_only_fields = fields


def _panel_of(link: EvaluationLink) -> Any:
    """The panel members as the selectors load them (`panel_list`), else from the database."""
    return link.panel_list if hasattr(link, "panel_list") else link.panel_members.all()


class EvaluationLinkSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    level = LevelSerializer(read_only=True, allow_null=True)
    panel_members = UserBriefSerializer(many=True, read_only=True)
    created_by = UserBriefSerializer(read_only=True)

    def to_representation(self, link: EvaluationLink) -> dict:
        fields = self.fields
        return {
            "id": link.pk,
            "stage": link.stage,
            "stage_display": _label(EvaluationStage, link.stage),
            "level": _level_data(link.level),
            "rationale": link.rationale,
            "panel_outcome": link.panel_outcome,
            "panel_members": [_user_data(u) for u in _panel_of(link)],
            "panel_date": _when(fields["panel_date"], link.panel_date),
            "previous": link.previous_id,
            "created_by": _user_data(link.created_by),
            "created_at": _when(fields["created_at"], link.created_at),
        }

    class Meta:
        model = EvaluationLink
        fields = [
            "id",
            "stage",
            "stage_display",
            "level",
            "rationale",
            "panel_outcome",
            "panel_members",
            "panel_date",
            "previous",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rationale": {"help_text": "The team's rationale, or the reason for this step."}
        }


class EvaluationSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(source="inspection_id", read_only=True)
    quality_indicator = QualityIndicatorBriefSerializer(source="indicator", read_only=True)
    state = serializers.ChoiceField(
        choices=selectors.STATE_CHOICES,
        read_only=True,
        help_text="Where it stands: the chain's last step, or none.",
    )
    state_display = serializers.CharField(source="state_label", read_only=True)
    level = LevelSerializer(
        read_only=True,
        allow_null=True,
        help_text="The grade as it stands (proposed, moderated or final); null when none "
        "is proposed since moderation was last reopened.",
    )
    final_level = LevelSerializer(read_only=True, allow_null=True)
    next_step = serializers.ChoiceField(
        choices=["propose", "panel", "finalise", "reopen"], read_only=True
    )
    last_link = serializers.IntegerField(
        source="last_id",
        read_only=True,
        allow_null=True,
        help_text="Send this as `previous` with the next step.",
    )
    chain = EvaluationLinkSerializer(source="links", many=True, read_only=True)

    def to_representation(self, chain: selectors.EvaluationChain) -> dict:
        indicator = chain.indicator
        links = self.fields["chain"].child
        return {
            "inspection": chain.inspection_id,
            "quality_indicator": {
                "id": indicator.pk,
                "number": indicator.number,
                "title": indicator.title,
            },
            "state": chain.state,
            "state_display": chain.state_label,
            "level": _level_data(chain.level),
            "final_level": _level_data(chain.final_level),
            "next_step": chain.next_step,
            "last_link": chain.last_id,
            "chain": [links.to_representation(link) for link in chain.links],
        }


@extend_schema_field(OpenApiTypes.INT)
class _LevelField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return EvaluationLevel.objects.all()


class _StepSerializer(serializers.Serializer):
    inspection = _DraftsInspectionField(help_text="Id of the inspection.")
    quality_indicator = serializers.PrimaryKeyRelatedField(
        queryset=QualityIndicator.objects.all(), help_text="Id of an indicator in its scope."
    )
    previous = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The chain's last link as you read it (`last_link`; null for an empty "
        "chain). If the chain has moved on since, nothing is saved and the answer is 409 with "
        "`current_version` set to the id of its last link. Leave out to skip the check.",
    )


class ProposeSerializer(_StepSerializer):
    level = _LevelField(help_text="Id of a grade on the programme's evaluation scale.")
    rationale = serializers.CharField(max_length=20000)


class PanelSerializer(_StepSerializer):
    outcome = serializers.ChoiceField(choices=PanelOutcome.choices)
    level = _LevelField(
        required=False, allow_null=True, help_text="The panel's grade, when it changed it."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20000,
        help_text="Needed when the panel changed the grade.",
    )
    panel_members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True), help_text="User ids."
    )
    panel_date = serializers.DateField()


class FinaliseSerializer(_StepSerializer):
    pass


class ReopenSerializer(_StepSerializer):
    reason = serializers.CharField(max_length=20000)


STEP_RESPONSES = {201: EvaluationSerializer, **error_responses(400, 403, 409)}


@extend_schema_view(
    list=extend_schema(
        summary="List evaluations",
        description="One per quality indicator in scope of each inspection, with its chain: "
        "the team's proposals, the panel's decisions, final grades and reopenings, oldest "
        "first. Links are never changed; each step adds one." + DRAFTS_VISIBILITY,
    ),
)
class EvaluationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = EvaluationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EvaluationFilter

    def get_queryset(self) -> models.QuerySet:
        return selectors.Scope.objects.none()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows)
        chains = selectors.evaluation_chains_for(list(page))
        return self.get_paginated_response(EvaluationSerializer(chains, many=True).data)

    def _step(self, serializer_class, take, may) -> Response:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        valid = serializer.is_valid()
        # Someone who may never take this step is told so (403) before anything else.
        sent = self.request.data if isinstance(self.request.data, dict) else {}
        inspection = (
            _with_drafts(self.request).filter(pk=sent.get("inspection")).first()
            if str(sent.get("inspection", "")).isdecimal()
            else None
        )
        if inspection is not None and not may(self.request.user, inspection):
            refuse(NOT_ALLOWED if may is policies.can_draft else ONLY_LEAD)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        data = dict(serializer.validated_data)
        inspection = data.pop("inspection")
        indicator = data.pop("quality_indicator")
        expected = data.pop("previous") if "previous" in data else services.ANY_LAST
        take(
            inspection=inspection,
            quality_indicator=indicator,
            by=self.request.user,
            expected_last=expected,
            **data,
        )
        chain = selectors.evaluation_chain(
            user=self.request.user, inspection=inspection, indicator_pk=indicator.pk
        )
        return Response(EvaluationSerializer(chain).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Propose a grade",
        description="The team's proposed grade and its rationale: the first step, or the next "
        "after moderation was reopened. Team members who may see the evidence propose.",
        request=ProposeSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def propose(self, request: Request) -> Response:
        return self._step(ProposeSerializer, services.evaluation_propose, policies.can_draft)

    @extend_schema(
        summary="Record the panel's decision",
        description="The quality and consistency panel confirmed the proposal, or changed it "
        "(another grade and a reason, or it is refused); with its members and date. The lead "
        "inspector or an administrator records it.",
        request=PanelSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def panel(self, request: Request) -> Response:
        return self._step(PanelSerializer, services.evaluation_panel, policies.can_decide)

    @extend_schema(
        summary="Record the final grade",
        description="The panel's grade becomes the final grade, read-only until moderation "
        "is reopened. The lead inspector or an administrator records it.",
        request=FinaliseSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def finalise(self, request: Request) -> Response:
        return self._step(FinaliseSerializer, services.evaluation_finalise, policies.can_decide)

    @extend_schema(
        summary="Reopen moderation",
        description="Only a final grade is reopened, with a reason, by the lead inspector or "
        "an administrator: a new link; the team then proposes again.",
        request=ReopenSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request) -> Response:
        return self._step(ReopenSerializer, services.evaluation_reopen, policies.can_decide)


# Factual accuracy ----------------------------------------------------------------------------


class FactualAccuracyCommentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="factual-accuracy-comments-detail")
    response_display = serializers.CharField(source="get_response_display", read_only=True)
    responded_by = UserBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FactualAccuracyComment
        fields = [
            "id",
            "url",
            "inspection",
            "report_reference",
            "comment",
            "response",
            "response_display",
            "response_text",
            "change_made",
            "responded_by",
            "responded_at",
            "version",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    inspection = _DraftsInspectionField(help_text="Id of an inspection you are on the team of.")
    report_reference = serializers.CharField(
        max_length=100, help_text="Where in the draft report, e.g. page 12, paragraph 3."
    )
    comment = serializers.CharField(max_length=20000, help_text="The partnership's comment.")


class CommentUpdateSerializer(serializers.Serializer):
    report_reference = serializers.CharField(max_length=100, required=False)
    comment = serializers.CharField(max_length=20000, required=False)
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(
            self.initial_data,
            {
                "inspection": FIXED_INSPECTION,
                "response": "Respond with POST /api/v1/factual-accuracy-comments/{id}/respond/.",
            },
        )
        return attrs


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=FactualAccuracyResponse.choices)
    response_text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20000,
        help_text="Why: needed unless the comment is accepted in full.",
    )
    change_made = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="Any change made."
    )
    version = serializers.IntegerField(
        min_value=1, error_messages={"required": VERSION_REQUIRED_MESSAGE}
    )


@extend_schema_view(
    list=extend_schema(
        summary="List factual accuracy comments",
        description="The partnership's comments on the draft report, with the team's "
        "responses." + DRAFTS_VISIBILITY,
    ),
    retrieve=extend_schema(
        summary="A factual accuracy comment", description=DRAFTS_VISIBILITY.strip()
    ),
    create=extend_schema(
        summary="Record a factual accuracy comment",
        description="A team member records what the partnership sent, during report drafting "
        "or the factual accuracy check.",
        request=CommentCreateSerializer,
        responses={201: FactualAccuracyCommentSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change how a comment was recorded",
        description="Send `version` and the fields to change.",
        request=CommentUpdateSerializer,
        responses={200: FactualAccuracyCommentSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Archive a factual accuracy comment",
        description="The lead inspector or an administrator archives it; never deleted.",
        parameters=[VERSION_PARAMETER, REASON_PARAMETER],
        responses={200: FactualAccuracyCommentSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class FactualAccuracyCommentViewSet(
    ArchiveOnDeleteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = FactualAccuracyCommentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FactualAccuracyCommentFilter

    def get_queryset(self) -> models.QuerySet[FactualAccuracyComment]:
        return FactualAccuracyComment.objects.none()

    def get_object(self) -> FactualAccuracyComment:
        return selectors.fa_comment_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        comment = selectors.fa_comment_get(user=self.request.user, pk=pk)
        return Response(self.get_serializer(comment).data, status=status_code)

    def create(self, request: Request) -> Response:
        serializer = CommentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        comment = services.fa_comment_create(by=request.user, **serializer.validated_data)
        return self._detail(comment.pk, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        comment = self.get_object()
        if not policies.can_record_comments(request.user, comment.inspection):
            refuse(NOT_ALLOWED)
        serializer = CommentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.fa_comment_update(
            comment=comment, by=request.user, expected_version=data.pop("version"), changes=data
        )
        return self._detail(comment.pk)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        comment = self.get_object()
        services.fa_comment_archive(
            comment=comment,
            by=request.user,
            reason=delete_reason(request),
            expected_version=self.requested_version(),
        )
        return self._detail(comment.pk)

    @extend_schema(
        summary="Respond to a factual accuracy comment",
        description="The team's response (accepted, partly accepted, not accepted), why, and "
        "any change made; recorded by the lead inspector or an administrator. A later "
        "response replaces it; the History keeps each.",
        request=RespondSerializer,
        responses={200: FactualAccuracyCommentSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def respond(self, request: Request, pk: Any = None) -> Response:
        comment = self.get_object()
        if not policies.can_decide(request.user, comment.inspection):
            refuse(ONLY_LEAD)
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.fa_comment_respond(
            comment=comment, by=request.user, expected_version=data.pop("version"), **data
        )
        return self._detail(comment.pk)


# The published version -----------------------------------------------------------------------


class VersionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedVersion
        fields = ["number", "published_on", "reason"]
        read_only_fields = fields


class PublishedVersionSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="inspection_id", read_only=True)
    content = serializers.JSONField(
        read_only=True,
        help_text="What was published, frozen: `inspection` (its facts), `scale`, `findings` "
        "(by kind, each with its quality indicators, national outcomes and cited record-"
        "reading questions with their figures), `evaluations` (by quality indicator: the final "
        "grade and rationale) and `record_reading` (each counted question's figures).",
    )
    versions = serializers.SerializerMethodField(help_text="Every version, latest first.")

    class Meta:
        model = PublishedVersion
        fields = [
            "inspection",
            "number",
            "published_on",
            "reason",
            "created_at",
            "versions",
            "content",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionBriefSerializer(many=True))
    def get_versions(self, version: PublishedVersion) -> list[dict]:
        return VersionBriefSerializer(self.context["versions"], many=True).data


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=20000, help_text="Why the correction is published.")


class PublishedVersionView(APIView):
    """/api/v1/inspections/{id}/published/"""

    def _respond(self, inspection: Inspection, number: Any = None, code: int = 200) -> Response:
        version = selectors.published_version_get(
            user=self.request.user, inspection=inspection, number=number
        )
        versions = list(selectors.published_versions(user=self.request.user, inspection=inspection))
        data = PublishedVersionSerializer(version, context={"versions": versions}).data
        return Response(data, status=code)

    @extend_schema(
        operation_id="inspections_published_retrieve",
        summary="The published report",
        description="The latest published version of the inspection (or `?version=`), frozen "
        "as it was published: later corrections are new versions. Everyone signed in reads "
        "it; a 404 before publication.",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The inspection's id."
            ),
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="A version number (default: the latest).",
            ),
        ],
        responses={200: PublishedVersionSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        inspection = inspection_selectors.inspection_get(user=request.user, pk=pk)
        number = request.query_params.get("version")
        if number not in (None, "") and not str(number).isdigit():
            raise serializers.ValidationError({"version": ["A version is a whole number."]})
        return self._respond(inspection, number)

    @extend_schema(
        operation_id="inspections_published_create",
        summary="Publish a correction",
        description="The lead inspector or an administrator publishes a correction: a new "
        "version frozen from the findings and grades as they now stand, with the reason. "
        "Earlier versions are unchanged. Refused (400) with every unmet condition if a "
        "finding is in draft, a grade is not final or a comment has no response.",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The inspection's id."
            )
        ],
        request=CorrectionSerializer,
        responses={201: PublishedVersionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        inspection = inspection_selectors.inspection_get(user=request.user, pk=pk)
        if not policies.can_decide(request.user, inspection):
            refuse(ONLY_LEAD)
        serializer = CorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.published_correction(
            inspection=inspection, by=request.user, reason=serializer.validated_data["reason"]
        )
        return self._respond(inspection, version.number, code=status.HTTP_201_CREATED)


__all__ = [
    "EvaluationViewSet",
    "FactualAccuracyCommentViewSet",
    "FindingViewSet",
    "PublishedVersionView",
]
