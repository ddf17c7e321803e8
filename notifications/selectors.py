"""Reads for notifications: a person's notifications and unread count, their email choice,
their calendar link and what their calendar shows."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .models import CalendarFeed, EmailMode, Notification, NotificationPreference
from .policies import notification_policy

# The calendar shows dates from this many days ago onwards.
CALENDAR_PAST_DAYS = 365


def unread_count(*, user: User) -> int:
    return notification_policy.visible(
        user, Notification.objects.filter(read_at__isnull=True)
    ).count()


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    qs = notification_policy.visible(user, Notification.objects.all())
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notification_get(*, user: User, pk: object) -> Notification:
    return notification_policy.get_visible_or_404(user, Notification.objects.all(), pk=pk)


def email_mode_of(user: User) -> str:
    """How the person wants reminders emailed (an email for each unless they chose otherwise).
    No query when the preference was selected with the user."""
    try:
        return user.notification_preference.email_mode
    except NotificationPreference.DoesNotExist:
        return EmailMode.EACH


def preference_for(*, user: User) -> NotificationPreference:
    """The person's saved preference, or an unsaved default (an email for each reminder)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user, email_mode=EmailMode.EACH
    )


# Calendar ------------------------------------------------------------------------------------


def live_calendar_feed(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live link with this token, of an active person; None for a revoked, unknown or
    malformed one."""
    if not token or len(token) > 100:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    on: datetime.date
    summary: str
    description: str
    url: str


def _my_inspections(user: User, *, leads_only: bool = False) -> QuerySet:
    from inspections.models import ConflictDecision, TeamMember, TeamRole

    qs = TeamMember.objects.filter(user=user, archived_at__isnull=True).exclude(
        decision=ConflictDecision.EXCLUDED
    )
    if leads_only:
        qs = qs.filter(role=TeamRole.LEAD_INSPECTOR)
    return qs.values("inspection_id")


def _milestone_items(user: User, since: datetime.date) -> list[CalendarItem]:
    from inspections.models import InspectionStatus, Milestone

    rows = (
        Milestone.objects.filter(
            inspection__in=_my_inspections(user),
            archived_at__isnull=True,
            inspection__archived_at__isnull=True,
            due_on__gte=since,
        )
        .exclude(inspection__status=InspectionStatus.WITHDRAWN)
        .select_related("inspection")
        .order_by("due_on", "pk")
    )
    return [
        CalendarItem(
            uid=f"milestone-{m.pk}",
            on=m.due_on,
            summary=f"Milestone: {m.name} ({m.inspection.title})"
            + (" (done)" if m.completed_on else ""),
            description=f"{m.name}, {m.get_stage_display().lower()} stage of {m.inspection.title}.",
            url=reverse("inspections:detail", args=[m.inspection_id]) + "#milestones",
        )
        for m in rows
    ]


def _responsible_for(user: User) -> Q:
    """Improvement records the person answers for: those of inspections they lead and of
    partnerships whose council areas they are the current link inspector of."""
    from improvement.policies import link_partnerships

    return Q(plan__inspection__in=_my_inspections(user, leads_only=True)) | Q(
        plan__partnership__in=link_partnerships(user).values("pk")
    )


def _improvement_action_items(user: User, since: datetime.date) -> list[CalendarItem]:
    from improvement.models import CLOSED_ACTION_STATUSES, ImprovementAction

    rows = (
        ImprovementAction.objects.filter(
            _responsible_for(user),
            archived_at__isnull=True,
            plan__archived_at__isnull=True,
            due_on__gte=since,
        )
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .select_related("plan")
        .order_by("due_on", "pk")
    )
    return [
        CalendarItem(
            uid=f"improvement-action-{a.pk}",
            on=a.due_on,
            summary=f"Improvement action due: {a}",
            description=f"{a.plan.title}. Owner: {a.owner_name}, {a.owner_organisation}. "
            f"{a.description}",
            url=reverse("improvement:plan_detail", args=[a.plan_id]) + "#actions",
        )
        for a in rows
    ]


def _progress_review_items(user: User, since: datetime.date) -> list[CalendarItem]:
    from improvement.models import ProgressReview, ReviewStatus
    from improvement.policies import link_partnerships

    rows = (
        ProgressReview.objects.filter(
            Q(decision__assessment__inspection__in=_my_inspections(user, leads_only=True))
            | Q(partnership__in=link_partnerships(user).values("pk")),
            archived_at__isnull=True,
            due_on__gte=since,
        )
        .exclude(status=ReviewStatus.CANCELLED)
        .select_related("partnership")
        .order_by("due_on", "pk")
    )
    return [
        CalendarItem(
            uid=f"progress-review-{r.pk}",
            on=r.held_on or r.due_on,
            summary=f"{r.get_kind_display()}: {r.partnership}"
            + (" (held)" if r.status == ReviewStatus.HELD else ""),
            description=f"{r.get_kind_display()} of {r.partnership}, due {r.due_on:%-d %B %Y}.",
            url=reverse("improvement:review_detail", args=[r.pk]),
        )
        for r in rows
    ]


def _meeting_action_items(user: User, since: datetime.date) -> list[CalendarItem]:
    from cooperation.models import OPEN_ACTION_STATUSES, MeetingAction

    rows = (
        MeetingAction.objects.filter(
            owner=user,
            archived_at__isnull=True,
            status__in=OPEN_ACTION_STATUSES,
            due_on__gte=since,
        )
        .select_related("meeting__meeting_type")
        .order_by("due_on", "pk")
    )
    return [
        CalendarItem(
            uid=f"meeting-action-{a.pk}",
            on=a.due_on,
            summary=f"Action due: {a}",
            description=f"An action from {a.meeting}: {a.description}",
            url=reverse("cooperation:meeting_detail", args=[a.meeting_id]),
        )
        for a in rows
    ]


def _meeting_items(user: User, since: datetime.date) -> list[CalendarItem]:
    """Co-operation meetings, for the directors and chief executives of either body who keep
    the log."""
    from cooperation.models import BODY_CODES, Meeting, MeetingStatus

    senior = user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)
    if not senior or user.agency.code not in BODY_CODES:
        return []
    rows = (
        Meeting.objects.filter(archived_at__isnull=True, held_on__gte=since)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("meeting_type", "raised_by")
        .order_by("held_on", "pk")
    )
    return [
        CalendarItem(
            uid=f"meeting-{m.pk}",
            on=m.held_on,
            summary=f"Meeting: {m}",
            description=f"{m.meeting_type.name} meeting arranged by {m.raised_by.name}"
            + (f", {m.location}" if m.location else "")
            + ".",
            url=reverse("cooperation:meeting_detail", args=[m.pk]),
        )
        for m in rows
    ]


CALENDAR_SOURCES = [
    _milestone_items,
    _improvement_action_items,
    _progress_review_items,
    _meeting_action_items,
    _meeting_items,
]


def calendar_items(*, user: User, today: datetime.date | None = None) -> list[CalendarItem]:
    """What the person's calendar shows, from CALENDAR_PAST_DAYS ago onwards, by date: the
    milestones of the inspections they are on, the improvement actions (and progress reviews)
    they answer for, the co-operation actions they own and, for directors and chief
    executives, the co-operation meetings. One query per kind of item."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    items = [item for source in CALENDAR_SOURCES for item in source(user, since)]
    return sorted(items, key=lambda item: (item.on, item.uid))
