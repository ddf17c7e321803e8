"""Reads for the co-operation log. Every list goes through the policies' `visible` filters and
runs the same number of queries however many records it holds: related rows are joined or
prefetched, counts are annotations, and derived values (lead times, flags, ages, overdue states,
ratings, gaps) come from cooperation.rules in Python."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Agency, User

from . import rules
from .models import (
    BODY_CODES,
    OPEN_ACTION_STATUSES,
    Escalation,
    EscalationStatus,
    EscalationStep,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingAttendee,
    MeetingStatus,
    MeetingType,
    Mitigation,
    MitigationStatus,
    NoSurprisesNotice,
    SharedRisk,
)
from .policies import (
    action_policy,
    attachment_policy,
    escalation_policy,
    meeting_policy,
    meeting_type_policy,
    mitigation_policy,
    notice_policy,
    review_policy,
    risk_policy,
)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def bodies() -> QuerySet[Agency]:
    """The two bodies bound by the duty, CI and HIS."""
    return Agency.objects.filter(code__in=BODY_CODES).order_by("name")


def body_users(*, including: int | None = None) -> QuerySet[User]:
    """Active users of either body, for owners of actions and mitigations (and the current
    owner, `including`, even if they have since left)."""
    wanted = Q(is_active=True, agency__code__in=BODY_CODES)
    if including is not None:
        wanted |= Q(pk=including)
    return User.objects.filter(wanted).select_related("agency").order_by("full_name")


def _dates(qs: QuerySet, field: str, date_from, date_to) -> QuerySet:
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs


def _archived(qs: QuerySet, include_archived: bool) -> QuerySet:
    return qs if include_archived else qs.filter(archived_at__isnull=True)


# Meetings ------------------------------------------------------------------------------------

MEETING_ORDERINGS = {
    "-date": ("-held_on", "-pk"),
    "date": ("held_on", "pk"),
    "type": ("meeting_type__order", "-held_on", "-pk"),
    "-type": ("-meeting_type__order", "-held_on", "-pk"),
    "status": ("status", "-held_on", "-pk"),
    "-status": ("-status", "-held_on", "-pk"),
}


def meeting_type_list(*, user: User | None = None) -> QuerySet[MeetingType]:
    qs = MeetingType.objects.filter(archived_at__isnull=True)
    return meeting_type_policy.visible(user, qs) if user is not None else qs


def meeting_list(
    *,
    user: User,
    body: Agency | None = None,
    meeting_type: MeetingType | None = None,
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "-date",
    include_archived: bool = False,
) -> QuerySet[Meeting]:
    qs = _archived(meeting_policy.visible(user, Meeting.objects.all()), include_archived)
    if body is not None:
        qs = qs.filter(raised_by=body)
    if meeting_type is not None:
        qs = qs.filter(meeting_type=meeting_type)
    if status:
        qs = qs.filter(status=status)
    qs = _dates(qs, "held_on", date_from, date_to)
    if search:
        qs = qs.filter(
            Q(title__icontains=search) | Q(agenda__icontains=search) | Q(minutes__icontains=search)
        )
    open_actions = Count(
        "actions",
        filter=Q(actions__status__in=OPEN_ACTION_STATUSES, actions__archived_at__isnull=True),
        distinct=True,
    )
    return (
        qs.select_related("meeting_type", "raised_by")
        .annotate(open_actions=open_actions)
        .order_by(*MEETING_ORDERINGS.get(ordering, MEETING_ORDERINGS["-date"]))
    )


@dataclass(frozen=True)
class AttendeeGroup:
    body: Agency
    attendees: list[MeetingAttendee]


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    attendee_groups: list[AttendeeGroup]
    actions: list[MeetingAction]
    attachments: list[MeetingAttachment]
    risks: list[SharedRisk]


def meeting_get(*, user: User, pk: Any) -> Meeting:
    return meeting_policy.get_visible_or_404(
        user, Meeting.objects.select_related("meeting_type", "raised_by"), pk=pk
    )


def current_attendees(meeting: Meeting) -> list[MeetingAttendee]:
    return list(
        meeting.attendees.filter(archived_at__isnull=True)
        .select_related("agency")
        .order_by("agency__name", "pk")
    )


def meeting_detail(*, user: User, pk: Any, today: datetime.date | None = None) -> MeetingDetail:
    meeting = meeting_get(user=user, pk=pk)
    today = _today(today)
    attendees = current_attendees(meeting)
    groups: dict[int, list[MeetingAttendee]] = defaultdict(list)
    for attendee in attendees:
        groups[attendee.agency_id].append(attendee)
    actions = list(
        action_policy.visible(user, meeting.actions.filter(archived_at__isnull=True))
        .select_related("owner__agency")
        .order_by("due_on", "pk")
    )
    for action in actions:
        action.overdue = action_overdue(action, today)
    return MeetingDetail(
        meeting=meeting,
        attendee_groups=[AttendeeGroup(b, groups.get(b.pk, [])) for b in bodies()],
        actions=actions,
        attachments=list(
            attachment_policy.visible(user, meeting.attachments.filter(archived_at__isnull=True))
            .select_related("uploaded_by")
            .order_by("-created_at")
        ),
        risks=list(meeting.risks.order_by("title")),
    )


def attachment_get(*, user: User, pk: Any) -> MeetingAttachment:
    return attachment_policy.get_visible_or_404(
        user, MeetingAttachment.objects.select_related("meeting__meeting_type"), pk=pk
    )


# Meeting actions -----------------------------------------------------------------------------

ACTION_ORDERINGS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "status": ("status", "due_on", "pk"),
    "-status": ("-status", "due_on", "pk"),
    "owner": ("owner__full_name", "due_on", "pk"),
    "-owner": ("-owner__full_name", "due_on", "pk"),
    "meeting": ("-meeting__held_on", "due_on", "pk"),
}


def action_overdue(action: MeetingAction, today: datetime.date) -> bool:
    return rules.is_overdue(
        action.due_on, today, open_=action.status in OPEN_ACTION_STATUSES and not action.archived_at
    )


def action_list(
    *,
    user: User,
    body: Agency | None = None,
    status: str = "",
    meeting: Meeting | None = None,
    owner: User | None = None,
    overdue: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "due",
    include_archived: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[MeetingAction]:
    """Actions from meetings (due dates between `date_from` and `date_to`)."""
    today = _today(today)
    qs = _archived(action_policy.visible(user, MeetingAction.objects.all()), include_archived)
    if body is not None:
        qs = qs.filter(owner__agency=body)
    if status == "open":
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue:
        qs = qs.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
    qs = _dates(qs, "due_on", date_from, date_to)
    if search:
        qs = qs.filter(Q(description__icontains=search) | Q(notes__icontains=search))
    return qs.select_related("meeting__meeting_type", "owner__agency").order_by(
        *ACTION_ORDERINGS.get(ordering, ACTION_ORDERINGS["due"])
    )


def action_get(*, user: User, pk: Any) -> MeetingAction:
    return action_policy.get_visible_or_404(
        user,
        MeetingAction.objects.select_related("meeting__meeting_type", "owner__agency"),
        pk=pk,
    )


def with_overdue(actions: Iterable[MeetingAction], today: datetime.date | None = None) -> list:
    today = _today(today)
    rows = list(actions)
    for action in rows:
        action.overdue = action_overdue(action, today)
    return rows


# No-surprises notices ------------------------------------------------------------------------

NOTICE_ORDERINGS = {
    "-planned": ("-planned_on", "-pk"),
    "planned": ("planned_on", "pk"),
    "-told": (F("told_on").desc(nulls_last=True), "-pk"),
    "told": (F("told_on").asc(nulls_last=True), "pk"),
    "subject": ("subject", "pk"),
    "-subject": ("-subject", "-pk"),
    "body": ("raised_by__name", "-planned_on", "-pk"),
    "-body": ("-raised_by__name", "-planned_on", "-pk"),
}
NOTICE_FLAG_FILTERS = {
    "flagged": "Any flag",
    "late": "Late (short notice or told after the event)",
    "awaiting_acknowledgement": "Awaiting acknowledgement",
    "urgent": "Urgent",
    "not_told": "Not yet told",
}


def notice_flags(
    notice: NoSurprisesNotice, today: datetime.date | None = None
) -> rules.NoticeFlags:
    return rules.notice_flags(
        planned_on=notice.planned_on,
        told_on=notice.told_on,
        acknowledged_on=notice.acknowledged_on,
        urgent=notice.urgent,
        today=_today(today),
        min_lead_days=settings.NO_SURPRISES_MIN_LEAD_DAYS,
        ack_days=settings.NO_SURPRISES_ACK_DAYS,
    )


def with_flags(
    notices: Iterable[NoSurprisesNotice], today: datetime.date | None = None
) -> list[NoSurprisesNotice]:
    """The notices, each with `.flags` set."""
    today = _today(today)
    rows = list(notices)
    for notice in rows:
        notice.flags = notice_flags(notice, today)
    return rows


def _has_flag(notice: NoSurprisesNotice, flag: str) -> bool:
    flags = notice.flags
    return {
        "flagged": flags.flagged,
        "late": flags.late,
        "awaiting_acknowledgement": flags.awaiting_acknowledgement,
        "urgent": flags.urgent,
        "not_told": notice.told_on is None,
    }.get(flag, True)


def notice_list(
    *,
    user: User,
    body: Agency | None = None,
    kind: str = "",
    flag: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "-planned",
    include_archived: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[NoSurprisesNotice]:
    """Notices whose planned date falls between `date_from` and `date_to`. A `flag` narrows
    the list to notices with that flag today: the flags are worked out in Python (working days
    need the holiday calendar) from one query, then the list is those notices' ids."""
    qs = _archived(notice_policy.visible(user, NoSurprisesNotice.objects.all()), include_archived)
    if body is not None:
        qs = qs.filter(raised_by=body)
    if kind:
        qs = qs.filter(kind=kind)
    qs = _dates(qs, "planned_on", date_from, date_to)
    if search:
        qs = qs.filter(
            Q(subject__icontains=search)
            | Q(details__icontains=search)
            | Q(told_whom__icontains=search)
        )
    if flag == "urgent":
        qs = qs.filter(urgent=True)
    elif flag == "not_told":
        qs = qs.filter(told_on__isnull=True)
    elif flag:
        candidates = with_flags(qs.only(*_FLAG_FIELDS), today)
        qs = NoSurprisesNotice.objects.filter(
            pk__in=[n.pk for n in candidates if _has_flag(n, flag)]
        )
    return qs.select_related("raised_by").order_by(
        *NOTICE_ORDERINGS.get(ordering, NOTICE_ORDERINGS["-planned"])
    )


_FLAG_FIELDS = ("pk", "planned_on", "told_on", "acknowledged_on", "urgent")


def notice_get(*, user: User, pk: Any) -> NoSurprisesNotice:
    return notice_policy.get_visible_or_404(
        user, NoSurprisesNotice.objects.select_related("raised_by"), pk=pk
    )


def other_body(body: Agency, all_bodies: list[Agency] | None = None) -> Agency | None:
    """The other of the two bodies."""
    candidates = all_bodies if all_bodies is not None else list(bodies())
    return next((b for b in candidates if b.pk != body.pk), None)


@dataclass
class QuarterSummary:
    period: rules.Period
    by_body: dict[str, int] = field(default_factory=dict)  # body code -> notices raised
    total: int = 0
    told: int = 0
    median_lead_time: float | None = None
    late: int = 0
    unacknowledged: int = 0
    urgent: int = 0

    @property
    def ways(self) -> list[tuple[str, int]]:
        return sorted(self.by_body.items())


def notice_summary(
    *,
    user: User,
    first_year: int | None = None,
    last_year: int | None = None,
    body: Agency | None = None,
    today: datetime.date | None = None,
) -> list[QuarterSummary]:
    """Per financial quarter (by planned date): notices each way, the median lead time of
    those told, and how many are late, awaiting acknowledgement and urgent. Latest first."""
    today = _today(today)
    last_year = last_year if last_year is not None else rules.financial_year(today)
    first_year = first_year if first_year is not None else last_year - 1
    quarters = rules.periods(first_year, last_year, "quarter")
    qs = notice_policy.visible(
        user,
        NoSurprisesNotice.objects.filter(
            archived_at__isnull=True,
            planned_on__gte=quarters[0].starts_on,
            planned_on__lte=quarters[-1].ends_on,
        ),
    )
    if body is not None:
        qs = qs.filter(raised_by=body)
    codes = [b.code for b in bodies()]
    summaries = {q.key: QuarterSummary(q, by_body=dict.fromkeys(codes, 0)) for q in quarters}
    leads: dict[str, list[int]] = defaultdict(list)
    for notice in with_flags(qs.select_related("raised_by"), today):
        key = rules.period_containing(notice.planned_on, "quarter").key
        summary = summaries[key]
        summary.total += 1
        code = notice.raised_by.code
        summary.by_body[code] = summary.by_body.get(code, 0) + 1
        flags = notice.flags
        if flags.lead_time is not None:
            summary.told += 1
            leads[key].append(flags.lead_time)
        summary.late += flags.late
        summary.unacknowledged += flags.awaiting_acknowledgement
        summary.urgent += flags.urgent
    for key, values in leads.items():
        summaries[key].median_lead_time = statistics.median(values)
    current = rules.period_containing(today, "quarter")
    return [s for s in reversed(summaries.values()) if s.period.starts_on <= current.ends_on]


# Escalations ---------------------------------------------------------------------------------

ESCALATION_ORDERINGS = {
    "raised": ("raised_on", "pk"),
    "-raised": ("-raised_on", "-pk"),
    "level": ("level_rank", "raised_on", "pk"),
    "-level": ("-level_rank", "raised_on", "pk"),
    "target": (F("current_target_on").asc(nulls_last=True), "raised_on", "pk"),
    "subject": ("subject", "pk"),
    "-subject": ("-subject", "-pk"),
}


def _current_step(column: str) -> Subquery:
    return Subquery(
        EscalationStep.objects.filter(
            escalation=OuterRef("pk"), level=OuterRef("level"), archived_at__isnull=True
        ).values(column)[:1]
    )


def _with_current_step(qs: QuerySet[Escalation]) -> QuerySet[Escalation]:
    from django.db.models import Case, IntegerField, Value, When

    from .models import EscalationLevel

    return qs.annotate(
        current_target_on=_current_step("target_on"),
        current_reached_on=_current_step("reached_on"),
        current_held_by=_current_step("held_by"),
        level_rank=Case(
            *[When(level=level.value, then=Value(level.rank)) for level in EscalationLevel],
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class EscalationState:
    age: int  # calendar days since raised (to the date it closed, once closed)
    days_at_level: int | None  # calendar days at the current level
    overdue: bool  # open and past the current step's target date

    @property
    def age_label(self) -> str:
        return f"{self.age} day{'s' if self.age != 1 else ''}"


def escalation_state(escalation: Escalation, today: datetime.date) -> EscalationState:
    is_open = escalation.status == EscalationStatus.OPEN
    reached = getattr(escalation, "current_reached_on", None)
    return EscalationState(
        age=rules.age_in_days(escalation.raised_on, today, escalation.resolved_on),
        days_at_level=rules.age_in_days(reached, today, escalation.resolved_on)
        if reached
        else None,
        overdue=rules.is_overdue(
            getattr(escalation, "current_target_on", None), today, open_=is_open
        ),
    )


def with_state(
    escalations: Iterable[Escalation], today: datetime.date | None = None
) -> list[Escalation]:
    today = _today(today)
    rows = list(escalations)
    for escalation in rows:
        escalation.state = escalation_state(escalation, today)
    return rows


def escalation_list(
    *,
    user: User,
    body: Agency | None = None,
    status: str = "",
    level: str = "",
    overdue: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "raised",
    include_archived: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Escalation]:
    """Escalations (raised between `date_from` and `date_to`) with their current step's
    target date, reached date and holder annotated; oldest first by default."""
    today = _today(today)
    qs = _archived(escalation_policy.visible(user, Escalation.objects.all()), include_archived)
    if body is not None:
        qs = qs.filter(raised_by=body)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    qs = _dates(qs, "raised_on", date_from, date_to)
    if search:
        qs = qs.filter(Q(subject__icontains=search) | Q(description__icontains=search))
    qs = _with_current_step(qs.select_related("raised_by"))
    if overdue:
        qs = qs.filter(status=EscalationStatus.OPEN, current_target_on__lt=today)
    return qs.order_by(*ESCALATION_ORDERINGS.get(ordering, ESCALATION_ORDERINGS["raised"]))


def with_steps(qs: QuerySet[Escalation]) -> QuerySet[Escalation]:
    """Each escalation's steps (not archived), in order, in one more query."""
    return qs.prefetch_related(
        Prefetch(
            "steps",
            queryset=EscalationStep.objects.filter(archived_at__isnull=True).order_by(
                "reached_on", "pk"
            ),
        )
    )


def escalation_get(*, user: User, pk: Any) -> Escalation:
    return escalation_policy.get_visible_or_404(
        user,
        with_steps(_with_current_step(Escalation.objects.select_related("raised_by"))),
        pk=pk,
    )


# Shared risks --------------------------------------------------------------------------------

RISK_ORDERINGS = {
    "-rating": ("-rated", "title", "pk"),
    "rating": ("rated", "title", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "review": ("review_on", "pk"),
    "-review": ("-review_on", "-pk"),
}


def risk_list(
    *,
    user: User,
    body: Agency | None = None,
    status: str = "",
    band: str = "",
    review_due: bool = False,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "-rating",
    include_archived: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[SharedRisk]:
    """The joint register: risks (review dates between `date_from` and `date_to`) with their
    rating and count of open mitigations annotated; highest rated first."""
    today = _today(today)
    qs = _archived(risk_policy.visible(user, SharedRisk.objects.all()), include_archived)
    if body is not None:
        qs = qs.filter(owner_body=body)
    if status:
        qs = qs.filter(status=status)
    qs = _dates(qs, "review_on", date_from, date_to)
    if review_due:
        qs = qs.filter(review_on__lte=today)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(description__icontains=search))
    qs = qs.annotate(
        rated=F("likelihood") * F("impact"),  # the `rating` property, for sorting and filters
        open_mitigations=Count(
            "mitigations",
            filter=~Q(mitigations__status=MitigationStatus.DONE)
            & Q(mitigations__archived_at__isnull=True),
            distinct=True,
        ),
    )
    bounds = rules.risk_band_range(band) if band else None
    if bounds:
        qs = qs.filter(rated__gte=bounds[0], rated__lte=bounds[1])
    return qs.select_related("owner_body", "raised_by").order_by(
        *RISK_ORDERINGS.get(ordering, RISK_ORDERINGS["-rating"])
    )


def risk_get(*, user: User, pk: Any) -> SharedRisk:
    return risk_policy.get_visible_or_404(
        user,
        SharedRisk.objects.select_related("owner_body", "raised_by").prefetch_related(
            Prefetch(
                "mitigations",
                queryset=Mitigation.objects.filter(archived_at__isnull=True)
                .select_related("owner__agency")
                .order_by("due_on", "pk"),
            ),
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(archived_at__isnull=True)
                .select_related("meeting_type")
                .order_by("-held_on"),
            ),
        ),
        pk=pk,
    )


def mitigation_get(*, user: User, pk: Any) -> Mitigation:
    return mitigation_policy.get_visible_or_404(
        user, Mitigation.objects.select_related("risk", "owner__agency"), pk=pk
    )


def risk_choices(*, user: User) -> QuerySet[SharedRisk]:
    return risk_policy.visible(user, SharedRisk.objects.filter(archived_at__isnull=True)).order_by(
        "title"
    )


# Meeting gaps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingGap:
    """A period in which a meeting of this type was expected and none was held."""

    meeting_type: MeetingType
    period: rules.Period
    current: bool  # the period is still running (and close to its end)
    booked_not_held: int  # meetings booked in the period but not recorded as held
    days_left: int | None  # for the current period

    @property
    def reason(self) -> str:
        if self.current:
            days = self.days_left or 0
            return f"Ends in {days} day{'s' if days != 1 else ''} with no meeting booked"
        if self.booked_not_held:
            return "No meeting held (one was booked but is not recorded as held)"
        return "No meeting held"


def gap_years(today: datetime.date | None = None) -> tuple[int, int]:
    """The default span for gaps: the previous financial year and the current one."""
    current = rules.financial_year(_today(today))
    return current - 1, current


def meeting_gaps(
    *,
    user: User,
    first_year: int | None = None,
    last_year: int | None = None,
    meeting_type: MeetingType | None = None,
    today: datetime.date | None = None,
) -> list[MeetingGap]:
    """For each meeting type expected every quarter or once a year, the periods of the financial
    years `first_year` to `last_year` (by default the previous and current) with no meeting held:
    past periods, and the current one when it ends within MEETING_GAP_WARNING_DAYS with none
    booked. Computed from the meetings, in two queries; latest first within each type."""
    today = _today(today)
    default_first, default_last = gap_years(today)
    first_year = default_first if first_year is None else first_year
    last_year = default_last if last_year is None else last_year
    warning = settings.MEETING_GAP_WARNING_DAYS
    types = [
        t
        for t in meeting_type_list(user=user)
        if t.gap_period and (meeting_type is None or t.pk == meeting_type.pk)
    ]
    if not types or first_year > last_year:
        return []
    span = rules.periods(first_year, last_year, "year")
    meetings = list(
        meeting_policy.visible(
            user,
            Meeting.objects.filter(
                archived_at__isnull=True,
                meeting_type__in=[t.pk for t in types],
                held_on__gte=span[0].starts_on,
                held_on__lte=span[-1].ends_on,
            ).exclude(status=MeetingStatus.CANCELLED),
        ).values_list("meeting_type_id", "held_on", "status")
    )
    gaps: list[MeetingGap] = []
    for meeting_type_ in types:
        mine = [(on, status) for type_id, on, status in meetings if type_id == meeting_type_.pk]
        for period in reversed(rules.periods(first_year, last_year, meeting_type_.gap_period)):
            if period.starts_on > today:
                continue  # not started: nothing is missing yet
            in_period = [(on, s) for on, s in mine if period.contains(on)]
            if any(s == MeetingStatus.HELD and on <= today for on, s in in_period):
                continue
            if period.contains(today):
                days_left = (period.ends_on - today).days
                booked = any(s == MeetingStatus.BOOKED and on >= today for on, s in in_period)
                if days_left > warning or booked:
                    continue
                gaps.append(MeetingGap(meeting_type_, period, True, 0, days_left))
                continue
            booked_past = sum(1 for _, s in in_period if s == MeetingStatus.BOOKED)
            gaps.append(MeetingGap(meeting_type_, period, False, booked_past, None))
    return gaps


# The chief executives' review ----------------------------------------------------------------

RECENTLY_RESOLVED_DAYS = 90
RECENT_NOTICE_DAYS = 365


@dataclass(frozen=True)
class Review:
    today: datetime.date
    open_escalations: list[Escalation]
    recently_resolved: list[Escalation]
    flagged_notices: list[NoSurprisesNotice]
    gaps: list[MeetingGap]
    overdue_actions: list[MeetingAction]
    reviews: list[LogReview]

    @property
    def last_review(self) -> LogReview | None:
        return self.reviews[0] if self.reviews else None


def review_overview(*, user: User, today: datetime.date | None = None) -> Review:
    """What the chief executives review: open escalations oldest first with their age and
    level, those resolved or withdrawn in the last 90 days, notices flagged today (planned in
    the last year or later, or still awaiting acknowledgement), meeting gaps, overdue actions
    and the latest recorded reviews. The same queries however long the log."""
    today = _today(today)
    open_escalations = with_state(
        escalation_list(user=user, status=EscalationStatus.OPEN, ordering="raised"), today
    )
    resolved = with_state(
        escalation_list(user=user, ordering="-raised")
        .exclude(status=EscalationStatus.OPEN)
        .filter(resolved_on__gte=today - datetime.timedelta(days=RECENTLY_RESOLVED_DAYS))
        .order_by("-resolved_on", "-pk"),
        today,
    )
    recent = today - datetime.timedelta(days=RECENT_NOTICE_DAYS)
    notices = notice_policy.visible(
        user,
        NoSurprisesNotice.objects.filter(archived_at__isnull=True).filter(
            Q(planned_on__gte=recent) | Q(told_on__isnull=False, acknowledged_on__isnull=True)
        ),
    )
    flagged = [
        n
        for n in with_flags(
            notices.select_related("raised_by").order_by("-planned_on", "-pk"), today
        )
        if n.flags.flagged
    ]
    overdue_actions = with_overdue(action_list(user=user, overdue=True, today=today), today)
    reviews = list(
        review_policy.visible(user, LogReview.objects.filter(archived_at__isnull=True))
        .select_related("reviewed_by__agency")
        .order_by("-reviewed_on", "-pk")[:5]
    )
    return Review(
        today=today,
        open_escalations=open_escalations,
        recently_resolved=resolved,
        flagged_notices=flagged,
        gaps=meeting_gaps(user=user, today=today),
        overdue_actions=overdue_actions,
        reviews=reviews,
    )
