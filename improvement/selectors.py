"""Reads for support assessments and decisions, each in a fixed number of queries: lists
through the policies, and the recommendation (conditions and the evaluation signal) computed for
a whole page of assessments at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from inspections.models import (
    PUBLISHED_STATUSES,
    EvaluationLink,
    EvaluationStage,
    Finding,
    FindingKind,
    Inspection,
    InspectionStatus,
)
from inspections.policies import inspection_policy

from . import rules
from .models import (
    CLOSED_ACTION_STATUSES,
    CriterionJudgement,
    ImprovementAction,
    ImprovementCondition,
    ImprovementCriterion,
    ImprovementPlan,
    ImprovementSupport,
    PlanRevision,
    ProgressReview,
    ProgressUpdate,
    RecordStatus,
    ReviewStatus,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
    SupportLevelAspect,
    SupportProvider,
)
from .policies import (
    action_policy,
    assessment_policy,
    decision_policy,
    plan_policy,
    progress_policy,
    review_policy,
    support_policy,
)

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership


# Reference data ---------------------------------------------------------------------------


def conditions() -> list[ImprovementCondition]:
    """The conditions with their criteria (two queries)."""
    return list(
        ImprovementCondition.objects.filter(archived_at__isnull=True).prefetch_related(
            Prefetch(
                "criteria",
                ImprovementCriterion.objects.filter(archived_at__isnull=True).order_by(
                    "order", "number"
                ),
            )
        )
    )


def levels() -> QuerySet[SupportLevel]:
    return SupportLevel.objects.filter(archived_at__isnull=True).order_by("order")


def levels_by_order() -> dict[int, SupportLevel]:
    return {level.order: level for level in levels()}


# Recommendation ---------------------------------------------------------------------------


@dataclass
class ConditionResult:
    condition: ImprovementCondition
    criteria_met: int
    criteria_judged: int
    criteria_total: int

    @property
    def met(self) -> bool:
        return rules.condition_met(self.criteria_met)


@dataclass
class Recommendation:
    level: SupportLevel | None
    conditions: list[ConditionResult]
    conditions_met: int
    reasons: list[str]
    complete: bool
    evaluation_level: SupportLevel | None = None
    evaluation_inspection: Inspection | None = None
    evaluation_reasons: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return (
            self.level is not None
            and self.evaluation_level is not None
            and self.level.pk != self.evaluation_level.pk
        )

    @property
    def disagreement(self) -> str:
        if not self.differs:
            return ""
        return (
            f"The conditions recommend {self.level.name.lower()}, but the latest evaluations "
            f"signal {self.evaluation_level.name.lower()}. The team decides."
        )


def _condition_reasons(results: list[ConditionResult], level: SupportLevel | None) -> list[str]:
    met = [r for r in results if r.met]
    not_met = [r for r in results if not r.met]
    reasons = [
        f"{len(met)} of {len(results)} conditions met (a condition is met when at least "
        f"{rules.CRITERIA_FOR_A_MET_CONDITION} of its criteria are met)."
    ]
    if met:
        reasons.append("Met: " + "; ".join(str(r.condition) for r in met) + ".")
    if not_met:
        reasons.append("Not met: " + "; ".join(str(r.condition) for r in not_met) + ".")
    if level is not None:
        reasons.append(f"Recommended level: {level.name}.")
    return reasons


def _signal_inspections(assessments: list[SupportAssessment]) -> dict[int, Inspection | None]:
    """For each assessment, the inspection whose evaluations signal a level: the linked one, or
    the partnership's latest published inspection (one query for those without a link)."""
    unlinked = {a.partnership_id for a in assessments if a.inspection_id is None}
    latest: dict[int, Inspection] = {}
    if unlinked:
        for inspection in Inspection.objects.filter(
            partnership_id__in=unlinked,
            status__in=PUBLISHED_STATUSES,
            archived_at__isnull=True,
        ).order_by("partnership_id", "-published_on", "-pk"):
            latest.setdefault(inspection.partnership_id, inspection)
    return {
        a.pk: a.inspection if a.inspection_id else latest.get(a.partnership_id) for a in assessments
    }


def _final_values(inspection_ids: set[int]) -> dict[int, list[int]]:
    """The latest final grades of each inspection's indicators (one query): the last link of
    each chain, where that link is final."""
    values: dict[int, list[int]] = {pk: [] for pk in inspection_ids}
    if inspection_ids:
        for inspection_id, value in EvaluationLink.objects.filter(
            inspection_id__in=inspection_ids,
            stage=EvaluationStage.FINAL,
            next_link__isnull=True,
            level__isnull=False,
        ).values_list("inspection_id", "level__value"):
            values[inspection_id].append(value)
    return values


def _evaluation_reasons(inspection: Inspection | None, values: list[int], level) -> list[str]:
    if inspection is None:
        return ["No inspection is linked and the partnership has no published inspection."]
    reasons = []
    if inspection.status == InspectionStatus.SUSPENDED:
        reasons.append(f"{inspection} is suspended.")
    if values:
        reasons.append(
            f"Lowest final grade of {inspection}: {min(values)} "
            f"({len(values)} final grade{'s' if len(values) != 1 else ''})."
        )
        if rules.UNSATISFACTORY in values:
            reasons.append("At least one grade is unsatisfactory.")
    elif inspection.status != InspectionStatus.SUSPENDED:
        reasons.append(f"{inspection} has no final grades yet.")
    if level is not None:
        reasons.append(f"Signalled level: {level.name}.")
    return reasons


HIDDEN_GRADES_REASON = (
    "The linked inspection's grades are not published yet and you may not see its drafts."
)


def recommendations(
    assessments: list[SupportAssessment], *, user: User | None = None
) -> dict[int, Recommendation]:
    """The recommendation of each assessment, whose judgements must be prefetched. Fixed
    queries: conditions and criteria, levels, latest published inspections, final grades (and,
    given a user, which unpublished inspections' drafts they read: the grades of the others
    are not used for them)."""
    if not assessments:
        return {}
    all_conditions = conditions()
    by_order = levels_by_order()
    signal_inspections = _signal_inspections(assessments)
    wanted = {i.pk for i in signal_inspections.values() if i is not None}
    hidden: set[int] = set()
    if user is not None:
        unpublished = {
            i.pk
            for i in signal_inspections.values()
            if i is not None and i.status not in PUBLISHED_STATUSES
        }
        if unpublished:
            readable = set(
                inspection_policy.with_drafts(user)
                .filter(pk__in=unpublished)
                .values_list("pk", flat=True)
            )
            hidden = unpublished - readable
    grades = _final_values(wanted - hidden)
    result: dict[int, Recommendation] = {}
    for assessment in assessments:
        judged = {j.criterion_id: j.met for j in assessment.judgements.all()}
        per_condition = []
        for condition in all_conditions:
            criteria = list(condition.criteria.all())
            per_condition.append(
                ConditionResult(
                    condition=condition,
                    criteria_met=sum(1 for c in criteria if judged.get(c.pk)),
                    criteria_judged=sum(1 for c in criteria if c.pk in judged),
                    criteria_total=len(criteria),
                )
            )
        met = sum(1 for r in per_condition if r.met)
        level = by_order.get(rules.level_for_conditions(met))
        inspection = signal_inspections[assessment.pk]
        if inspection is not None and inspection.pk in hidden:
            result[assessment.pk] = Recommendation(
                level=level,
                conditions=per_condition,
                conditions_met=met,
                reasons=_condition_reasons(per_condition, level),
                complete=all(r.criteria_judged == r.criteria_total for r in per_condition),
                evaluation_reasons=[HIDDEN_GRADES_REASON],
            )
            continue
        values = grades.get(inspection.pk, []) if inspection is not None else []
        suspended = inspection is not None and inspection.status == InspectionStatus.SUSPENDED
        signal = rules.level_for_evaluations(values, suspended=suspended)
        evaluation_level = by_order.get(signal) if signal is not None else None
        result[assessment.pk] = Recommendation(
            level=level,
            conditions=per_condition,
            conditions_met=met,
            reasons=_condition_reasons(per_condition, level),
            complete=all(r.criteria_judged == r.criteria_total for r in per_condition),
            evaluation_level=evaluation_level,
            evaluation_inspection=inspection,
            evaluation_reasons=_evaluation_reasons(inspection, values, evaluation_level),
        )
    return result


def recommendation(assessment: SupportAssessment, *, user: User | None = None) -> Recommendation:
    return recommendations([assessment], user=user)[assessment.pk]


# Assessments --------------------------------------------------------------------------------


def _assessments() -> QuerySet[SupportAssessment]:
    return SupportAssessment.objects.select_related(
        "partnership", "inspection", "created_by"
    ).prefetch_related(
        Prefetch("judgements", CriterionJudgement.objects.select_related("criterion"))
    )


def assessment_list(
    *,
    user: User,
    partnership: Partnership | Any = None,
    inspection: Inspection | Any = None,
    status: str = "",
    include_archived: bool = False,
) -> QuerySet[SupportAssessment]:
    # A list reads each judgement's criterion id and verdict (for the recommendations), not
    # the criteria themselves (their text is long): no join to them, no other columns.
    lean = Prefetch(
        "judgements",
        CriterionJudgement.objects.only("assessment_id", "criterion_id", "met", "evidence"),
    )
    qs = assessment_policy.visible(
        user, _assessments().prefetch_related(None).prefetch_related(lean)
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if status:
        qs = qs.filter(status=status)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.order_by("-assessed_on", "-pk")


def assessment_get(*, user: User, pk: Any) -> SupportAssessment:
    return assessment_policy.get_visible_or_404(user, _assessments(), pk=pk)


# Decisions ----------------------------------------------------------------------------------


def _decisions() -> QuerySet[SupportDecision]:
    return SupportDecision.objects.select_related(
        "assessment__partnership",
        "assessment__inspection",
        "level",
        "second_level",
        "recommended_level",
        "decided_by",
        "agreed_by",
    )


def decision_list(
    *,
    user: User,
    assessment: SupportAssessment | Any = None,
    partnership: Partnership | Any = None,
    status: str = "",
    include_archived: bool = False,
) -> QuerySet[SupportDecision]:
    qs = decision_policy.visible(user, _decisions())
    if assessment is not None:
        qs = qs.filter(assessment=assessment)
    if partnership is not None:
        qs = qs.filter(assessment__partnership=partnership)
    if status:
        qs = qs.filter(status=status)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True, assessment__archived_at__isnull=True)
    return qs.order_by("-pk")


def decision_get(*, user: User, pk: Any) -> SupportDecision:
    try:
        return decision_policy.visible(user, _decisions()).get(pk=pk)
    except (SupportDecision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class PartnershipSupport:
    current: SupportDecision | None
    agreed: list[SupportDecision]
    aspects: dict[str, list[SupportLevelAspect]]


def partnership_support(*, user: User, partnership: Partnership) -> PartnershipSupport:
    """The partnership's current support level (its latest agreed decision the user may see),
    the history of agreed decisions, and the current level's aims and characteristic support.
    Two queries whatever the number of decisions."""
    agreed = list(
        decision_list(user=user, partnership=partnership, status=RecordStatus.AGREED)
        .select_related(None)
        .select_related("level", "second_level", "agreed_by")
        .order_by("-agreed_at", "-pk")
    )
    current = agreed[0] if agreed else None
    aspects: dict[str, list[SupportLevelAspect]] = {"aim": [], "characteristic": []}
    if current is not None:
        for aspect in SupportLevelAspect.objects.filter(
            level=current.level_id, kind__in=aspects.keys(), archived_at__isnull=True
        ).order_by("order", "pk"):
            aspects[aspect.kind].append(aspect)
    return PartnershipSupport(current=current, agreed=agreed, aspects=aspects)


# Improvement plans --------------------------------------------------------------------------


def answerable_findings(inspection: Inspection | Any) -> QuerySet[Finding]:
    """The inspection's areas for improvement and recommendations an action may answer."""
    return Finding.objects.filter(
        inspection=inspection,
        kind__in=[FindingKind.AREA_FOR_IMPROVEMENT, FindingKind.RECOMMENDATION],
        archived_at__isnull=True,
    ).order_by("kind", "pk")


def publishable_inspections(partnership: Partnership) -> QuerySet[Inspection]:
    return Inspection.objects.filter(
        partnership=partnership, status__in=PUBLISHED_STATUSES, archived_at__isnull=True
    ).order_by("-pk")


def _plans() -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.select_related("partnership", "inspection")


def _live_actions() -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.filter(archived_at__isnull=True)


def plan_list(
    *, user: User, partnership: Partnership | Any = None, include_archived: bool = False
) -> QuerySet[ImprovementPlan]:
    qs = plan_policy.visible(user, _plans())
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def plan_get(*, user: User, pk: Any) -> ImprovementPlan:
    """The plan with its actions, their findings and progress updates, and its revisions (five
    queries)."""
    qs = _plans().prefetch_related(
        Prefetch("revisions", PlanRevision.objects.select_related("made_by").order_by("number")),
        Prefetch(
            "actions",
            _live_actions().prefetch_related(
                "findings",
                Prefetch(
                    "progress_updates", ProgressUpdate.objects.filter(archived_at__isnull=True)
                ),
            ),
        ),
    )
    return plan_policy.get_visible_or_404(user, qs, pk=pk)


def plan_gaps(plan: ImprovementPlan) -> list[Finding]:
    """The inspection's recommendations no live action of this plan answers (one query)."""
    answered = _live_actions().filter(plan=plan).values("findings")
    return list(
        Finding.objects.filter(
            inspection_id=plan.inspection_id,
            kind=FindingKind.RECOMMENDATION,
            archived_at__isnull=True,
        )
        .exclude(pk__in=answered.filter(findings__isnull=False))
        .order_by("pk")
    )


def action_list(
    *, user: User, plan: ImprovementPlan | Any = None, include_archived: bool = False
) -> QuerySet[ImprovementAction]:
    qs = action_policy.visible(
        user, ImprovementAction.objects.select_related("plan").prefetch_related("findings")
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def action_get(*, user: User, pk: Any) -> ImprovementAction:
    qs = ImprovementAction.objects.select_related(
        "plan__partnership", "plan__inspection"
    ).prefetch_related("findings")
    return action_policy.get_visible_or_404(user, qs, pk=pk)


def overdue_actions(*, user: User, partnership: Partnership) -> list[ImprovementAction]:
    """Live actions of the partnership's visible live plans past their due date and not
    complete or superseded (one query)."""
    today = timezone.localdate()
    return list(
        action_policy.visible(user, _live_actions().select_related("plan"))
        .filter(
            plan__partnership=partnership,
            plan__archived_at__isnull=True,
            due_on__lt=today,
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .order_by("due_on", "pk")
    )


def progress_get(*, user: User, pk: Any) -> ProgressUpdate:
    qs = ProgressUpdate.objects.select_related(
        "action__plan__partnership", "action__plan__inspection"
    )
    return progress_policy.get_visible_or_404(user, qs, pk=pk)


# Progress reviews ---------------------------------------------------------------------------


def _reviews() -> QuerySet[ProgressReview]:
    return ProgressReview.objects.select_related(
        "partnership", "decision__level", "decision__assessment__inspection"
    )


def review_list(
    *,
    user: User,
    partnership: Partnership | Any = None,
    status: str = "",
    kind: str = "",
    overdue: bool = False,
    include_archived: bool = False,
) -> QuerySet[ProgressReview]:
    qs = review_policy.visible(user, _reviews())
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(status=ReviewStatus.SCHEDULED, due_on__lt=timezone.localdate())
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def review_get(*, user: User, pk: Any) -> ProgressReview:
    return review_policy.get_visible_or_404(user, _reviews(), pk=pk)


@dataclass
class ScheduledReviews:
    overdue: list[ProgressReview]  # past their date, the oldest first
    upcoming: list[ProgressReview]  # from today on, the soonest first


def scheduled_reviews(*, user: User, partnership: Partnership) -> ScheduledReviews:
    """The partnership's scheduled reviews, overdue and upcoming (one query): what
    overdue_reviews and upcoming_reviews read, at once."""
    today = timezone.localdate()
    scheduled = list(
        review_list(user=user, partnership=partnership, status=ReviewStatus.SCHEDULED)
        .select_related(None)
        .select_related("decision__level")
        .order_by("due_on", "pk")
    )
    return ScheduledReviews(
        overdue=[r for r in scheduled if r.due_on < today],
        upcoming=[r for r in scheduled if r.due_on >= today],
    )


def overdue_reviews(*, user: User, partnership: Partnership) -> list[ProgressReview]:
    """Scheduled reviews of the partnership past their date (one query)."""
    return list(review_list(user=user, partnership=partnership, overdue=True).order_by("due_on"))


def upcoming_reviews(*, user: User, partnership: Partnership) -> list[ProgressReview]:
    """Scheduled reviews of the partnership from today on (one query)."""
    return list(
        review_list(user=user, partnership=partnership, status=ReviewStatus.SCHEDULED)
        .filter(due_on__gte=timezone.localdate())
        .order_by("due_on", "pk")
    )


# Improvement support commissioned -----------------------------------------------------------


def providers(*, include: SupportProvider | None = None) -> QuerySet[SupportProvider]:
    """Providers offered for new support (and the one already chosen, when editing)."""
    offered = Q(active=True, archived_at__isnull=True)
    if include is not None:
        offered |= Q(pk=include.pk)
    return SupportProvider.objects.filter(offered).order_by("name")


def _support() -> QuerySet[ImprovementSupport]:
    return ImprovementSupport.objects.select_related("partnership", "provider", "plan")


def support_list(
    *,
    user: User,
    partnership: Partnership | Any = None,
    status: str = "",
    provider: SupportProvider | Any = None,
    include_archived: bool = False,
) -> QuerySet[ImprovementSupport]:
    qs = support_policy.visible(user, _support())
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if status:
        qs = qs.filter(status=status)
    if provider is not None:
        qs = qs.filter(provider=provider)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def support_get(*, user: User, pk: Any) -> ImprovementSupport:
    return support_policy.get_visible_or_404(
        user, _support().select_related("plan__inspection"), pk=pk
    )
