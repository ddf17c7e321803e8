"""API query parameters for inspections, their evidence and reference frameworks.

Each FilterSet only parses and validates the query string (a bad value is a 400 naming the
parameter); the list itself is the queryset of the selector the pages use, so the API lists
exactly what the pages list, with the same permission filtering, archive rule and order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import User
from partnerships.filters import IdChoiceFilter, StrictBooleanFilter
from partnerships.models import Partnership
from partnerships.policies import partnership_policy

from . import selectors
from .models import (
    EvidenceActivity,
    EvidenceKind,
    EvidenceStatus,
    Inspection,
    InspectionStatus,
    Programme,
    ProgrammeFamily,
)
from .policies import evidence_policy, inspection_policy

if TYPE_CHECKING:
    from django.http import HttpRequest

# What each of the selector's sort keys means; `?ordering=` accepts exactly those keys.
_ORDERING_LABELS = {
    "-notification": "planned notification date, latest first (the default)",
    "notification": "planned notification date, earliest first",
    "title": "title, A to Z",
    "-title": "title, Z to A",
    "status": "status",
    "-status": "status, reversed",
    "partnership": "partnership name, A to Z",
    "-partnership": "partnership name, Z to A",
}
INSPECTION_ORDERING_CHOICES = [
    (key, _ORDERING_LABELS.get(key, key)) for key in selectors.INSPECTION_ORDERINGS
]

FIRST_YEAR = 1900
LAST_YEAR = 2100


def _user(request: HttpRequest | None) -> Any:
    return getattr(request, "user", None)


def _programmes(request: HttpRequest | None) -> QuerySet[Programme]:
    # Archived programmes stay filterable: their inspections are still on record.
    return Programme.objects.all() if _user(request) else Programme.objects.none()


def _visible_partnerships(request: HttpRequest | None) -> QuerySet[Partnership]:
    user = _user(request)
    if user is None:
        return Partnership.objects.none()
    return partnership_policy.visible(user, Partnership.objects.all())


def _users(request: HttpRequest | None) -> QuerySet[User]:
    return User.objects.all() if _user(request) else User.objects.none()


def _visible_inspections(request: HttpRequest | None) -> QuerySet[Inspection]:
    user = _user(request)
    if user is None:
        return Inspection.objects.none()
    return inspection_policy.visible(user, Inspection.objects.all())


def _visible_evidence(request: HttpRequest | None) -> QuerySet[EvidenceActivity]:
    user = _user(request)
    if user is None:
        return EvidenceActivity.objects.none()
    return evidence_policy.visible(user, EvidenceActivity.objects.all())


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.Filter):
    """A calendar year as a whole number; anything else (or out of range) is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class SelectorFilterSet(filters.FilterSet):
    """Validates the query string, then answers with the selector's own queryset."""

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.select(self.request.user, self.form.cleaned_data)


class InspectionFilter(SelectorFilterSet):
    programme = IdChoiceFilter(queryset=_programmes, label="Id of the programme.")
    partnership = IdChoiceFilter(
        queryset=_visible_partnerships, label="Id of the partnership inspected."
    )
    status = filters.ChoiceFilter(
        choices=InspectionStatus.choices, label="The inspection's current status."
    )
    lead_inspector = IdChoiceFilter(queryset=_users, label="User id of the lead inspector.")
    year = YearFilter(
        label="Year of notification (the planned notification date until it is notified)."
    )
    mine = StrictBooleanFilter(label="Only inspections whose team you are on (true or false).")
    search = filters.CharFilter(label="Text in the inspection's title or partnership's name.")
    archived = StrictBooleanFilter(
        label="Include archived inspections (true or false). Left out unless this is true."
    )
    ordering = filters.ChoiceFilter(
        choices=INSPECTION_ORDERING_CHOICES,
        label="Sort order: " + "; ".join(f"{k} ({v})" for k, v in INSPECTION_ORDERING_CHOICES),
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.inspection_list(
            user=user,
            programme=values.get("programme"),
            partnership=values.get("partnership"),
            status=values.get("status") or "",
            lead_inspector=values.get("lead_inspector"),
            year=values.get("year"),
            mine=bool(values.get("mine")),
            search=(values.get("search") or "").strip(),
            ordering=values.get("ordering") or "-notification",
            include_archived=bool(values.get("archived")),
        )


class EvidenceActivityFilter(SelectorFilterSet):
    inspection = IdChoiceFilter(queryset=_visible_inspections, label="Id of the inspection.")
    kind = filters.ChoiceFilter(choices=EvidenceKind.choices, label="Kind of evidence activity.")
    status = filters.ChoiceFilter(choices=EvidenceStatus.choices, label="Progress.")

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.evidence_activity_list(
            user=user,
            inspection=values.get("inspection"),
            kind=values.get("kind") or "",
            status=values.get("status") or "",
        )


class AttachmentFilter(SelectorFilterSet):
    evidence_activity = IdChoiceFilter(
        queryset=_visible_evidence, label="Id of the evidence activity the file supports."
    )
    inspection = IdChoiceFilter(queryset=_visible_inspections, label="Id of the inspection.")

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        qs = selectors.attachment_list(user=user)
        if values.get("evidence_activity") is not None:
            qs = qs.filter(evidence_activity=values["evidence_activity"])
        if values.get("inspection") is not None:
            qs = qs.filter(evidence_activity__inspection=values["inspection"])
        return qs


class ProgrammeFilter(SelectorFilterSet):
    family = filters.ChoiceFilter(choices=ProgrammeFamily.choices, label="Family of programme.")

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        qs = selectors.programme_list(user=user)
        if values.get("family"):
            qs = qs.filter(family=values["family"])
        return qs


class QualityIndicatorFilter(SelectorFilterSet):
    programme = IdChoiceFilter(
        queryset=_programmes, label="Id of the programme whose framework this is."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.quality_indicator_list(user=user, programme=values.get("programme"))
