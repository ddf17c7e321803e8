"""Writes for users: roles and API tokens. Each takes the acting user."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from scrutiny.services import audited_save

from .roles import ROLE_GROUP_NAMES, Role

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)

TOKEN_NOT_YOURS_MESSAGE = "That token does not belong to you."  # noqa: S105


def user_set_roles(*, user: User, roles: list[Role], by: User | None) -> User:
    """Give the user exactly these roles. Administrators can use the admin site."""
    with transaction.atomic():
        groups = [Group.objects.get_or_create(name=ROLE_GROUP_NAMES[r])[0] for r in roles]
        user.groups.set(groups)
        user.forget_groups()
        is_staff = Role.ADMINISTRATOR in roles or user.is_superuser
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            audited_save(user, by=by, reason="Roles changed", validate=False)
    return user


def api_token_create(
    *, user: User, by: User, expires_in_days: int | None = None
) -> tuple[AuthToken, str]:
    """A new API token for the user. The secret is returned once and never stored in clear."""
    if by.pk != user.pk:
        raise PermissionDenied(TOKEN_NOT_YOURS_MESSAGE)
    expiry = datetime.timedelta(days=expires_in_days) if expires_in_days else None
    instance, secret = AuthToken.objects.create(user=user, expiry=expiry)
    logger.info("API token %s created by %s", instance.token_key, by.email)
    return instance, secret


def api_token_revoke(*, user: User, token_key: str, by: User) -> int:
    """Revoke the user's token(s) with this key. Returns how many were revoked."""
    if by.pk != user.pk:
        raise PermissionDenied(TOKEN_NOT_YOURS_MESSAGE)
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    logger.info("API token %s revoked by %s (%s)", token_key, by.email, deleted)
    return deleted


def api_tokens_for(*, user: User):
    """The user's live tokens, newest first (selectors-style read kept beside its writes)."""
    now = timezone.now()
    return (
        AuthToken.objects.filter(user=user)
        .exclude(expiry__lt=now)
        .order_by("-created")
        .only("token_key", "created", "expiry")
    )
