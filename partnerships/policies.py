"""Who may see and change partnership reference data: every signed-in user reads it;
administrators (the role's model permissions) write it."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.roles import Role
from scrutiny.permissions import Policy, object_perm, per_request, remembering

from .models import (
    AreaAssignment,
    AreaRole,
    Contact,
    Engagement,
    GoodPractice,
    GoodPracticeStatus,
    HealthBoard,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    MsgRating,
    MsgSelfEvaluation,
    Partnership,
)

M = TypeVar("M", bound=models.Model)

MANAGE_CONTACTS = "partnerships.manage_contacts"


class PartnershipPolicy(Policy[Partnership]):
    model = Partnership


class ContactPolicy(Policy[Contact]):
    """Administrators manage every contact. The current link inspector and relationship
    managers of a council area hold django-guardian's `manage_contacts` on each partnership
    covering it (granted and revoked by partnerships.services.area_permissions_sync)."""

    model = Contact

    def _manages(self, user, partnership: Partnership | None) -> bool:
        return partnership is not None and object_perm(user, MANAGE_CONTACTS, partnership)

    def can_add(self, user, partnership: Partnership | None = None) -> bool:
        return super().can_add(user) or (user.is_active and self._manages(user, partnership))

    def can_change(self, user, obj: Contact | None = None) -> bool:
        partnership = obj.partnership if obj is not None else None
        return super().can_change(user, obj) or (
            user.is_active and self._manages(user, partnership)
        )

    def can_change_for(self, user, partnership: Partnership) -> bool:
        """May the user change contacts of this partnership (for showing Edit links)?"""
        return super().can_change(user) or (user.is_active and self._manages(user, partnership))

    def can_archive(self, user, obj: Contact | None = None) -> bool:
        partnership = obj.partnership if obj is not None else None
        return super().can_archive(user, obj) or (
            user.is_active and self._manages(user, partnership)
        )


class LocalAuthorityPolicy(Policy[LocalAuthority]):
    model = LocalAuthority


class HealthBoardPolicy(Policy[HealthBoard]):
    model = HealthBoard


class AreaAssignmentPolicy(Policy[AreaAssignment]):
    model = AreaAssignment


class MsgSelfEvaluationPolicy(Policy[MsgSelfEvaluation]):
    """The MSG self-evaluation (seed 002). Every signed-in user reads every round: the national
    view is national. Partnership staff have no accounts here, so a partnership's current link
    inspector (of any council area it covers) or an administrator records what the partnership
    returned; only they add validation notes."""

    model = MsgSelfEvaluation

    def _is_link_inspector(self, user, partnership: Partnership) -> bool:
        today = timezone.localdate()
        return (
            AreaAssignment.objects.filter(
                user=user,
                role=AreaRole.LINK_INSPECTOR,
                local_authority__partnerships=partnership,
                started_on__lte=today,
                archived_at__isnull=True,
            )
            .exclude(ended_on__lt=today)
            .exists()
        )

    def _administers(self, user) -> bool:
        return user.has_perm("partnerships.change_msgselfevaluation")

    def can_record(self, user, partnership: Partnership) -> bool:
        """May the user start rounds and record ratings for this partnership?"""
        if not (user.is_authenticated and user.is_active) or partnership.is_archived:
            return False
        return self._administers(user) or self._is_link_inspector(user, partnership)

    def can_change(self, user, obj: MsgSelfEvaluation | None = None) -> bool:
        if obj is None:
            return user.is_active and self._administers(user)
        return self.can_record(user, obj.partnership)

    def can_validate(self, user, obj: MsgSelfEvaluation | MsgRating) -> bool:
        """May the user add the link inspector's validation note?"""
        if isinstance(obj, MsgRating):
            obj = obj.self_evaluation
        return self.can_record(user, obj.partnership)


partnership_policy = PartnershipPolicy()
msg_policy = MsgSelfEvaluationPolicy()
contact_policy = ContactPolicy()
local_authority_policy = LocalAuthorityPolicy()
health_board_policy = HealthBoardPolicy()
area_assignment_policy = AreaAssignmentPolicy()


# Link-inspector engagement (seed 001) ---------------------------------------------------------
#
# - A user with a current assignment to a council area (link inspector or relationship manager,
#   any AreaRole) sees and adds to that area's log: entries about the area itself and about
#   every partnership covering it.
# - Directors and chief executives read every log; administrators (the role's model
#   permissions) see and change everything.
# - Everyone else: entries do not exist for them (404) and lists leave them out. Good practice
#   is the exception once it has been shared: every signed-in user finds it in the national list.


def followed_area_ids(user, on: datetime.date | None = None) -> QuerySet:
    """Ids of the council areas the user currently follows (as link inspector or relationship
    manager), as a subquery."""
    on = on or timezone.localdate()
    return AreaAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        user=user,
        started_on__lte=on,
        archived_at__isnull=True,
    ).values("local_authority_id")


def followed_partnership_ids(user, on: datetime.date | None = None) -> QuerySet:
    """Ids of the partnerships covering a council area the user currently follows."""
    return Partnership.objects.filter(local_authorities__in=followed_area_ids(user, on)).values(
        "pk"
    )


def followed_area_set(user) -> frozenset[int]:
    """followed_area_ids(user) read (one query, once per request)."""
    return per_request(
        user,
        "partnerships.followed_areas",
        lambda: frozenset(
            followed_area_ids(user).order_by().values_list("local_authority_id", flat=True)
        ),
    )


def followed_partnership_set(user) -> frozenset[int]:
    """followed_partnership_ids(user) read, once per request (no query for someone who follows
    no council area)."""

    def read() -> frozenset[int]:
        areas = followed_area_set(user)
        if not areas:
            return frozenset()
        covering = Partnership.objects.filter(local_authorities__in=sorted(areas))
        return frozenset(covering.order_by().values_list("pk", flat=True))

    return per_request(user, "partnerships.followed_partnerships", read)


def link_areas(user) -> QuerySet:
    """Ids of the council areas the user is currently link inspector of, as a subquery."""
    today = timezone.localdate()
    return AreaAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        user=user,
        role=AreaRole.LINK_INSPECTOR,
        started_on__lte=today,
        archived_at__isnull=True,
    ).values("local_authority_id")


def link_area_ids(user) -> frozenset[int]:
    """link_areas(user) read (one query, once per request)."""
    return per_request(
        user,
        "partnerships.link_areas",
        lambda: frozenset(link_areas(user).order_by().values_list("local_authority_id", flat=True)),
    )


def follows(user, subject: LocalAuthority | Partnership) -> bool:
    """Does the user currently follow this council area, or a council area this partnership
    covers?"""
    if not (user.is_authenticated and user.is_active) or subject is None:
        return False
    if remembering():
        if isinstance(subject, Partnership):
            return subject.pk in followed_partnership_set(user)
        return subject.pk in followed_area_set(user)
    areas = followed_area_ids(user)
    if isinstance(subject, Partnership):
        return subject.local_authorities.filter(pk__in=areas).exists()
    return LocalAuthority.objects.filter(pk=subject.pk, pk__in=areas).exists()


def reads_every_log(user) -> bool:
    return user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)


def _in_followed_log(user) -> Q:
    if remembering():
        return Q(local_authority__in=sorted(followed_area_set(user))) | Q(
            partnership__in=sorted(followed_partnership_set(user))
        )
    return Q(local_authority__in=followed_area_ids(user)) | Q(
        partnership__in=followed_partnership_ids(user)
    )


class EngagementLogPolicy(Policy[M]):
    """The rule every kind of engagement log entry shares (see above)."""

    def _perm(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def _active(self, user) -> bool:
        return bool(user.is_authenticated and user.is_active)

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        if not self._active(user) or user.has_perm(self._perm("view")) or reads_every_log(user):
            return queryset
        return queryset.filter(_in_followed_log(user))

    def can_add(self, user, subject: LocalAuthority | Partnership | None = None) -> bool:
        if not self._active(user) or subject is None or subject.archived_at is not None:
            return False
        return user.has_perm(self._perm("add")) or follows(user, subject)

    def _may_write(self, user, obj, action: str) -> bool:
        if not self._active(user):
            return False
        if obj is None:
            return user.has_perm(self._perm(action))
        if obj.archived_at is not None:
            return False
        return user.has_perm(self._perm(action)) or follows(user, obj.subject)

    def can_change(self, user, obj=None) -> bool:
        return self._may_write(user, obj, "change")

    def can_archive(self, user, obj=None) -> bool:
        return self._may_write(user, obj, "delete")


class EngagementPolicy(EngagementLogPolicy[Engagement]):
    model = Engagement


class LinkRiskPolicy(EngagementLogPolicy[LinkRisk]):
    model = LinkRisk

    def can_change(self, user, obj: LinkRisk | None = None) -> bool:
        """Closed risks are read-only until they are reopened."""
        if obj is not None and obj.status == LinkRiskStatus.CLOSED:
            return False
        return super().can_change(user, obj)

    def can_close(self, user, obj: LinkRisk) -> bool:
        return self.can_change(user, obj)

    def can_reopen(self, user, obj: LinkRisk) -> bool:
        return obj.status == LinkRiskStatus.CLOSED and self._may_write(user, obj, "change")


class GoodPracticePolicy(EngagementLogPolicy[GoodPractice]):
    model = GoodPractice

    def visible(self, user, queryset):
        everyone = Policy.visible(self, user, queryset)
        if not self._active(user) or user.has_perm(self._perm("view")) or reads_every_log(user):
            return everyone
        return everyone.filter(Q(status=GoodPracticeStatus.SHARED) | _in_followed_log(user))


engagement_policy = EngagementPolicy()
link_risk_policy = LinkRiskPolicy()
good_practice_policy = GoodPracticePolicy()
