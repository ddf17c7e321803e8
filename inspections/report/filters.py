"""API query parameters for the report. Each FilterSet only parses and validates the query
string (a bad value is a 400 naming the parameter); the list is the selector's own queryset, so
the API lists exactly what the pages list, with the same permission filtering."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from partnerships.filters import IdChoiceFilter, StrictBooleanFilter

from ..filters import SelectorFilterSet
from ..models import FindingKind, FindingStatus, Inspection, QualityIndicator
from ..policies import inspection_policy
from . import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def _inspections_with_drafts(request: HttpRequest | None) -> QuerySet[Inspection]:
    user = getattr(request, "user", None)
    if user is None:
        return Inspection.objects.none()
    return inspection_policy.with_drafts(user)


def _indicators(request: HttpRequest | None) -> QuerySet[QualityIndicator]:
    return (
        QualityIndicator.objects.all() if request is not None else QualityIndicator.objects.none()
    )


INSPECTION_LABEL = "Id of the inspection (one whose unpublished work you may see)."


class FindingFilter(SelectorFilterSet):
    inspection = IdChoiceFilter(queryset=_inspections_with_drafts, label=INSPECTION_LABEL)
    kind = filters.ChoiceFilter(choices=FindingKind.choices, label="Kind of finding.")
    status = filters.ChoiceFilter(choices=FindingStatus.choices, label="Draft or agreed.")
    quality_indicator = IdChoiceFilter(
        queryset=_indicators, label="Id of a quality indicator the finding is tied to."
    )
    archived = StrictBooleanFilter(
        label="Include archived findings (true or false). Left out unless this is true."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.finding_list(
            user=user,
            inspection=values.get("inspection"),
            kind=values.get("kind") or "",
            status=values.get("status") or "",
            quality_indicator=values.get("quality_indicator"),
            include_archived=bool(values.get("archived")),
        )


class EvaluationFilter(SelectorFilterSet):
    inspection = IdChoiceFilter(queryset=_inspections_with_drafts, label=INSPECTION_LABEL)
    quality_indicator = IdChoiceFilter(queryset=_indicators, label="Id of the quality indicator.")
    state = filters.ChoiceFilter(
        choices=selectors.STATE_CHOICES,
        label="Where the evaluation stands: its chain's last step, or none.",
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.evaluation_rows(
            user=user,
            inspection=values.get("inspection"),
            quality_indicator=values.get("quality_indicator"),
            state=values.get("state") or "",
        )


class FactualAccuracyCommentFilter(SelectorFilterSet):
    inspection = IdChoiceFilter(queryset=_inspections_with_drafts, label=INSPECTION_LABEL)
    responded = StrictBooleanFilter(
        label="Only comments with (true) or without (false) the team's response."
    )
    archived = StrictBooleanFilter(
        label="Include archived comments (true or false). Left out unless this is true."
    )

    def select(self, user: User, values: dict[str, Any]) -> QuerySet:
        return selectors.fa_comment_list(
            user=user,
            inspection=values.get("inspection"),
            responded=values.get("responded"),
            include_archived=bool(values.get("archived")),
        )
