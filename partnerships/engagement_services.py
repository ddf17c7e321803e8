"""Writes for the link-inspector engagement log. Each takes the acting user, checks the policy,
runs in one transaction and is audited (who and why) through scrutiny.services, whatever the
entry point: pages, API, admin or commands."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny.services import ConflictError, archive, audited_save, versioned_update

from .engagement_selectors import engagement_area_ids
from .models import (
    Engagement,
    GoodPractice,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    Partnership,
)
from .policies import engagement_policy, good_practice_policy, link_risk_policy

if TYPE_CHECKING:
    from accounts.models import User

NOT_ALLOWED_MESSAGE = "You do not have permission to change this record."
ONE_SUBJECT_MESSAGE = "Choose the council area or the partnership the engagement was with."
AREAS_NEEDED_MESSAGE = "Choose at least one area of link-inspector activity it covered."
FUTURE_DATE_MESSAGE = "The date cannot be in the future."
CLOSE_WITH_ACTION_MESSAGE = "Close a risk with its closing date and a closing note."
CLOSED_READ_ONLY_MESSAGE = "This risk is closed: reopen it before changing it."
ALREADY_CLOSED_MESSAGE = "This risk is already closed."
NOT_CLOSED_MESSAGE = "Only a closed risk can be reopened."
CLOSED_ON_NEEDED_MESSAGE = "Enter the date the risk was closed."
CLOSED_BEFORE_FOUND_MESSAGE = "The risk cannot be closed before it was found ({found})."
CLOSING_NOTE_NEEDED_MESSAGE = "Say why the risk can be closed."
REOPEN_REASON_MESSAGE = "Say why the risk is being reopened."
OTHER_AREA_MESSAGE = "This engagement was not with the risk's council area or its partnerships."
ARCHIVED_ENGAGEMENT_MESSAGE = "This engagement is archived."
ALREADY_LINKED_MESSAGE = "This engagement already follows the risk."


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)


def _not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: [FUTURE_DATE_MESSAGE]})


def _subject(
    local_authority: LocalAuthority | None, partnership: Partnership | None
) -> LocalAuthority | Partnership:
    if (local_authority is None) == (partnership is None):
        raise ValidationError({"subject": [ONE_SUBJECT_MESSAGE]})
    return partnership or local_authority


def _cleaned(changes: dict[str, Any], allowed: set[str]) -> dict[str, Any]:
    """The changes a service accepts, with text trimmed."""
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in changes.items()
        if name in allowed
    }


def _areas(areas: Iterable[LinkActivityArea] | None) -> list[LinkActivityArea]:
    areas = list(areas or [])
    if not areas:
        raise ValidationError({"areas": [AREAS_NEEDED_MESSAGE]})
    return areas


# Engagements ---------------------------------------------------------------------------------


@transaction.atomic
def engagement_create(
    *,
    by: User,
    engaged_on: datetime.date,
    kind: str,
    areas: Iterable[LinkActivityArea],
    local_authority: LocalAuthority | None = None,
    partnership: Partnership | None = None,
    notes: str = "",
) -> Engagement:
    """Record an engagement with a council area or a partnership (exactly one)."""
    subject = _subject(local_authority, partnership)
    _require(engagement_policy.can_add(by, subject))
    areas = _areas(areas)
    _not_future(engaged_on, "engaged_on")
    engagement = audited_save(
        Engagement(
            local_authority=local_authority,
            partnership=partnership,
            engaged_on=engaged_on,
            kind=kind,
            notes=notes.strip(),
            recorded_by=by,
        ),
        by=by,
        reason="Engagement recorded",
    )
    engagement.areas.set(areas)
    return engagement


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    areas: Iterable[LinkActivityArea] | None = None,
) -> Engagement:
    """Change an engagement's date, kind, notes or areas. What it was with stays: archive it and
    record it again if that was wrong."""
    _require(engagement_policy.can_change(by, Engagement.objects.get(pk=engagement.pk)))
    changes = _cleaned(changes, {"engaged_on", "kind", "notes"})
    _not_future(changes.get("engaged_on"), "engaged_on")
    if areas is not None:
        areas = _areas(areas)
    updated = versioned_update(
        engagement,
        by=by,
        expected_version=expected_version,
        changes=changes,
        reason="Engagement changed",
    )
    if areas is not None and set(updated.areas.all()) != set(areas):
        updated.areas.set(areas)
    return updated


def engagement_archive(
    *, engagement: Engagement, by: User, expected_version: int | None = None, reason: str = ""
) -> Engagement:
    _require(engagement_policy.can_archive(by, engagement))
    return archive(engagement, by=by, expected_version=expected_version, reason=reason)


# Risks ---------------------------------------------------------------------------------------


def _check_engagement_for(entry, engagement: Engagement) -> None:
    if engagement.archived_at is not None:
        raise ValidationError({"engagement": [ARCHIVED_ENGAGEMENT_MESSAGE]})
    if not set(engagement_area_ids(entry)) & set(engagement_area_ids(engagement)):
        raise ValidationError({"engagement": [OTHER_AREA_MESSAGE]})


@transaction.atomic
def link_risk_create(
    *,
    by: User,
    engagement: Engagement,
    title: str,
    likely_impact: str,
    description: str = "",
    status: str = LinkRiskStatus.OPEN,
) -> LinkRisk:
    """Record a risk an engagement found. It is about what the engagement was with, and was
    found on the engagement's date."""
    _require(link_risk_policy.can_add(by, engagement.subject))
    if engagement.archived_at is not None:
        raise ValidationError({"engagement": [ARCHIVED_ENGAGEMENT_MESSAGE]})
    if status == LinkRiskStatus.CLOSED:
        raise ValidationError({"status": [CLOSE_WITH_ACTION_MESSAGE]})
    risk = audited_save(
        LinkRisk(
            local_authority_id=engagement.local_authority_id,
            partnership_id=engagement.partnership_id,
            title=title.strip(),
            description=description.strip(),
            likely_impact=likely_impact.strip(),
            identified_on=engagement.engaged_on,
            status=status,
        ),
        by=by,
        reason=f"Found at: {engagement}",
    )
    risk.engagements.add(engagement)
    return risk


@transaction.atomic
def link_risk_update(
    *, risk: LinkRisk, by: User, expected_version: int | None, changes: dict[str, Any]
) -> LinkRisk:
    """Change a risk's title, description, likely impact, or status between open and
    monitoring. Closing has its own step (link_risk_close)."""
    # Judge by the stored row: a bound form has already copied its input onto `risk`.
    stored = LinkRisk.objects.get(pk=risk.pk)
    _require(link_risk_policy.can_change(by, stored))
    changes = _cleaned(changes, {"title", "description", "likely_impact", "status"})
    if changes.get("status") == LinkRiskStatus.CLOSED:
        raise ValidationError({"status": [CLOSE_WITH_ACTION_MESSAGE]})
    return versioned_update(
        stored, by=by, expected_version=expected_version, changes=changes, reason="Risk changed"
    )


@transaction.atomic
def link_risk_close(
    *,
    risk: LinkRisk,
    by: User,
    expected_version: int | None,
    closed_on: datetime.date | None,
    closing_note: str,
) -> LinkRisk:
    """Close a risk with the date it closed and a note saying why."""
    current = LinkRisk.objects.select_for_update().get(pk=risk.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(current)
    if current.status == LinkRiskStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED_MESSAGE)
    _require(link_risk_policy.can_close(by, current))
    errors: dict[str, list[str]] = {}
    if closed_on is None:
        errors["closed_on"] = [CLOSED_ON_NEEDED_MESSAGE]
    elif closed_on > timezone.localdate():
        errors["closed_on"] = [FUTURE_DATE_MESSAGE]
    elif closed_on < current.identified_on:
        found = f"{current.identified_on:%-d %B %Y}"
        errors["closed_on"] = [CLOSED_BEFORE_FOUND_MESSAGE.format(found=found)]
    if not (closing_note or "").strip():
        errors["closing_note"] = [CLOSING_NOTE_NEEDED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={
            "status": LinkRiskStatus.CLOSED,
            "closed_on": closed_on,
            "closing_note": closing_note.strip(),
        },
        reason="Risk closed",
    )


@transaction.atomic
def link_risk_reopen(
    *, risk: LinkRisk, by: User, expected_version: int | None, reason: str
) -> LinkRisk:
    """Open a closed risk again; its closing date and note stay in its History."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [REOPEN_REASON_MESSAGE]})
    current = LinkRisk.objects.select_for_update().get(pk=risk.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(current)
    if current.status != LinkRiskStatus.CLOSED:
        raise ValidationError(NOT_CLOSED_MESSAGE)
    _require(link_risk_policy.can_reopen(by, current))
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": LinkRiskStatus.OPEN, "closed_on": None, "closing_note": ""},
        reason=f"Reopened: {reason.strip()}",
    )


@transaction.atomic
def link_risk_follow(
    *, risk: LinkRisk, engagement: Engagement, by: User, expected_version: int | None = None
) -> LinkRisk:
    """Record that a later engagement followed the risk up."""
    current = LinkRisk.objects.select_for_update().get(pk=risk.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(current)
    _require(link_risk_policy.can_change(by, current))
    _require(engagement_policy.can_view(by, engagement))
    _check_engagement_for(current, engagement)
    if current.engagements.filter(pk=engagement.pk).exists():
        raise ValidationError({"engagement": [ALREADY_LINKED_MESSAGE]})
    updated = versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={},
        reason=f"Followed up at: {engagement}",
    )
    updated.engagements.add(engagement)
    return updated


def link_risk_archive(
    *, risk: LinkRisk, by: User, expected_version: int | None = None, reason: str = ""
) -> LinkRisk:
    _require(link_risk_policy.can_archive(by, risk))
    return archive(risk, by=by, expected_version=expected_version, reason=reason)


# Good practice -------------------------------------------------------------------------------


@transaction.atomic
def good_practice_create(
    *,
    by: User,
    engagement: Engagement,
    title: str,
    description: str,
    service_area: str,
    theme: str = "",
    status: str = GoodPracticeStatus.IDENTIFIED,
) -> GoodPractice:
    """Record good practice an engagement found, about what the engagement was with."""
    _require(good_practice_policy.can_add(by, engagement.subject))
    if engagement.archived_at is not None:
        raise ValidationError({"engagement": [ARCHIVED_ENGAGEMENT_MESSAGE]})
    item = audited_save(
        GoodPractice(
            local_authority_id=engagement.local_authority_id,
            partnership_id=engagement.partnership_id,
            title=title.strip(),
            description=description.strip(),
            service_area=service_area,
            theme=theme.strip(),
            status=status,
            identified_on=engagement.engaged_on,
            shared_on=timezone.localdate() if status == GoodPracticeStatus.SHARED else None,
        ),
        by=by,
        reason=f"Found at: {engagement}",
    )
    item.engagements.add(engagement)
    return item


@transaction.atomic
def good_practice_update(
    *, item: GoodPractice, by: User, expected_version: int | None, changes: dict[str, Any]
) -> GoodPractice:
    """Change good practice. Marking it shared records today as the date it was shared (unless
    one is given); returning it to identified clears that date."""
    # Judge by the stored row: a bound form has already copied its input onto `item`.
    item = GoodPractice.objects.get(pk=item.pk)
    _require(good_practice_policy.can_change(by, item))
    changes = _cleaned(
        changes, {"title", "description", "service_area", "theme", "status", "shared_on"}
    )
    status = changes.get("status", item.status)
    if status == GoodPracticeStatus.SHARED:
        _not_future(changes.get("shared_on"), "shared_on")
        if not changes.get("shared_on") and not item.shared_on:
            changes["shared_on"] = timezone.localdate()
        elif "shared_on" in changes and not changes["shared_on"]:
            changes["shared_on"] = item.shared_on or timezone.localdate()
    else:
        changes["shared_on"] = None
    shared_now = status == GoodPracticeStatus.SHARED and item.status != status
    return versioned_update(
        item,
        by=by,
        expected_version=expected_version,
        changes=changes,
        reason="Good practice shared" if shared_now else "Good practice changed",
    )


def good_practice_archive(
    *, item: GoodPractice, by: User, expected_version: int | None = None, reason: str = ""
) -> GoodPractice:
    _require(good_practice_policy.can_archive(by, item))
    return archive(item, by=by, expected_version=expected_version, reason=reason)
