"""Writes for partnerships. Each takes the acting user, runs in one transaction and is audited."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scrutiny.services import archive, audited_save, versioned_update

from .models import AreaAssignment, AreaRole, Contact, LocalAuthority, Partnership
from .policies import area_assignment_policy, contact_policy, partnership_policy

if TYPE_CHECKING:
    from accounts.models import User

NOT_ALLOWED_MESSAGE = "You do not have permission to change this record."
OVERLAPPING_LINK_INSPECTOR_MESSAGE = (
    "{area} already has a link inspector ({name}) for some of these dates. "
    "End that assignment first."
)
SAME_USER_OVERLAP_MESSAGE = "{name} already holds this role in {area} for some of these dates."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)


def partnership_update(
    *,
    partnership: Partnership,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    local_authorities: list[LocalAuthority] | None = None,
    health_boards: list | None = None,
    reason: str = "",
) -> Partnership:
    _require(partnership_policy.can_change(by, partnership))
    with transaction.atomic():
        updated = versioned_update(
            partnership, by=by, expected_version=expected_version, changes=changes, reason=reason
        )
        if local_authorities is not None:
            before = set(updated.local_authorities.all())
            updated.local_authorities.set(local_authorities)
            # Link inspectors of councils added or removed gain or lose contact management.
            for area in before.symmetric_difference(local_authorities):
                area_permissions_sync(local_authority=area)
        if health_boards is not None:
            updated.health_boards.set(health_boards)
    return updated


def partnership_archive(
    *, partnership: Partnership, by: User, expected_version: int | None = None, reason: str = ""
) -> Partnership:
    _require(partnership_policy.can_archive(by, partnership))
    return archive(partnership, by=by, expected_version=expected_version, reason=reason)


def contact_create(*, partnership: Partnership, by: User, **fields: Any) -> Contact:
    _require(contact_policy.can_add(by, partnership))
    with transaction.atomic():
        contact = Contact(partnership=partnership, **fields)
        return audited_save(contact, by=by, reason="Contact added")


def contact_update(
    *, contact: Contact, by: User, expected_version: int | None, changes: dict[str, Any]
) -> Contact:
    _require(contact_policy.can_change(by, contact))
    return versioned_update(contact, by=by, expected_version=expected_version, changes=changes)


def contact_archive(
    *, contact: Contact, by: User, expected_version: int | None = None, reason: str = ""
) -> Contact:
    _require(contact_policy.can_archive(by, contact))
    return archive(contact, by=by, expected_version=expected_version, reason=reason)


def _overlapping(
    *,
    local_authority: LocalAuthority,
    role: str,
    started_on: datetime.date,
    ended_on: datetime.date | None,
    exclude_pk: int | None,
):
    qs = AreaAssignment.objects.filter(
        local_authority=local_authority, role=role, archived_at__isnull=True
    ).select_related("user")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    qs = qs.exclude(ended_on__lt=started_on)
    if ended_on is not None:
        qs = qs.exclude(started_on__gt=ended_on)
    return qs


def area_assignment_validate(assignment: AreaAssignment) -> None:
    """Raise ValidationError if the assignment overlaps another it may not overlap."""
    overlapping = _overlapping(
        local_authority=assignment.local_authority,
        role=assignment.role,
        started_on=assignment.started_on,
        ended_on=assignment.ended_on,
        exclude_pk=assignment.pk,
    )
    if assignment.role == AreaRole.LINK_INSPECTOR:
        other = overlapping.first()
        if other is not None:
            raise ValidationError(
                OVERLAPPING_LINK_INSPECTOR_MESSAGE.format(
                    area=assignment.local_authority, name=other.user
                )
            )
    elif overlapping.filter(user=assignment.user).exists():
        raise ValidationError(
            SAME_USER_OVERLAP_MESSAGE.format(name=assignment.user, area=assignment.local_authority)
        )


def area_assignment_create(
    *,
    by: User | None,
    user: User,
    local_authority: LocalAuthority,
    role: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> AreaAssignment:
    """Assign a user to follow a council area. A council area has one link inspector at a time."""
    if by is not None:
        _require(area_assignment_policy.can_add(by))
    assignment = AreaAssignment(
        user=user,
        local_authority=local_authority,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
    )
    with transaction.atomic():
        # Lock the council area so two concurrent assignments cannot both pass the check.
        LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).first()
        assignment.full_clean(validate_constraints=False)
        area_assignment_validate(assignment)  # names the other link inspector
        assignment.validate_constraints()
        audited_save(assignment, by=by, reason="Assigned", validate=False)
        area_permissions_sync(local_authority=local_authority)
        return assignment


def area_assignment_update(
    *,
    assignment: AreaAssignment,
    by: User | None,
    expected_version: int | None,
    changes: dict[str, Any],
) -> AreaAssignment:
    if by is not None:
        _require(area_assignment_policy.can_change(by, assignment))
    with transaction.atomic():
        LocalAuthority.objects.select_for_update().filter(pk=assignment.local_authority_id).first()
        candidate = AreaAssignment.objects.get(pk=assignment.pk)
        for field, value in changes.items():
            setattr(candidate, field, value)
        area_assignment_validate(candidate)
        updated = versioned_update(
            assignment, by=by, expected_version=expected_version, changes=changes
        )
        area_permissions_sync(local_authority=updated.local_authority)
        if (
            "local_authority" in changes
            and changes["local_authority"] != assignment.local_authority
        ):
            area_permissions_sync(local_authority=assignment.local_authority)
        return updated


def area_assignment_end(
    *, assignment: AreaAssignment, by: User | None, ended_on: datetime.date
) -> AreaAssignment:
    return area_assignment_update(
        assignment=assignment,
        by=by,
        expected_version=assignment.version,
        changes={"ended_on": ended_on},
    )


def _current(on: datetime.date) -> Q:
    return Q(started_on__lte=on, archived_at__isnull=True) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def area_permissions_sync(
    *, local_authority: LocalAuthority, on: datetime.date | None = None
) -> None:
    """Give exactly the current link inspectors and relationship managers of the council areas
    a partnership covers `manage_contacts` on that partnership (django-guardian object
    permissions), for every partnership covering this council area.

    Runs in the caller's transaction whenever an assignment changes, and daily from
    partnerships.tasks for assignments that start or end with the passing of time."""
    from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

    from accounts.models import User

    from .policies import MANAGE_CONTACTS

    on = on or timezone.localdate()
    codename = MANAGE_CONTACTS.split(".")[1]
    for partnership in local_authority.partnerships.all():
        holders = set(
            get_users_with_perms(
                partnership, only_with_perms_in=[codename], with_group_users=False
            ).values_list("pk", flat=True)
        )
        wanted = set(
            AreaAssignment.objects.filter(
                _current(on), local_authority__partnerships=partnership
            ).values_list("user_id", flat=True)
        )
        for user in User.objects.filter(pk__in=wanted - holders):
            assign_perm(MANAGE_CONTACTS, user, partnership)
        for user in User.objects.filter(pk__in=holders - wanted):
            remove_perm(MANAGE_CONTACTS, user, partnership)


def area_permissions_sync_all(*, on: datetime.date | None = None) -> int:
    """Re-check every council area (the daily task). Returns how many were checked."""
    areas = list(LocalAuthority.objects.all())
    for area in areas:
        area_permissions_sync(local_authority=area, on=on)
    return len(areas)
