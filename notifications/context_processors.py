"""The count of unread notifications shown in the header on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_notifications(request: HttpRequest) -> dict:
    """`unread_notifications`: the signed-in user's unread count, read (in one query) only when
    a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from . import selectors

    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
