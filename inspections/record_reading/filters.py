"""API query parameters for record reading. Each FilterSet only parses and validates the query
string (a bad value is a 400 naming the parameter); the list is the selector's queryset, with
the same evidence rule the pages use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from partnerships.filters import IdChoiceFilter, StrictBooleanFilter

from ..filters import SelectorFilterSet, _programmes, _users
from ..models import Inspection, ReadingStatus, RecordAgency, ReviewedRecord
from ..policies import inspection_policy
from . import selectors

if TYPE_CHECKING:
    from accounts.models import User

_ORDERING_LABELS = {
    "reference": "reference, A to Z (the default)",
    "-reference": "reference, Z to A",
    "agency": "agency holding the record",
    "-agency": "agency holding the record, reversed",
    "reader": "reader's name, A to Z",
    "-reader": "reader's name, Z to A",
    "status": "reading status",
    "-status": "reading status, reversed",
    "updated": "last changed, oldest first",
    "-updated": "last changed, newest first",
}
RECORD_ORDERING_CHOICES = [
    (key, _ORDERING_LABELS.get(key, key)) for key in selectors.RECORD_ORDERINGS
]


def _evidence_inspections(request) -> QuerySet[Inspection]:
    user = getattr(request, "user", None)
    if user is None:
        return Inspection.objects.none()
    return inspection_policy.inspections_with_evidence(user)


def _visible_records(request) -> QuerySet[ReviewedRecord]:
    user = getattr(request, "user", None)
    if user is None:
        return ReviewedRecord.objects.none()
    return selectors.record_list(user=user, include_archived=True, with_answered=False)


class RecordReviewTemplateFilter(SelectorFilterSet):
    programme = IdChoiceFilter(queryset=_programmes, label="Id of the programme.")
    archived = StrictBooleanFilter(
        label="Include archived templates (true or false). Left out unless this is true."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.template_list(
            user=user,
            programme=values.get("programme"),
            include_archived=bool(values.get("archived")),
        )


class ReviewedRecordFilter(SelectorFilterSet):
    inspection = IdChoiceFilter(
        queryset=_evidence_inspections,
        label="Id of the inspection (one whose evidence you are cleared to see).",
    )
    agency = filters.ChoiceFilter(
        choices=RecordAgency.choices, label="The agency holding the record."
    )
    reader = IdChoiceFilter(queryset=_users, label="User id of the record's reader.")
    unassigned = StrictBooleanFilter(label="Only records with no reader (true or false).")
    status = filters.ChoiceFilter(choices=ReadingStatus.choices, label="Reading status.")
    archived = StrictBooleanFilter(
        label="Include records taken out of the sample (true or false). Left out unless true."
    )
    ordering = filters.ChoiceFilter(
        choices=RECORD_ORDERING_CHOICES,
        label="Sort order: " + "; ".join(f"{k} ({v})" for k, v in RECORD_ORDERING_CHOICES),
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.record_list(
            user=user,
            inspection=values.get("inspection"),
            agency=values.get("agency") or None,
            reader=values.get("reader"),
            unassigned=bool(values.get("unassigned")),
            status=values.get("status") or None,
            ordering=values.get("ordering") or "reference",
            include_archived=bool(values.get("archived")),
            with_answered=False,  # the API does not show it
        )


class RecordAnswerFilter(SelectorFilterSet):
    record = IdChoiceFilter(queryset=_visible_records, label="Id of the record read.")
    inspection = IdChoiceFilter(
        queryset=_evidence_inspections, label="Id of the inspection whose sample it is."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.answer_list(
            user=user, record=values.get("record"), inspection=values.get("inspection")
        )
