"""Demo data for the framework for support after strategic scrutiny and the MSG
self-evaluation, built through the services (so History, scheduling and revisions are what real
use would give). Called by `load_demo`; safe to run again: each part is skipped once it exists.

Dates are relative to today. Everything here is illustrative: the people and organisations named
are fictional."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import User
from inspections.models import PUBLISHED_STATUSES, FindingKind, Inspection
from partnerships import msg
from partnerships.models import MsgRatingLevel, MsgSelfEvaluation, Partnership, PartnershipKind

from . import selectors, services
from .models import (
    ActionStatus,
    ImprovementPlan,
    ImprovementSupport,
    ProgressJudgement,
    ProgressReview,
    RecordStatus,
    ReviewKind,
    ReviewStatus,
    SupportAssessment,
    SupportLevel,
    SupportProvider,
    SupportStatus,
)

if TYPE_CHECKING:
    from .models import SupportDecision

# The published demo inspection (scrutiny/management/commands/load_demo.py).
DEMO_INSPECTION_TITLE = "Inspection of community payback orders in Dundee City"
LEAD = "lead@ci.demo.example"
LINK = "link@ci.demo.example"
PLAN_TITLE = "Improvement plan: community payback orders (demo)"
HUB = "Healthcare Improvement Scotland improvement hub"

# Criteria met in conditions 1 to 5: two conditions met, so assisted support is recommended.
DEMO_CRITERIA_MET = (3, 2, 1, 1, 0)

# (description, owner's name, owner's organisation, days from today due, status, finding kind)
DEMO_ACTIONS = [
    (
        "Review every case management plan at least every three months, prompted by a reminder "
        "in the case management system.",
        "Demo Justice Service Manager",
        "Dundee City Council",
        60,
        ActionStatus.ON_TRACK,
        FindingKind.RECOMMENDATION,
    ),
    (
        "Review risk assessments whenever a person's circumstances change, and audit a sample "
        "of cases each quarter.",
        "Demo Team Leader",
        "Dundee City Council justice social work",
        -10,
        ActionStatus.AT_RISK,
        FindingKind.AREA_FOR_IMPROVEMENT,
    ),
    (
        "Report progress on this plan to the community justice partnership every quarter.",
        "Demo Community Justice Coordinator",
        "Dundee Community Justice Partnership",
        150,
        ActionStatus.NOT_STARTED,
        None,
    ),
]
# (action index, days ago, progress, evidence)
DEMO_PROGRESS = [
    (
        0,
        20,
        "The reminder is live in the case management system; 60% of plans due last month were "
        "reviewed on time.",
        "Case management system report for the month (demo).",
    ),
    (
        1,
        25,
        "An audit of 20 cases has started and staff were briefed at the team meeting.",
        "Audit template and briefing note (demo).",
    ),
]

# MSG self-evaluation: (partnership name, link inspector) for two health and social care
# partnerships, each with a round a year ago and a recent one.
DEMO_MSG = [("Fife", "link@ci.demo.example"), ("Highland", "link@his.demo.example")]
MSG_ROUNDS_DAYS_AGO = (365, 28)


def load_improvement_demo(stdout) -> None:
    today = timezone.localdate()
    lead, link = User.objects.get(email=LEAD), User.objects.get(email=LINK)
    inspection = _published_inspection()
    if inspection is None:
        stdout.write("No published inspection: the improvement demo data was skipped.")
    else:
        decision = _assessment_and_decision(inspection, lead, today)
        _reviews(decision, link, today)
        plan = _plan(inspection, lead, today)
        _support(inspection.partnership, plan, link, today)
    _msg_rounds(today)


def _published_inspection() -> Inspection | None:
    published = Inspection.objects.filter(
        status__in=PUBLISHED_STATUSES, archived_at__isnull=True
    ).select_related("partnership")
    return published.filter(title=DEMO_INSPECTION_TITLE).first() or published.order_by("pk").first()


def _assessment_and_decision(inspection: Inspection, lead: User, today) -> SupportDecision:
    """An agreed assessment of the criteria and a decision agreed as assisted support, which
    schedules the formal progress review."""
    assessment = SupportAssessment.objects.filter(
        inspection=inspection, archived_at__isnull=True
    ).first()
    if assessment is None:
        judgements = {}
        for condition in selectors.conditions():
            met = DEMO_CRITERIA_MET[(condition.number - 1) % len(DEMO_CRITERIA_MET)]
            for index, criterion in enumerate(condition.criteria.all()):
                seen = index < met
                note = "Seen in the inspection's evidence" if seen else "Not yet in place"
                judgements[criterion.pk] = (seen, f"{note} (demo note for {criterion.number}).")
        assessment = services.assessment_create(
            by=lead,
            partnership=inspection.partnership,
            inspection=inspection,
            assessed_on=today - datetime.timedelta(days=21),
            status=RecordStatus.AGREED,
            judgements=judgements,
        )
    decision = assessment.decisions.filter(archived_at__isnull=True).order_by("-pk").first()
    if decision is None:
        decision = services.decision_create(
            by=lead,
            assessment=assessment,
            level=SupportLevel.objects.get(order=3),
            rationale="Leadership and a shared vision are in place, but the capacity for "
            "improvement and performance management are not yet: assisted support, as the "
            "conditions recommend, although the grades alone signal commissioned support.",
            formal_review_on=today + datetime.timedelta(days=120),
        )
    if decision.status == RecordStatus.DRAFT:
        decision = services.decision_agree(
            decision=decision, by=lead, expected_version=decision.version
        )
    return decision


def _reviews(decision: SupportDecision, link: User, today) -> None:
    """A progress meeting held six weeks ago that set the next one, now a week overdue."""
    partnership = decision.assessment.partnership
    if ProgressReview.objects.filter(partnership=partnership, status=ReviewStatus.HELD).exists():
        return
    review = services.review_schedule(
        by=link,
        partnership=partnership,
        kind=ReviewKind.MONITORING,
        due_on=today - datetime.timedelta(days=42),
        decision=decision,
    )
    services.review_record(
        review=review,
        by=link,
        expected_version=review.version,
        held_on=today - datetime.timedelta(days=40),
        attendees="Lorna Link (Care Inspectorate), Demo Chief Social Work Officer, "
        "Demo Justice Service Manager",
        judgement=ProgressJudgement.SOME,
        notes="The reminder for reviewing case management plans is being built; the risk "
        "assessment audit has not started.",
        next_on=today - datetime.timedelta(days=7),
    )


def _plan(inspection: Inspection, lead: User, today) -> ImprovementPlan:
    """A plan with three actions (one overdue) answering the report, progress updates, agreed,
    then revised once."""
    plan = ImprovementPlan.objects.filter(inspection=inspection, archived_at__isnull=True).first()
    if plan is not None:
        return plan
    plan = services.plan_create(
        by=lead, partnership=inspection.partnership, inspection=inspection, title=PLAN_TITLE
    )
    findings = {f.kind: f for f in selectors.answerable_findings(inspection)}
    actions = []
    for description, owner, organisation, days, status, kind in DEMO_ACTIONS:
        actions.append(
            services.action_create(
                by=lead,
                plan=plan,
                description=description,
                owner_name=owner,
                owner_organisation=organisation,
                due_on=today + datetime.timedelta(days=days),
                status=status,
                findings=[findings[kind]] if kind in findings else [],
            )
        )
    plan.refresh_from_db()
    services.plan_agree(
        plan=plan,
        by=lead,
        expected_version=plan.version,
        agreed_on=today - datetime.timedelta(days=30),
        agreed_by="Demo Chair, Dundee Community Justice Partnership",
    )
    for index, days_ago, progress, evidence in DEMO_PROGRESS:
        services.progress_add(
            by=lead,
            action=actions[index],
            updated_on=today - datetime.timedelta(days=days_ago),
            progress=progress,
            evidence=evidence,
        )
    last = actions[-1]
    last.refresh_from_db()
    services.action_update(
        action=last,
        by=lead,
        expected_version=last.version,
        changes={"due_on": last.due_on + datetime.timedelta(days=30)},
        revision_reason="The partnership's reporting cycle now follows its board meetings.",
    )
    return plan


def _support(partnership: Partnership, plan: ImprovementPlan, link: User, today) -> None:
    if ImprovementSupport.objects.filter(partnership=partnership).exists():
        return
    provider = SupportProvider.objects.filter(name=HUB).first()
    if provider is None:
        return
    services.support_create(
        by=link,
        partnership=partnership,
        provider=provider,
        plan=plan,
        description="An improvement adviser to help the partnership build quality assurance "
        "of case management plans and risk assessments.",
        starts_on=today - datetime.timedelta(days=14),
        ends_on=today + datetime.timedelta(days=150),
        status=SupportStatus.COMMISSIONED,
    )


def _msg_rounds(today) -> None:
    """Two submitted rounds for each of two partnerships (ratings rising between them for some
    proposals) and one validation note. Skipped for a partnership with any round."""
    proposals = list(msg.current_proposals())
    levels = list(MsgRatingLevel.values)
    for offset, (name, email) in enumerate(DEMO_MSG):
        partnership = Partnership.objects.get(
            name=name, kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE
        )
        if MsgSelfEvaluation.objects.filter(partnership=partnership).exists():
            continue
        link = User.objects.get(email=email)
        latest = None
        for round_index, days_ago in enumerate(MSG_ROUNDS_DAYS_AGO):
            round_ = msg.msg_round_create(
                partnership=partnership,
                by=link,
                evaluated_on=today - datetime.timedelta(days=days_ago),
                notes="Returned by the partnership after its self-evaluation workshop (demo).",
            )
            ratings = {}
            for index, proposal in enumerate(proposals):
                level = (index + offset) % 3 + (1 if round_index and index % 3 == 0 else 0)
                ratings[proposal.pk] = msg.RatingInput(
                    rating=levels[level],
                    comment=f"The partnership's view of proposal {proposal.number} (demo).",
                    evidence="Self-evaluation workshop notes (demo).",
                )
            round_ = msg.msg_ratings_save(
                self_evaluation=round_,
                by=link,
                expected_version=round_.version,
                ratings=ratings,
            )
            latest = msg.msg_round_submit(
                self_evaluation=round_, by=link, expected_version=round_.version
            )
        if offset == 0 and latest is not None:
            rating = latest.ratings.order_by("proposal__order", "proposal__number").first()
            msg.msg_validation_note(
                rating=rating,
                by=link,
                expected_version=rating.version,
                note="Checked with the chief officer at the link inspector's meeting: the "
                "evidence supports this rating (demo).",
            )
