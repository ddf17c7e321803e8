"""Where reminders come from: each source is a function of the day that returns what is due
(or overdue) and who is responsible for it, in a fixed number of queries however many records
there are. The daily run (notifications.services.reminders_send) asks every source in SOURCES.

Who is reminded:
- inspection milestones: the inspection's current team (the lead and members not excluded by
  a conflict decision);
- improvement actions and progress reviews: the lead inspector of the linked inspection and
  the partnership's current link inspector(s);
- no-surprises notices not acknowledged in time: directors and chief executives of the body
  that was told (the one to acknowledge);
- escalations past their current target date, and a quarter (or year) ending with no expected
  meeting (chairs and chief executives every quarter, boards once a year) booked or held:
  directors and chief executives of both bodies;
- a link inspector's council area with no engagement recorded with it (or a partnership
  covering it) for ENGAGEMENT_REMINDER_DAYS: that link inspector.
Only active users are reminded."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from accounts.models import User
from accounts.roles import ROLE_GROUP_NAMES, Role

from .models import NotificationKind


@dataclass(frozen=True)
class Due:
    """Something to remind people of today."""

    kind: str
    record: models.Model
    subject: str
    text: str
    url: str
    due_on: datetime.date | None
    recipients: frozenset[int]  # user ids


Source = Callable[[datetime.date], list["Due"]]


def due_phrase(due_on: datetime.date, today: datetime.date) -> str:
    """ "due today", "due tomorrow", "due in 5 days", "1 day overdue", "3 days overdue"."""
    days = (due_on - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days > 1:
        return f"due in {days} days"
    late = -days
    return f"{late} day{'s' if late != 1 else ''} overdue"


def _date(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _within(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.REMINDER_DUE_WITHIN_DAYS)


# Who is responsible: one query each, whatever the number of records ------------------------


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for key, user_id in pairs:
        grouped[key].add(user_id)
    return grouped


def inspection_teams(
    inspection_ids: Iterable[int], *, leads_only: bool = False
) -> dict[int, set[int]]:
    """{inspection id: user ids} of each inspection's current team (not excluded by a conflict
    decision), or only its lead inspector."""
    from inspections.models import ConflictDecision, TeamMember, TeamRole

    qs = TeamMember.objects.filter(
        inspection_id__in=set(inspection_ids), archived_at__isnull=True, user__is_active=True
    ).exclude(decision=ConflictDecision.EXCLUDED)
    if leads_only:
        qs = qs.filter(role=TeamRole.LEAD_INSPECTOR)
    return _group(qs.values_list("inspection_id", "user_id"))


def link_inspectors(partnership_ids: Iterable[int], today: datetime.date) -> dict[int, set[int]]:
    """{partnership id: user ids} of the current link inspectors of the council areas each
    partnership covers (the rule of improvement.policies.link_partnerships, turned round)."""
    from partnerships.models import AreaAssignment, AreaRole

    qs = AreaAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        role=AreaRole.LINK_INSPECTOR,
        started_on__lte=today,
        archived_at__isnull=True,
        user__is_active=True,
        local_authority__partnerships__in=set(partnership_ids),
    )
    return _group(qs.values_list("local_authority__partnerships", "user_id"))


def body_seniors(codes: Iterable[str]) -> dict[str, set[int]]:
    """{agency code: user ids} of active directors and chief executives of those bodies."""
    groups = [ROLE_GROUP_NAMES[Role.DIRECTOR], ROLE_GROUP_NAMES[Role.CHIEF_EXECUTIVE]]
    qs = User.objects.filter(
        is_active=True, agency__code__in=list(codes), groups__name__in=groups
    ).distinct()
    grouped: dict[str, set[int]] = defaultdict(set)
    for code, user_id in qs.values_list("agency__code", "pk"):
        grouped[code].add(user_id)
    return grouped


# Inspections -----------------------------------------------------------------------------------


def milestones(today: datetime.date) -> list[Due]:
    """Milestones not done, due within REMINDER_DUE_WITHIN_DAYS or overdue, of inspections that
    are going ahead (not suspended, withdrawn or closed): to the inspection's team."""
    from inspections.models import InspectionStatus, Milestone

    rows = list(
        Milestone.objects.filter(
            archived_at__isnull=True,
            completed_on__isnull=True,
            due_on__lte=_within(today),
            inspection__archived_at__isnull=True,
        )
        .exclude(
            inspection__status__in=[
                InspectionStatus.SUSPENDED,
                InspectionStatus.WITHDRAWN,
                InspectionStatus.CLOSED,
            ]
        )
        .select_related("inspection")
    )
    teams = inspection_teams(m.inspection_id for m in rows)
    dues = []
    for m in rows:
        recipients = teams.get(m.inspection_id)
        if not recipients:
            continue
        phrase = due_phrase(m.due_on, today)
        dues.append(
            Due(
                kind=NotificationKind.MILESTONE,
                record=m,
                subject=f"Milestone {phrase}: {m.name} ({m.inspection.title})",
                text=f"The milestone “{m.name}” of {m.inspection.title} is {phrase} "
                f"({_date(m.due_on)}).",
                url=reverse("inspections:detail", args=[m.inspection_id]) + "#milestones",
                due_on=m.due_on,
                recipients=frozenset(recipients),
            )
        )
    return dues


# Improvement -----------------------------------------------------------------------------------


def improvement_actions(today: datetime.date) -> list[Due]:
    """Open actions of improvement plans, due within REMINDER_DUE_WITHIN_DAYS or overdue: to the
    lead inspector of the plan's inspection and the partnership's current link inspector(s)."""
    from improvement.models import CLOSED_ACTION_STATUSES, ImprovementAction

    rows = list(
        ImprovementAction.objects.filter(
            archived_at__isnull=True,
            plan__archived_at__isnull=True,
            due_on__lte=_within(today),
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .select_related("plan")
    )
    leads = inspection_teams((a.plan.inspection_id for a in rows), leads_only=True)
    links = link_inspectors((a.plan.partnership_id for a in rows), today)
    dues = []
    for a in rows:
        recipients = leads.get(a.plan.inspection_id, set()) | links.get(
            a.plan.partnership_id, set()
        )
        if not recipients:
            continue
        phrase = due_phrase(a.due_on, today)
        summary = str(a)
        dues.append(
            Due(
                kind=NotificationKind.IMPROVEMENT_ACTION,
                record=a,
                subject=f"Improvement action {phrase}: {summary}",
                text=f"An action of {a.plan.title} ({a.owner_name}, {a.owner_organisation}) is "
                f"{phrase} ({_date(a.due_on)}): {a.description}",
                url=reverse("improvement:plan_detail", args=[a.plan_id]) + "#actions",
                due_on=a.due_on,
                recipients=frozenset(recipients),
            )
        )
    return dues


def progress_reviews(today: datetime.date) -> list[Due]:
    """Progress reviews still scheduled, due within REMINDER_DUE_WITHIN_DAYS or overdue: to the
    lead inspector of the inspection behind the decision that scheduled them and the
    partnership's current link inspector(s)."""
    from improvement.models import ProgressReview, ReviewStatus

    rows = list(
        ProgressReview.objects.filter(
            archived_at__isnull=True,
            status=ReviewStatus.SCHEDULED,
            due_on__lte=_within(today),
        ).select_related("partnership", "decision__assessment")
    )

    def inspection_id(review) -> int | None:
        return review.decision.assessment.inspection_id if review.decision_id else None

    leads = inspection_teams(
        (pk for pk in map(inspection_id, rows) if pk is not None), leads_only=True
    )
    links = link_inspectors((r.partnership_id for r in rows), today)
    dues = []
    for r in rows:
        recipients = leads.get(inspection_id(r), set()) | links.get(r.partnership_id, set())
        if not recipients:
            continue
        phrase = due_phrase(r.due_on, today)
        kind = r.get_kind_display()
        dues.append(
            Due(
                kind=NotificationKind.PROGRESS_REVIEW,
                record=r,
                subject=f"{kind} {phrase}: {r.partnership}",
                text=f"The {kind[:1].lower()}{kind[1:]} of {r.partnership} is {phrase} "
                f"({_date(r.due_on)}).",
                url=reverse("improvement:review_detail", args=[r.pk]),
                due_on=r.due_on,
                recipients=frozenset(recipients),
            )
        )
    return dues


# Link-inspector engagement ---------------------------------------------------------------------


def engagement_gaps(today: datetime.date) -> list[Due]:
    """Council areas whose current link inspector has had no engagement recorded with the area
    (or a partnership covering it) for ENGAGEMENT_REMINDER_DAYS, counted from the last
    engagement or, if later, the start of their assignment: to that link inspector."""
    from django.db.models import OuterRef, Subquery

    from partnerships.models import AreaAssignment, AreaRole, Engagement

    gap = datetime.timedelta(days=settings.ENGAGEMENT_REMINDER_DAYS)
    last = (
        Engagement.objects.filter(
            Q(local_authority=OuterRef("local_authority_id"))
            | Q(partnership__local_authorities=OuterRef("local_authority_id")),
            archived_at__isnull=True,
            engaged_on__lte=today,
        )
        .order_by("-engaged_on")
        .values("engaged_on")[:1]
    )
    assignments = (
        AreaAssignment.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today),
            role=AreaRole.LINK_INSPECTOR,
            started_on__lte=today - gap,
            archived_at__isnull=True,
            user__is_active=True,
            local_authority__archived_at__isnull=True,
        )
        .annotate(last_engaged_on=Subquery(last))
        .select_related("local_authority")
    )
    dues = []
    for assignment in assignments:
        since = max(filter(None, [assignment.last_engaged_on, assignment.started_on]))
        if today - since < gap:
            continue
        area = assignment.local_authority
        due_on = since + gap
        what = (
            f"since {_date(assignment.last_engaged_on)}"
            if assignment.last_engaged_on
            else "since you became its link inspector"
        )
        dues.append(
            Due(
                kind=NotificationKind.ENGAGEMENT_GAP,
                record=area,
                subject=f"No engagement with {area.name} for {(today - since).days} days",
                text=f"No engagement with {area.name} or its partnerships has been recorded {what}"
                f" ({_date(since)}). Link inspectors engage with each of their council areas at "
                f"least every {settings.ENGAGEMENT_REMINDER_DAYS} days.",
                url=reverse("partnerships:engagement_list") + f"?local_authority={area.pk}",
                due_on=due_on,
                recipients=frozenset({assignment.user_id}),
            )
        )
    return dues


# The duty of co-operation ----------------------------------------------------------------------


def _other_body(code: str) -> str:
    from cooperation.models import BODY_CODES

    return next(c for c in BODY_CODES if c != code)


def unacknowledged_notices(today: datetime.date) -> list[Due]:
    """No-surprises notices told and not acknowledged within NO_SURPRISES_ACK_DAYS working days
    (the log's "awaiting acknowledgement" flag): to directors and chief executives of the body
    that was told."""
    from cooperation import rules
    from cooperation.models import BODY_CODES, NoSurprisesNotice
    from cooperation.selectors import notice_flags

    rows = [
        n
        for n in NoSurprisesNotice.objects.filter(
            archived_at__isnull=True, told_on__isnull=False, acknowledged_on__isnull=True
        ).select_related("raised_by")
        if notice_flags(n, today).awaiting_acknowledgement
    ]
    if not rows:
        return []
    seniors = body_seniors(BODY_CODES)
    dues = []
    for n in rows:
        told = _other_body(n.raised_by.code)
        recipients = seniors.get(told)
        if not recipients:
            continue
        ack_by = rules.add_working_days(n.told_on, settings.NO_SURPRISES_ACK_DAYS)
        dues.append(
            Due(
                kind=NotificationKind.NOTICE_ACKNOWLEDGEMENT,
                record=n,
                subject=f"No-surprises notice not acknowledged: {n.subject}",
                text=f"{n.raised_by.name} told {told} of “{n.subject}” on {_date(n.told_on)}. "
                f"It was due to be acknowledged by {_date(ack_by)} and has not been.",
                url=reverse("cooperation:notice_detail", args=[n.pk]),
                due_on=ack_by,
                recipients=frozenset(recipients),
            )
        )
    return dues


def overdue_escalations(today: datetime.date) -> list[Due]:
    """Open escalations past the target date of the step at their current level: to directors
    and chief executives of both bodies."""
    from cooperation.models import BODY_CODES, EscalationStatus, EscalationStep

    steps = list(
        EscalationStep.objects.filter(
            archived_at__isnull=True,
            level=F("escalation__level"),
            target_on__lt=today,
            escalation__status=EscalationStatus.OPEN,
            escalation__archived_at__isnull=True,
        ).select_related("escalation")
    )
    if not steps:
        return []
    seniors = body_seniors(BODY_CODES)
    recipients = frozenset(set().union(*seniors.values())) if seniors else frozenset()
    if not recipients:
        return []
    dues = []
    for step in steps:
        escalation = step.escalation
        phrase = due_phrase(step.target_on, today)
        dues.append(
            Due(
                kind=NotificationKind.ESCALATION_OVERDUE,
                record=escalation,
                subject=f"Escalation past its target date: {escalation.subject}",
                text=f"“{escalation.subject}” is with {step.get_level_display().lower()} "
                f"({step.held_by}); its target date was {_date(step.target_on)}, {phrase}.",
                url=reverse("cooperation:escalation_detail", args=[escalation.pk]),
                due_on=step.target_on,
                recipients=recipients,
            )
        )
    return dues


def meeting_gaps(today: datetime.date) -> list[Due]:
    """The current quarter (or year) ending within MEETING_GAP_WARNING_DAYS with no expected
    meeting booked or held (chairs and chief executives every quarter; boards once a year): to
    directors and chief executives of both bodies. Gaps come from the co-operation log's own
    selector, read as one of those directors or chief executives (every member of either body
    reads the whole log)."""
    from cooperation import selectors
    from cooperation.models import BODY_CODES

    seniors = body_seniors(BODY_CODES)
    recipients = frozenset(set().union(*seniors.values())) if seniors else frozenset()
    if not recipients:
        return []
    reader = User.objects.get(pk=min(recipients))
    dues = []
    for gap in selectors.meeting_gaps(user=reader, today=today):
        if not gap.current:
            continue
        name = gap.meeting_type.name
        name = name[:1].lower() + name[1:]
        dues.append(
            Due(
                kind=NotificationKind.MEETING_GAP,
                record=gap.meeting_type,
                subject=f"{gap.period.label} ends on {_date(gap.period.ends_on)} with no "
                f"{name} meeting",
                text=f"{gap.period.label} ({gap.period.months}) ends on "
                f"{_date(gap.period.ends_on)}, {due_phrase(gap.period.ends_on, today)}, and no "
                f"{name} meeting has been held or booked in it.",
                url=reverse("cooperation:gaps"),
                due_on=gap.period.ends_on,
                recipients=recipients,
            )
        )
    return dues


SOURCES: list[Source] = [
    milestones,
    improvement_actions,
    progress_reviews,
    unacknowledged_notices,
    overdue_escalations,
    meeting_gaps,
    engagement_gaps,
]
