"""Reads for partnerships. Every list goes through the policy's `visible` filter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    AreaAssignment,
    AreaRole,
    Contact,
    HealthBoard,
    LocalAuthority,
    Partnership,
    PartnershipKind,
)
from .policies import (
    area_assignment_policy,
    health_board_policy,
    local_authority_policy,
    partnership_policy,
)

if TYPE_CHECKING:
    from accounts.models import User

PARTNERSHIP_ORDERINGS = {
    "name": ("name", "kind"),
    "-name": ("-name", "kind"),
    "kind": ("kind", "name"),
    "-kind": ("-kind", "name"),
    "code": ("gss_code", "name"),
    "-code": ("-gss_code", "name"),
}


def _current_assignments(on: datetime.date) -> Q:
    return Q(started_on__lte=on, archived_at__isnull=True) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def partnership_list(
    *,
    user: User,
    search: str = "",
    kind: str = "",
    health_board: HealthBoard | None = None,
    local_authority: LocalAuthority | None = None,
    ordering: str = "name",
    include_archived: bool = False,
) -> QuerySet[Partnership]:
    """Partnerships the user may see, filtered and sorted, with councils and boards prefetched."""
    qs = partnership_policy.visible(user, Partnership.objects.all())
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if search:
        term = search.strip()
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(gss_code__iexact=term)
            | Q(local_authorities__name__icontains=term)
            | Q(local_authorities__gss_code__iexact=term)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if health_board is not None:
        qs = qs.filter(health_boards=health_board)
    if local_authority is not None:
        qs = qs.filter(local_authorities=local_authority)
    if search or health_board is not None or local_authority is not None:
        qs = qs.distinct()
    return qs.order_by(*PARTNERSHIP_ORDERINGS.get(ordering, PARTNERSHIP_ORDERINGS["name"]))


def with_related(qs: QuerySet[Partnership]) -> QuerySet[Partnership]:
    return qs.prefetch_related(
        Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("name")),
        Prefetch("health_boards", queryset=HealthBoard.objects.order_by("name")),
    )


@dataclass(frozen=True)
class PartnershipDetail:
    partnership: Partnership
    contacts: list[Contact]
    past_contacts: list[Contact]
    link_inspectors: list[AreaAssignment]
    relationship_managers: list[AreaAssignment]


def partnership_get(*, user: User, pk: int) -> Partnership:
    """The partnership, or 404 if it does not exist or the user may not see it."""
    return partnership_policy.get_visible_or_404(
        user, with_related(Partnership.objects.all()), pk=pk
    )


def partnership_detail(
    *, user: User, pk: int, on: datetime.date | None = None
) -> PartnershipDetail:
    partnership = partnership_get(user=user, pk=pk)
    on = on or timezone.localdate()
    contacts = list(
        partnership.contacts.filter(archived_at__isnull=True).order_by("role", "-started_on")
    )
    current = [c for c in contacts if c.ended_on is None or c.ended_on >= on]
    past = [c for c in contacts if c.ended_on is not None and c.ended_on < on]
    assignments = list(
        AreaAssignment.objects.filter(
            _current_assignments(on), local_authority__partnerships=partnership
        )
        .select_related("user__agency", "local_authority")
        .order_by("local_authority__name", "role")
    )
    return PartnershipDetail(
        partnership=partnership,
        contacts=current,
        past_contacts=past,
        link_inspectors=[a for a in assignments if a.role == AreaRole.LINK_INSPECTOR],
        relationship_managers=[a for a in assignments if a.role != AreaRole.LINK_INSPECTOR],
    )


def local_authority_list(*, user: User, include_archived: bool = False) -> QuerySet[LocalAuthority]:
    qs = local_authority_policy.visible(user, LocalAuthority.objects.select_related("health_board"))
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def health_board_list(*, user: User, include_archived: bool = False) -> QuerySet[HealthBoard]:
    qs = health_board_policy.visible(user, HealthBoard.objects.all())
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def current_link_inspector(
    *, local_authority: LocalAuthority, on: datetime.date | None = None
) -> AreaAssignment | None:
    on = on or timezone.localdate()
    return (
        AreaAssignment.objects.filter(
            _current_assignments(on),
            local_authority=local_authority,
            role=AreaRole.LINK_INSPECTOR,
        )
        .select_related("user")
        .first()
    )


def current_link_inspectors(
    *, partnership: Partnership, on: datetime.date | None = None
) -> list[AreaAssignment]:
    """The current link inspector of each council area the partnership covers (as
    current_link_inspector for each area), in the areas' order: one query."""
    on = on or timezone.localdate()
    assignments = (
        AreaAssignment.objects.filter(
            _current_assignments(on),
            local_authority__partnerships=partnership,
            role=AreaRole.LINK_INSPECTOR,
        )
        .select_related("user")
        .order_by("local_authority__name", "local_authority_id", "-started_on")
    )
    first: dict[int, AreaAssignment] = {}
    for assignment in assignments:
        first.setdefault(assignment.local_authority_id, assignment)
    return list(first.values())


def assignments_for_user(*, user: User, subject: User) -> QuerySet[AreaAssignment]:
    """A user's council-area assignments, current and past."""
    return area_assignment_policy.visible(
        user,
        AreaAssignment.objects.filter(user=subject, archived_at__isnull=True).select_related(
            "local_authority"
        ),
    ).order_by("-started_on")


KIND_CHOICES = PartnershipKind.choices
