"""After each published inspection of a year: the support assessment against the fifteen
criteria, the agreed decision on the level of support (with its progress reviews for assisted
and directed support), the improvement plan with actions answering the areas for improvement and
recommendations, their progress updates, and support commissioned from national providers."""

from __future__ import annotations

import datetime
import random

from improvement import rules
from improvement.models import (
    ActionStatus,
    CriterionJudgement,
    ImprovementAction,
    ImprovementCriterion,
    ImprovementPlan,
    ImprovementSupport,
    PlanRevision,
    PlanStatus,
    ProgressJudgement,
    ProgressReview,
    ProgressUpdate,
    RecordStatus,
    ReviewKind,
    ReviewStatus,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
    SupportProvider,
    SupportStatus,
)
from inspections.models import (
    PUBLISHED_STATUSES,
    Finding,
    FindingKind,
    FindingStatus,
    InspectionStatus,
    TeamRole,
)

from . import words
from .base import SeedRun, add_months, at, bulk, bulk_through, days, weeks
from .inspections import PLAN_AGREED_WEEKS, seeded_inspections


def seed_improvement_year(run: SeedRun, year: int) -> dict[str, int]:
    rng = run.rng("improvement", year)
    inspections = list(
        seeded_inspections(year)
        .filter(status__in=PUBLISHED_STATUSES)
        .select_related("partnership")
        .order_by("planned_notification_on", "pk")
    )
    if not inspections:
        return {}
    leads = {tm.inspection_id: tm.user for tm in _leads([i.pk for i in inspections])}
    criteria = list(ImprovementCriterion.objects.select_related("condition").order_by("number"))
    levels = {lv.order: lv for lv in SupportLevel.objects.all()}
    providers = list(SupportProvider.objects.order_by("name"))
    findings: dict[int, list[Finding]] = {}
    for f in Finding.objects.filter(
        inspection__in=inspections,
        kind__in=[FindingKind.AREA_FOR_IMPROVEMENT, FindingKind.RECOMMENDATION],
        status=FindingStatus.AGREED,
    ).order_by("pk"):
        findings.setdefault(f.inspection_id, []).append(f)

    assessments, judgements_of = [], []
    for inspection in inspections:
        lead = leads[inspection.pk]
        assessed_on = inspection.published_on + weeks(2)
        assessments.append(
            SupportAssessment(
                partnership=inspection.partnership,
                inspection=inspection,
                assessed_on=min(assessed_on, run.until),
                status=RecordStatus.AGREED,
                created_by=lead,
            )
        )
        strength = rng.uniform(0.2, 0.95)
        judgements_of.append([rng.random() < strength for _ in criteria])
    assessments = bulk(SupportAssessment, assessments)
    judgements = [
        CriterionJudgement(
            assessment=a,
            criterion=c,
            met=met,
            evidence="Borne out by the inspection's findings." if met else "",
        )
        for a, mets in zip(assessments, judgements_of, strict=True)
        for c, met in zip(criteria, mets, strict=True)
    ]
    bulk(CriterionJudgement, judgements)

    decisions = []
    for assessment, mets in zip(assessments, judgements_of, strict=True):
        by_condition: dict[int, int] = {}
        for c, met in zip(criteria, mets, strict=True):
            by_condition[c.condition.number] = by_condition.get(c.condition.number, 0) + met
        conditions_met = sum(rules.condition_met(n) for n in by_condition.values())
        order = rules.level_for_conditions(conditions_met)
        lead = leads[assessment.inspection_id]
        formal = add_months(assessment.assessed_on, 12) if order >= rules.ASSISTED else None
        decisions.append(
            SupportDecision(
                assessment=assessment,
                level=levels[order],
                recommended_level=levels[order],
                rationale="",
                status=RecordStatus.AGREED,
                decided_by=lead,
                agreed_by=lead,
                agreed_at=at(assessment.assessed_on, 15),
                formal_review_on=formal,
                monitoring_interval_months=3 if order == rules.DIRECTED else None,
            )
        )
    decisions = bulk(SupportDecision, decisions)

    reviews = []
    for decision in decisions:
        assessment = decision.assessment
        regime = rules.needs_reviews(decision.level.order)
        if regime is None:
            continue
        due = []
        if regime == rules.DIRECTED:
            due += [
                (ReviewKind.MONITORING, day)
                for day in rules.monitoring_dates(
                    assessment.assessed_on, 3, decision.formal_review_on
                )
            ]
        due.append((ReviewKind.FORMAL, decision.formal_review_on))
        for kind, day in due:
            reviews.append(_review(rng, run, assessment.partnership, decision, kind, day))
    bulk(ProgressReview, reviews)

    plans, plan_inspections = [], []
    for inspection in inspections:
        created = inspection.published_on + weeks(4)
        if created > run.until:
            continue
        agreed = inspection.status != InspectionStatus.PUBLISHED
        plans.append(
            ImprovementPlan(
                partnership=inspection.partnership,
                inspection=inspection,
                title=f"Improvement plan: {inspection.title}",
                status=PlanStatus.AGREED if agreed else PlanStatus.DRAFT,
                agreed_on=inspection.published_on + weeks(PLAN_AGREED_WEEKS) if agreed else None,
                agreed_by=f"Chief officer, {inspection.partnership.name}" if agreed else "",
                agreement_recorded_by=leads[inspection.pk] if agreed else None,
            )
        )
        plan_inspections.append(inspection)
    plans = bulk(ImprovementPlan, plans)

    actions, answered = [], []
    for plan, inspection in zip(plans, plan_inspections, strict=True):
        start = inspection.published_on + weeks(4)
        for n, finding in enumerate(findings.get(inspection.pk, [])):
            owner, organisation = rng.choice(words.OWNERS)
            due_on = add_months(start, rng.randint(3, 15))
            actions.append(
                ImprovementAction(
                    plan=plan,
                    description=words.ACTIONS[(n + rng.randint(0, 3)) % len(words.ACTIONS)],
                    owner_name=owner,
                    owner_organisation=organisation,
                    due_on=due_on,
                    status=_action_status(rng, due_on, run.until),
                )
            )
            answered.append(finding)
    actions = bulk(ImprovementAction, actions)
    bulk_through(
        ImprovementAction.findings,
        [(a.pk, f.pk) for a, f in zip(actions, answered, strict=True)],
    )

    updates = []
    for action in actions:
        day = action.plan.inspection.published_on + weeks(16)
        while day <= min(run.until, action.due_on + weeks(8)):
            updates.append(
                ProgressUpdate(
                    action=action,
                    updated_on=day,
                    progress=rng.choice(words.PROGRESS),
                    evidence="Minutes of the chief officers' group." if rng.random() < 0.4 else "",
                )
            )
            day += weeks(13)
    bulk(ProgressUpdate, updates)

    revisions = [
        PlanRevision(
            plan=plan,
            number=1,
            reason="Actions re-dated after the partnership's restructure.",
            summary="Two actions' due dates moved by three months.",
            made_by=plan.agreement_recorded_by,
        )
        for plan in plans
        if plan.status == PlanStatus.AGREED and rng.random() < 0.15
    ]
    bulk(PlanRevision, revisions)

    support = []
    for plan, decision in zip(
        plans, _decision_by_inspection(decisions, plan_inspections), strict=True
    ):
        if decision is None or decision.level.order < rules.COMMISSIONED:
            continue
        for provider in rng.sample(providers, min(len(providers), rng.randint(1, 2))):
            starts = plan.inspection.published_on + weeks(8)
            ends = add_months(starts, rng.randint(4, 12))
            if ends < run.until:
                status, outcome = (
                    SupportStatus.COMPLETE,
                    "Staff reported more confidence; the audit showed improvement.",
                )
            elif starts <= run.until:
                status, outcome = SupportStatus.IN_PROGRESS, ""
            else:
                status, outcome = SupportStatus.COMMISSIONED, ""
            support.append(
                ImprovementSupport(
                    partnership=plan.partnership,
                    plan=plan,
                    provider=provider,
                    description="Facilitated self-evaluation and coaching for the leadership team.",
                    starts_on=starts,
                    ends_on=ends,
                    status=status,
                    outcome=outcome,
                )
            )
    bulk(ImprovementSupport, support)
    return {
        "support assessments": len(assessments),
        "criterion judgements": len(judgements),
        "support decisions": len(decisions),
        "progress reviews": len(reviews),
        "improvement plans": len(plans),
        "actions": len(actions),
        "progress updates": len(updates),
        "plan revisions": len(revisions),
        "support commissioned": len(support),
    }


def _leads(inspection_ids: list[int]):
    from inspections.models import TeamMember

    return TeamMember.objects.filter(
        inspection_id__in=inspection_ids, role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
    ).select_related("user")


def _decision_by_inspection(decisions, inspections):
    by_inspection = {d.assessment.inspection_id: d for d in decisions}
    return [by_inspection.get(i.pk) for i in inspections]


def _action_status(rng: random.Random, due_on: datetime.date, until: datetime.date) -> str:
    if due_on < until:
        return rng.choices(
            [ActionStatus.COMPLETE, ActionStatus.AT_RISK, ActionStatus.SUPERSEDED],
            weights=[80, 15, 5],
        )[0]
    return rng.choices(
        [ActionStatus.ON_TRACK, ActionStatus.NOT_STARTED, ActionStatus.AT_RISK],
        weights=[60, 25, 15],
    )[0]


def _review(rng, run: SeedRun, partnership, decision, kind, due_on) -> ProgressReview:
    if due_on >= run.until:
        return ProgressReview(partnership=partnership, decision=decision, kind=kind, due_on=due_on)
    if rng.random() < 0.04:
        return ProgressReview(
            partnership=partnership,
            decision=decision,
            kind=kind,
            due_on=due_on,
            status=ReviewStatus.CANCELLED,
            cancelled_reason="Superseded by the formal review.",
        )
    if rng.random() < 0.08 and due_on > run.until - days(60):
        # Overdue: still scheduled after its date.
        return ProgressReview(partnership=partnership, decision=decision, kind=kind, due_on=due_on)
    held_on = min(due_on + days(rng.randint(0, 10)), run.until)
    return ProgressReview(
        partnership=partnership,
        decision=decision,
        kind=kind,
        due_on=due_on,
        status=ReviewStatus.HELD,
        held_on=held_on,
        attendees="Lead inspector; link inspector; chief officer; head of adult services",
        judgement=rng.choice(list(ProgressJudgement)),
        notes="Progress against the plan was reviewed action by action.",
        next_on=held_on + days(90) if kind == ReviewKind.MONITORING else None,
    )
