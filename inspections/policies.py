"""Who may see and do what with inspections.

- Team members (granted through django-guardian as the team changes) see and edit.
- Members with a declared connection see evidence only once the lead has cleared them.
- The partnership's current link inspector, and directors and chief executives of the
  agencies involved, read the inspection (not its evidence).
- Every other signed-in user sees inspections once published.
- Administrators (model-wide permissions) see and manage every inspection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from accounts.roles import Role
from partnerships.policies import link_area_ids, link_areas
from scrutiny.permissions import Policy, object_perm, per_request, remembering

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
    return Q(partnership__local_authorities__in=link_areas(user))


def _is_senior(user: User) -> bool:
    return user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)


def _senior_of_involved_agency(user: User) -> Q:
    if not _is_senior(user):
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


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


class InspectionPolicy(Policy[Inspection]):
    """Within a request (scrutiny.permissions.per_request) the inspections whose drafts and
    whose evidence a user reads are each read once, as sets of ids, and every filter and check
    of the request answers from them; outside one, the filters are subqueries, as ever."""

    model = Inspection

    def object_perms(self, user: User) -> dict[str, frozenset[int]]:
        """The user's django-guardian permissions on inspections, given to them or to a group
        of theirs: codename -> ids of the inspections. One query, once per request."""

        def read() -> dict[str, frozenset[int]]:
            ct = ContentType.objects.get_for_model(Inspection)
            group = f"group__{get_user_model().groups.field.related_query_name()}"
            direct = (
                get_user_obj_perms_model(Inspection)
                .objects.filter(user=user, permission__content_type=ct)
                .values_list("object_pk", "permission__codename")
            )
            grouped = (
                get_group_obj_perms_model(Inspection)
                .objects.filter(**{group: user}, permission__content_type=ct)
                .values_list("object_pk", "permission__codename")
            )
            found: dict[str, set[int]] = {}
            for object_pk, codename in direct.order_by().union(grouped.order_by(), all=True):
                if str(object_pk).isdigit():
                    found.setdefault(codename, set()).add(int(object_pk))
            return {codename: frozenset(ids) for codename, ids in found.items()}

        return per_request(user, "inspections.object_perms", read)

    def _perm_ids(self, user: User, perm: str) -> frozenset[int]:
        return self.object_perms(user).get(perm.partition(".")[2], frozenset())

    def drafts_ids(self, user: User) -> frozenset[int]:
        """Ids of the inspections whose unpublished work the user reads through the team, the
        link inspector or the agencies involved (not the model-wide permission), once per
        request: from their object permissions, and one query more for a link inspector or a
        director or chief executive."""

        def read() -> frozenset[int]:
            ids = set(self._perm_ids(user, VIEW))
            areas = link_area_ids(user)
            if areas or _is_senior(user):
                others = _senior_of_involved_agency(user)
                if areas:
                    others |= Q(partnership__local_authorities__in=sorted(areas))
                found = Inspection.objects.filter(others).order_by().values_list("pk", flat=True)
                ids.update(found)
            return frozenset(ids)

        return per_request(user, "inspections.drafts", read)

    def evidence_ids(self, user: User) -> frozenset[int]:
        """Ids of the inspections whose evidence the user may see, once per request."""
        return self._perm_ids(user, VIEW_EVIDENCE)

    def change_ids(self, user: User) -> frozenset[int]:
        """Ids of the inspections the user may change through the team, once per request."""
        return self._perm_ids(user, CHANGE)

    def visible(self, user: User, queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
        queryset = super().visible(user, queryset)
        if not _active(user):
            return queryset
        if user.has_perm(VIEW):
            return queryset
        if remembering():
            return queryset.filter(
                Q(status__in=PUBLISHED_STATUSES) | Q(pk__in=sorted(self.drafts_ids(user)))
            )
        readable = Inspection.objects.filter(
            Q(status__in=PUBLISHED_STATUSES) | _drafts_readers(user)
        ).values("pk")
        return queryset.filter(pk__in=readable)

    def can_view(self, user: User, obj: Inspection) -> bool:
        if remembering() and obj.pk is not None:
            return _active(user) and (
                obj.status in PUBLISHED_STATUSES
                or user.has_perm(VIEW)
                or obj.pk in self.drafts_ids(user)
            )
        return super().can_view(user, obj)

    def with_drafts(self, user: User) -> QuerySet[Inspection]:
        """The inspections whose unpublished work (team, milestones, timings) the user reads."""
        if not _active(user):
            return Inspection.objects.none()
        if user.has_perm(VIEW):
            return Inspection.objects.all()
        if remembering():
            return Inspection.objects.filter(pk__in=sorted(self.drafts_ids(user)))
        return Inspection.objects.filter(
            pk__in=Inspection.objects.filter(_drafts_readers(user)).values("pk")
        )

    def drafts_filter(self, user: User, field: str = "inspection") -> Q:
        """Rows (of another model) whose inspection, reached through `field`, the user reads
        the drafts of: a condition on the ids read once per request (a subquery outside
        one)."""
        if not _active(user):
            return Q(pk__in=[])
        if user.has_perm(VIEW):
            return Q(**{f"{field}__isnull": False})
        if remembering():
            return Q(**{f"{field}__in": sorted(self.drafts_ids(user))})
        return Q(**{f"{field}__in": self.with_drafts(user).values("pk")})

    def can_see_drafts(self, user: User, inspection: Inspection) -> bool:
        """May this user read the unpublished work (beyond what is published)?"""
        if not _active(user):
            return False
        if user.has_perm(VIEW):
            return True
        if remembering():
            return inspection.pk in self.drafts_ids(user)
        return self.with_drafts(user).filter(pk=inspection.pk).exists()

    def can_change(self, user: User, obj: Inspection | None = None) -> bool:
        if obj is not None and obj.archived_at is not None:
            return False
        if not user.is_active:
            return False
        if user.has_perm(CHANGE):
            return True
        if obj is None or obj.pk is None:
            return False
        if remembering() and not user.is_superuser:
            return obj.pk in self.change_ids(user)
        return object_perm(user, CHANGE, obj)

    def can_add(self, user: User) -> bool:
        return user.is_active and user.has_perm("inspections.add_inspection")

    def is_lead(
        self, user: User, inspection: Inspection, team: list[TeamMember] | None = None
    ) -> bool:
        """Is the user the inspection's current lead inspector? Given `team` (the inspection's
        current members, already read), no query."""
        if team is not None:
            return any(
                m.user_id == user.pk
                and m.role == TeamRole.LEAD_INSPECTOR
                and m.archived_at is None
                and m.inspection_id == inspection.pk
                for m in team
            )
        return per_request(
            user,
            f"inspections.lead.{inspection.pk}",
            lambda: TeamMember.objects.filter(
                inspection=inspection,
                user=user,
                role=TeamRole.LEAD_INSPECTOR,
                archived_at__isnull=True,
            ).exists(),
        )

    def can_lead(
        self, user: User, inspection: Inspection, team: list[TeamMember] | None = None
    ) -> bool:
        """Transitions, team decisions, milestone moves: the lead inspector or an administrator
        (`team`: as for is_lead)."""
        return user.is_active and (user.has_perm(CHANGE) or self.is_lead(user, inspection, team))

    def can_view_evidence(self, user: User, inspection: Inspection) -> bool:
        if not user.is_active:
            return False
        if remembering() and not user.is_superuser:
            return inspection.pk in self.evidence_ids(user)
        return user.has_perm(VIEW_EVIDENCE, inspection)

    def inspections_with_evidence(self, user: User) -> QuerySet[Inspection]:
        if not _active(user):
            return Inspection.objects.none()
        if remembering():
            return Inspection.objects.filter(pk__in=sorted(self.evidence_ids(user)))
        return _guardian(user, VIEW_EVIDENCE)

    def evidence_filter(self, user: User, field: str = "inspection") -> Q:
        """Rows whose inspection, reached through `field`, the user may see the evidence of."""
        if not _active(user):
            return Q(pk__in=[])
        if remembering():
            return Q(**{f"{field}__in": sorted(self.evidence_ids(user))})
        return Q(**{f"{field}__in": _guardian(user, VIEW_EVIDENCE).values("pk")})


inspection_policy = InspectionPolicy()


class EvidencePolicy(Policy[EvidenceActivity]):
    """Evidence is for cleared team members only; anyone else gets a 404."""

    model = EvidenceActivity

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        return queryset.filter(inspection_policy.evidence_filter(user))

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
            inspection_policy.evidence_filter(user, "evidence_activity__inspection")
        )


attachment_policy = AttachmentPolicy()


class MilestonePolicy(Policy[Milestone]):
    """Milestones are unpublished work: only those who may see the inspection's drafts."""

    model = Milestone

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        return queryset.filter(inspection_policy.drafts_filter(user))


milestone_policy = MilestonePolicy()
