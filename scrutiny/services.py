"""Shared write mechanisms: audited saves, version-checked updates and archiving.

Every app's services call these so that pages, API, admin, commands and tasks audit alike:
the acting user and a change reason go onto django-simple-history's record in the same
transaction as the write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)

CONFLICT_MESSAGE = (
    "Someone else changed this record while you were editing it. "
    "Your changes have not been saved: check the current values, then save again."
)
ALREADY_ARCHIVED_MESSAGE = "This record is already archived."


class ConflictError(Exception):
    """A write was based on a version that is no longer current."""

    def __init__(self, current: models.Model, message: str = CONFLICT_MESSAGE):
        super().__init__(message)
        self.current = current
        self.message = message

    @property
    def current_version(self) -> int:
        return self.current.version


def audited_save(
    instance: M,
    *,
    by: User | None,
    reason: str = "",
    validate: bool = True,
    exclude: Iterable[str] | None = None,
) -> M:
    """Validate and save, recording who did it and why on the history row."""
    instance._history_user = by
    instance._change_reason = reason or None
    if validate:
        instance.full_clean(exclude=list(exclude or []))
    instance.save()
    return instance


def versioned_update(
    instance: M,
    *,
    by: User | None,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str = "",
) -> M:
    """Apply field changes if the record is still at the version the editor saw.

    Locks the row for the rest of the transaction so two editors cannot both pass the check.
    Raises ConflictError carrying the current record when the version has moved on."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is None or current.version != int(expected_version):
            raise ConflictError(current)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1
        audited_save(current, by=by, reason=reason)
    return current


def archive(instance: M, *, by: User, reason: str = "", expected_version: int | None = None) -> M:
    """Take a record out of default lists without deleting it."""
    from django.core.exceptions import ValidationError

    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.version != int(expected_version):
            raise ConflictError(current)
        if current.archived_at is not None:
            raise ValidationError(ALREADY_ARCHIVED_MESSAGE)
        current.archived_at = timezone.now()
        current.archived_by = by
        current.version += 1
        audited_save(current, by=by, reason=reason or "Archived", validate=False)
    return current


def unarchive(instance: M, *, by: User, reason: str = "") -> M:
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        current.archived_at = None
        current.archived_by = None
        current.version += 1
        audited_save(current, by=by, reason=reason or "Restored from archive", validate=False)
    return current
