"""Who may see and do what with inspections.

- Team members (granted through django-guardian as the team changes) see and edit.
- Members with a declared connection see evidence only once the lead has cleared them.
- The partnership's current link inspector, and directors and chief executives of the
  agencies involved, read the inspection (not its evidence).
- Every other signed-in user sees inspections once published.
- Administrators (model-wide permissions) see and manage every inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.roles import Role
from partnerships.models import AreaAssignment, AreaRole
from scrutiny.permissions import Policy

from .models import (
    PUBLISHED_STATUSES,
    Attachment,
    EvidenceActivity,
    Inspection,
    Milestone,
    TeamMember,
    TeamRole,
)

if TYPE_CHECKING:
    from accounts.models import User

VIEW = "inspections.view_inspection"
CHANGE = "inspections.change_inspection"
VIEW_EVIDENCE = "inspections.view_inspection_evidence"


def _guardian(user: User, perm: str) -> QuerySet[Inspection]:
    return get_objects_for_user(
        user, perm, klass=Inspection, accept_global_perms=False, with_superuser=False
    )


def _link_inspector_of(user: User) -> Q:
    today = timezone.localdate()
    areas = AreaAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        user=user,
        role=AreaRole.LINK_INSPECTOR,
        started_on__lte=today,
        archived_at__isnull=True,
    ).values("local_authority_id")
    return Q(partnership__local_authorities__in=areas)


def _senior_of_involved_agency(user: User) -> Q:
    if not (user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)):
        return Q(pk__in=[])
    return Q(lead_agency_id=user.agency_id) | Q(programme__partner_agencies=user.agency_id)


def _drafts_readers(user: User) -> Q:
    """Team members (not excluded), the current link inspector, and directors and chief
    executives of the agencies involved."""
    return (
        Q(pk__in=_guardian(user, VIEW).values("pk"))
        | _link_inspector_of(user)
        | _senior_of_involved_agency(user)
    )


class InspectionPolicy(Policy[Inspection]):
    model = Inspection

    def visible(self, user: User, queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
        queryset = super().visible(user, queryset)
        if not user.is_authenticated or not user.is_active:
            return queryset
        if user.has_perm(VIEW):
            return queryset
        readable = Inspection.objects.filter(
            Q(status__in=PUBLISHED_STATUSES) | _drafts_readers(user)
        ).values("pk")
        return queryset.filter(pk__in=readable)

    def with_drafts(self, user: User) -> QuerySet[Inspection]:
        """The inspections whose unpublished work (team, milestones, timings) the user reads."""
        if not user.is_authenticated or not user.is_active:
            return Inspection.objects.none()
        if user.has_perm(VIEW):
            return Inspection.objects.all()
        return Inspection.objects.filter(
            pk__in=Inspection.objects.filter(_drafts_readers(user)).values("pk")
        )

    def can_see_drafts(self, user: User, inspection: Inspection) -> bool:
        """May this user read the unpublished work (beyond what is published)?"""
        if not user.is_authenticated or not user.is_active:
            return False
        return user.has_perm(VIEW) or self.with_drafts(user).filter(pk=inspection.pk).exists()

    def can_change(self, user: User, obj: Inspection | None = None) -> bool:
        if obj is not None and obj.archived_at is not None:
            return False
        return user.is_active and (user.has_perm(CHANGE) or user.has_perm(CHANGE, obj))

    def can_add(self, user: User) -> bool:
        return user.is_active and user.has_perm("inspections.add_inspection")

    def is_lead(self, user: User, inspection: Inspection) -> bool:
        return TeamMember.objects.filter(
            inspection=inspection, user=user, role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
        ).exists()

    def can_lead(self, user: User, inspection: Inspection) -> bool:
        """Transitions, team decisions, milestone moves: the lead inspector or an administrator."""
        return user.is_active and (user.has_perm(CHANGE) or self.is_lead(user, inspection))

    def can_view_evidence(self, user: User, inspection: Inspection) -> bool:
        return user.is_active and user.has_perm(VIEW_EVIDENCE, inspection)

    def inspections_with_evidence(self, user: User) -> QuerySet[Inspection]:
        if not user.is_authenticated or not user.is_active:
            return Inspection.objects.none()
        return _guardian(user, VIEW_EVIDENCE)


inspection_policy = InspectionPolicy()


class EvidencePolicy(Policy[EvidenceActivity]):
    """Evidence is for cleared team members only; anyone else gets a 404."""

    model = EvidenceActivity

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        return queryset.filter(
            inspection__in=inspection_policy.inspections_with_evidence(user).values("pk")
        )

    def can_change(self, user, obj=None) -> bool:
        inspection = obj.inspection if obj is not None else None
        return (
            inspection is not None
            and inspection_policy.can_view_evidence(user, inspection)
            and inspection_policy.can_change(user, inspection)
        )


evidence_policy = EvidencePolicy()


class AttachmentPolicy(Policy[Attachment]):
    model = Attachment

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        return queryset.filter(
            evidence_activity__inspection__in=inspection_policy.inspections_with_evidence(
                user
            ).values("pk")
        )


attachment_policy = AttachmentPolicy()


class MilestonePolicy(Policy[Milestone]):
    """Milestones are unpublished work: only those who may see the inspection's drafts."""

    model = Milestone

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        return queryset.filter(inspection__in=inspection_policy.with_drafts(user).values("pk"))


milestone_policy = MilestonePolicy()
