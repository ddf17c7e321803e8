"""Permission policies: each pairs "may this user act on this object" with "which objects may
this user see", so one rule guards the detail page and filters every list (pages, API, CSV)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models.signals import post_save
from django.http import Http404

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


# What each user may see, read once per request -------------------------------------------------
#
# A page asks the same permission questions many times (the inspection's panels, the reports
# section, the improvement panels each want "the inspections whose drafts this user reads").
# While a request is answered, the policies keep each answer here, keyed by user and question,
# so that it is read from the database once, and their filters become conditions on the ids read
# rather than nested subqueries. The store lives only as long as the request
# (RequestVisibilityMiddleware), only for reads (GET and HEAD), and a row saved in the meantime
# empties it (as `forget()` does on demand). Outside a request (the shell, Celery tasks, tests
# calling selectors directly) nothing is kept: every question is asked afresh, as before.

_store: ContextVar[dict | None] = ContextVar("scrutiny_visibility_store", default=None)


def remembering() -> bool:
    """Is a per-request store open (so that a policy may answer from a set of ids read once)?"""
    return _store.get() is not None


def per_request(user: User, question: str, answer: Callable[[], T]) -> T:
    """`answer()`, read once per request for this user and question (every time outside a
    request)."""
    store = _store.get()
    pk = getattr(user, "pk", None)
    if store is None or pk is None:
        return answer()
    key = (pk, question)
    try:
        return store[key]
    except KeyError:
        value = store[key] = answer()
        return value


def forget() -> None:
    """Drop what this request's store holds (after a change to permissions, for instance)."""
    store = _store.get()
    if store:
        store.clear()


@contextmanager
def visibility_store() -> Iterator[None]:
    """Open a store for the duration of the block (what the middleware does for a request)."""
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


class RequestVisibilityMiddleware:
    """Opens the per-request store for reads (GET and HEAD) and closes it when the view has
    answered, whatever happens. Writes (POST and the rest) are answered without it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with visibility_store():
            return self.get_response(request)


def _forget_on_write(**kwargs: Any) -> None:
    if _store.get():
        forget()


post_save.connect(_forget_on_write, dispatch_uid="scrutiny.permissions.forget_on_write")


def object_perm(user: User, perm: str, obj: models.Model) -> bool:
    """`user.has_perm(perm, obj)` for django-guardian's object permissions. Within a request,
    every permission the user holds on an object (themselves or through a group) is read at
    once (one query) and kept, so asking about several permissions on the same object costs
    nothing more."""
    if not remembering() or not user.is_active or obj is None or obj.pk is None:
        return user.has_perm(perm, obj)
    if user.is_superuser:
        return True
    app_label, _, codename = perm.rpartition(".")
    if app_label and app_label != obj._meta.app_label:
        return user.has_perm(perm, obj)
    return codename in _object_codenames(user, obj)


def _object_codenames(user: User, obj: models.Model) -> frozenset[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

    ct = ContentType.objects.get_for_model(obj)

    def read() -> frozenset[str]:
        def of(model: type[models.Model]) -> dict[str, Any]:
            if model.objects.is_generic():
                return {"content_type": ct, "object_pk": str(obj.pk)}
            return {"content_object": obj}

        user_model = get_user_obj_perms_model(obj)
        group_model = get_group_obj_perms_model(obj)
        groups = f"group__{get_user_model().groups.field.related_query_name()}"
        direct = user_model.objects.filter(user=user, permission__content_type=ct, **of(user_model))
        grouped = group_model.objects.filter(
            **{groups: user}, permission__content_type=ct, **of(group_model)
        )
        codenames = direct.values_list("permission__codename", flat=True).order_by()
        return frozenset(
            codenames.union(
                grouped.values_list("permission__codename", flat=True).order_by(), all=True
            )
        )

    return per_request(user, f"guardian.{ct.pk}.{obj.pk}", read)


class Policy(Generic[M]):
    model: type[M]

    def visible(self, user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """The objects this user may see. Default: any signed-in user sees everything."""
        if not user.is_authenticated or not user.is_active:
            return queryset.none()
        return queryset

    def can_view(self, user: User, obj: M) -> bool:
        if type(self).visible is Policy.visible and obj.pk is not None:
            # Everything is visible to the signed-in: no need to ask the database.
            return bool(user.is_authenticated and user.is_active)
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def can_change(self, user: User, obj: M | None = None) -> bool:
        opts = self.model._meta
        perm = f"{opts.app_label}.change_{opts.model_name}"
        # ModelBackend ignores role (model-wide) permissions when given an object; guardian
        # answers only for object permissions. Either grants the change.
        return user.is_active and (user.has_perm(perm) or _has_object_perm(user, perm, obj))

    def can_add(self, user: User) -> bool:
        opts = self.model._meta
        return user.is_active and user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def can_archive(self, user: User, obj: M | None = None) -> bool:
        opts = self.model._meta
        perm = f"{opts.app_label}.delete_{opts.model_name}"
        return user.is_active and (user.has_perm(perm) or _has_object_perm(user, perm, obj))

    def get_visible_or_404(self, user: User, queryset: models.QuerySet[M], **lookup) -> M:
        """An object the user may not see is indistinguishable from one that does not exist."""
        try:
            return self.visible(user, queryset).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc


def _has_object_perm(user: User, perm: str, obj: models.Model | None) -> bool:
    if obj is None:
        return user.has_perm(perm, None)
    return object_perm(user, perm, obj)
