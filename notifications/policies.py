"""Who may see and change notifications: each person their own, nobody else's (someone else's
notification is "Page not found"). Nobody archives or deletes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from scrutiny.permissions import Policy

from .models import Notification

if TYPE_CHECKING:
    from accounts.models import User


class NotificationPolicy(Policy[Notification]):
    model = Notification

    def visible(self, user: User, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        return super().visible(user, queryset).filter(user_id=user.pk)

    def can_change(self, user: User, obj: Notification | None = None) -> bool:
        """Marking read: only the person it is for."""
        return bool(
            obj is not None and user.is_authenticated and user.is_active and obj.user_id == user.pk
        )

    def can_add(self, user: User) -> bool:
        return False

    def can_archive(self, user: User, obj: Notification | None = None) -> bool:
        return False


notification_policy = NotificationPolicy()
