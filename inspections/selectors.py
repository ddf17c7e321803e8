"""Reads for inspections. Every list goes through the policies' `visible` filters."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from partnerships.selectors import current_link_inspectors

from . import lifecycle
from .models import (
    STATUS_SEQUENCE,
    Attachment,
    EvidenceActivity,
    Inspection,
    InspectionStatus,
    Milestone,
    Programme,
    QualityIndicator,
    StatusChange,
    TeamMember,
    TeamRole,
)
from .policies import attachment_policy, evidence_policy, inspection_policy, milestone_policy

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership

INSPECTION_ORDERINGS = {
    "title": ("title", "pk"),
    "-title": ("-title", "pk"),
    "status": ("status", "title", "pk"),
    "-status": ("-status", "title", "pk"),
    # Inspections with no planned date come last either way, on every database.
    "notification": (F("planned_notification_on").asc(nulls_last=True), "pk"),
    "-notification": (F("planned_notification_on").desc(nulls_last=True), "-pk"),
    "partnership": ("partnership__name", "title", "pk"),
    "-partnership": ("-partnership__name", "title", "pk"),
}


def _lead_prefetch() -> Prefetch:
    return Prefetch(
        "team",
        queryset=TeamMember.objects.filter(
            role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
        ).select_related("user"),
        to_attr="leads",
    )


def inspection_list(
    *,
    user: User,
    programme: Programme | None = None,
    partnership: Partnership | None = None,
    status: str = "",
    lead_inspector: User | None = None,
    year: int | None = None,
    mine: bool = False,
    search: str = "",
    ordering: str = "-notification",
    include_archived: bool = False,
) -> QuerySet[Inspection]:
    """Inspections the user may see, filtered and sorted, with what list pages show."""
    qs = inspection_policy.visible(user, Inspection.objects.all())
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if status:
        qs = qs.filter(status=status)
    if lead_inspector is not None:
        qs = qs.filter(
            team__user=lead_inspector,
            team__role=TeamRole.LEAD_INSPECTOR,
            team__archived_at__isnull=True,
        )
    if year:
        qs = qs.filter(
            Q(notified_on__year=year)
            | Q(notified_on__isnull=True, planned_notification_on__year=year)
        )
    if mine:
        qs = qs.filter(team__user=user, team__archived_at__isnull=True)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(partnership__name__icontains=search))
    qs = qs.distinct() if (lead_inspector is not None or mine) else qs
    return (
        qs.select_related("programme", "partnership", "lead_agency")
        .prefetch_related(_lead_prefetch())
        .order_by(*INSPECTION_ORDERINGS.get(ordering, INSPECTION_ORDERINGS["-notification"]))
    )


def inspection_get(*, user: User, pk: int) -> Inspection:
    """The inspection, or 404 if it does not exist or the user may not see it."""
    return inspection_policy.get_visible_or_404(
        user,
        Inspection.objects.select_related(
            "programme__evaluation_scale", "partnership", "lead_agency"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class StageTiming:
    status: str
    label: str
    planned_week: int | None
    actual_week: int | None


@dataclass(frozen=True)
class NextStep:
    status: str
    label: str
    unmet: list[str]

    @property
    def ready(self) -> bool:
        return not self.unmet


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    state: str  # "done", "overdue", "due"


@dataclass(frozen=True)
class InspectionOverview:
    inspection: Inspection
    can_see_drafts: bool
    can_change: bool
    can_lead: bool
    can_view_evidence: bool
    team: list[TeamMember]
    lead: TeamMember | None
    link_inspectors: list
    indicators: list[QualityIndicator]
    next_steps: list[NextStep]
    milestones: list[MilestoneRow]
    timings: list[StageTiming]
    status_changes: list[StatusChange]
    evidence: list[EvidenceActivity]
    my_membership: TeamMember | None


def milestone_state(milestone: Milestone, today: datetime.date) -> str:
    if milestone.completed_on:
        return "done"
    return "overdue" if milestone.due_on < today else "due"


def _timings(
    inspection: Inspection, milestones: list[Milestone], changes: list[StatusChange]
) -> list[StageTiming]:
    """Planned against actual weeks from notification to each stage."""
    if not inspection.notified_on:
        return []
    # A stage is planned to start at its earliest milestone's template week, whatever order
    # moved milestones now fall in.
    planned: dict[str, int] = {}
    for m in milestones:
        planned[m.stage] = min(planned.get(m.stage, m.offset_weeks), m.offset_weeks)
    actual: dict[str, int] = {}
    for change in changes:
        if change.to_status not in actual:
            actual[change.to_status] = (change.changed_on - inspection.notified_on).days // 7
    labels = dict(InspectionStatus.choices)
    return [
        StageTiming(status, labels[status], planned.get(status), actual.get(status))
        for status in STATUS_SEQUENCE[1:]
        if status in planned or status in actual
    ]


def inspection_overview(
    *, user: User, pk: int, today: datetime.date | None = None
) -> InspectionOverview:
    """Everything the inspection's page shows the user. The team and the evidence activities
    are read once, for the page and for the stage gates of the next steps alike."""
    inspection = inspection_get(user=user, pk=pk)
    today = today or timezone.localdate()
    can_see_drafts = inspection_policy.can_see_drafts(user, inspection)
    can_view_evidence = inspection_policy.can_view_evidence(user, inspection)
    members = list(
        inspection.team.select_related("user__agency", "decided_by").order_by(
            "role", "user__full_name"
        )
    )
    team = [m for m in members if m.archived_at is None]
    milestones = list(inspection.milestones.filter(archived_at__isnull=True))
    changes = list(inspection.status_changes.select_related("changed_by"))
    can_lead = inspection_policy.can_lead(user, inspection, team)
    gated = can_lead and can_see_drafts
    activities: list[EvidenceActivity] = []
    if can_view_evidence or gated:
        activities = list(inspection.evidence_activities.all())
    evidence = [a for a in activities if a.archived_at is None] if can_view_evidence else []
    if evidence:
        prefetch_related_objects(
            evidence,
            "carried_out_by",
            Prefetch("attachments", queryset=Attachment.objects.filter(archived_at__isnull=True)),
        )
    next_steps = []
    if gated:
        next_steps = _next_steps(inspection, members, activities)
    return InspectionOverview(
        inspection=inspection,
        can_see_drafts=can_see_drafts,
        can_change=inspection_policy.can_change(user, inspection),
        can_lead=can_lead,
        can_view_evidence=can_view_evidence,
        team=team if can_see_drafts else [],
        lead=next((m for m in team if m.role == TeamRole.LEAD_INSPECTOR), None),
        link_inspectors=current_link_inspectors(partnership=inspection.partnership, on=today),
        indicators=list(inspection.quality_indicators.order_by("order", "number")),
        next_steps=next_steps,
        milestones=[MilestoneRow(m, milestone_state(m, today)) for m in milestones]
        if can_see_drafts
        else [],
        timings=_timings(inspection, milestones, changes) if can_see_drafts else [],
        status_changes=changes if can_see_drafts else [],
        evidence=evidence,
        my_membership=next((m for m in team if m.user_id == user.pk), None),
    )


def _next_steps(
    inspection: Inspection, members: list[TeamMember], activities: list[EvidenceActivity]
) -> list[NextStep]:
    """The statuses the inspection may move to, each with what its gates find missing. The
    gates read the whole team (with each member's user), every evidence activity and the
    programme's partner agencies: given from what the page has read already, on a copy of the
    inspection (one query more, for the partner agencies)."""
    gated = copy.copy(inspection)
    gated._prefetched_objects_cache = {"team": members, "evidence_activities": activities}
    prefetch_related_objects([gated.programme], "partner_agencies")
    labels = dict(InspectionStatus.choices)
    return [
        NextStep(status, labels[status], lifecycle.unmet_conditions(gated, status))
        for status in lifecycle.next_statuses(gated)
    ]


def team_member_get(
    *, user: User, inspection: Inspection, pk: int, current: bool = True
) -> TeamMember:
    """A member of a team whose drafts the user may see, or 404."""
    from django.http import Http404

    if not inspection_policy.can_see_drafts(user, inspection):
        raise Http404
    members = TeamMember.objects.select_related("user__agency", "inspection__partnership")
    if current:
        members = members.filter(archived_at__isnull=True)
    try:
        return members.get(pk=pk, inspection=inspection)
    except TeamMember.DoesNotExist as exc:
        raise Http404 from exc


def evidence_activity_list(
    *, user: User, inspection: Inspection | None = None, kind: str = "", status: str = ""
) -> QuerySet[EvidenceActivity]:
    qs = evidence_policy.visible(user, EvidenceActivity.objects.filter(archived_at__isnull=True))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("inspection").prefetch_related(
        "carried_out_by",
        Prefetch("attachments", queryset=Attachment.objects.filter(archived_at__isnull=True)),
    )


def evidence_activity_get(*, user: User, pk: int) -> EvidenceActivity:
    return evidence_policy.get_visible_or_404(
        user, EvidenceActivity.objects.select_related("inspection__programme"), pk=pk
    )


def attachment_get(*, user: User, pk: int) -> Attachment:
    return attachment_policy.get_visible_or_404(
        user, Attachment.objects.select_related("evidence_activity__inspection"), pk=pk
    )


def attachment_list(*, user: User) -> QuerySet[Attachment]:
    return attachment_policy.visible(
        user, Attachment.objects.filter(archived_at__isnull=True)
    ).select_related("evidence_activity", "uploaded_by")


def milestone_list(*, user: User, inspection: Inspection) -> QuerySet[Milestone]:
    """The inspection's milestones, for those who may see its unpublished work."""
    return milestone_policy.visible(
        user, Milestone.objects.filter(inspection=inspection, archived_at__isnull=True)
    )


def milestone_get(*, user: User, inspection: Inspection, pk: int) -> Milestone:
    if not inspection_policy.can_see_drafts(user, inspection):
        from django.http import Http404

        raise Http404
    return milestone_policy.get_visible_or_404(
        user, Milestone.objects.select_related("inspection"), pk=pk, inspection=inspection
    )


def programme_list(*, user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(archived_at__isnull=True)
        .select_related("lead_agency", "evaluation_scale")
        .prefetch_related("partner_agencies")
    )


def quality_indicator_list(
    *, user: User, programme: Programme | None = None
) -> QuerySet[QualityIndicator]:
    qs = QualityIndicator.objects.filter(archived_at__isnull=True).select_related(
        "programme", "parent"
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("programme__name", "order", "number")


def inspections_for_partnership(*, user: User, partnership: Partnership) -> QuerySet[Inspection]:
    return inspection_list(user=user, partnership=partnership)
