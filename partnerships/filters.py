"""API query parameters for partnership reference data.

Each FilterSet only parses and validates the query string (a bad value is a 400 naming the
parameter); the filtering itself is done by the selector the pages use, so the API lists
exactly what the pages list, with the same permission filtering and the same archive rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from .models import HealthBoard, LocalAuthority, PartnershipKind
from .policies import health_board_policy, local_authority_policy
from .selectors import health_board_list, local_authority_list, partnership_list

if TYPE_CHECKING:
    from accounts.models import User


def _visible_local_authorities(request) -> QuerySet[LocalAuthority]:
    if request is None:
        return LocalAuthority.objects.none()
    return local_authority_policy.visible(request.user, LocalAuthority.objects.all())


def _visible_health_boards(request) -> QuerySet[HealthBoard]:
    if request is None:
        return HealthBoard.objects.none()
    return health_board_policy.visible(request.user, HealthBoard.objects.all())


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, any case); anything else is an error rather than silently ignored."""

    default_error_messages = {"invalid": "Enter true or false."}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.Filter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(filters.ModelChoiceFilter):
    """A record chosen by its id; an id that does not exist (or is hidden) is a 400."""


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` as usual, with the id as a last tie-break so pages never overlap."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering.append("id")
        return ordering


class SelectorFilterSet(filters.FilterSet):
    """Validates the query string, then narrows the view's queryset to what the selector lists."""

    archived = StrictBooleanFilter(
        label="Include archived records (true or false). Archived records are left out unless "
        "this is true."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        selected = self.select(self.request.user, self.form.cleaned_data)
        return queryset.filter(pk__in=selected.values("pk"))


class PartnershipFilter(SelectorFilterSet):
    search = filters.CharFilter(
        label="Text in the partnership's name or a council area's name, or an exact GSS code."
    )
    kind = filters.ChoiceFilter(choices=PartnershipKind.choices, label="Kind of partnership.")
    local_authority = IdChoiceFilter(
        queryset=_visible_local_authorities, label="Id of a council area the partnership covers."
    )
    health_board = IdChoiceFilter(
        queryset=_visible_health_boards, label="Id of a health board the partnership involves."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return partnership_list(
            user=user,
            search=values.get("search") or "",
            kind=values.get("kind") or "",
            local_authority=values.get("local_authority"),
            health_board=values.get("health_board"),
            include_archived=bool(values.get("archived")),
        )


class LocalAuthorityFilter(SelectorFilterSet):
    health_board = IdChoiceFilter(
        queryset=_visible_health_boards, label="Id of the health board the council area is in."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        qs = local_authority_list(user=user, include_archived=bool(values.get("archived")))
        if values.get("health_board") is not None:
            qs = qs.filter(health_board=values["health_board"])
        return qs


class HealthBoardFilter(SelectorFilterSet):
    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return health_board_list(user=user, include_archived=bool(values.get("archived")))
