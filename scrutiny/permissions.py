"""Permission policies: each pairs "may this user act on this object" with "which objects may
this user see", so one rule guards the detail page and filters every list (pages, API, CSV)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)


class Policy(Generic[M]):
    model: type[M]

    def visible(self, user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """The objects this user may see. Default: any signed-in user sees everything."""
        if not user.is_authenticated or not user.is_active:
            return queryset.none()
        return queryset

    def can_view(self, user: User, obj: M) -> bool:
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def can_change(self, user: User, obj: M | None = None) -> bool:
        opts = self.model._meta
        perm = f"{opts.app_label}.change_{opts.model_name}"
        # ModelBackend ignores role (model-wide) permissions when given an object; guardian
        # answers only for object permissions. Either grants the change.
        return user.is_active and (user.has_perm(perm) or user.has_perm(perm, obj))

    def can_add(self, user: User) -> bool:
        opts = self.model._meta
        return user.is_active and user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def can_archive(self, user: User, obj: M | None = None) -> bool:
        opts = self.model._meta
        perm = f"{opts.app_label}.delete_{opts.model_name}"
        return user.is_active and (user.has_perm(perm) or user.has_perm(perm, obj))

    def get_visible_or_404(self, user: User, queryset: models.QuerySet[M], **lookup) -> M:
        """An object the user may not see is indistinguishable from one that does not exist."""
        try:
            return self.visible(user, queryset).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
