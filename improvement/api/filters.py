"""API query parameters for the improvement app.

Each FilterSet only parses and validates the query string (a bad value is a 400 naming the
parameter); the list itself is the queryset of the selector the pages use, so the API lists
exactly what the pages list, with the same permission filtering and archive rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from inspections.models import Inspection
from inspections.policies import inspection_policy
from partnerships.filters import IdChoiceFilter, StrictBooleanFilter
from partnerships.models import Partnership

from .. import selectors
from ..models import (
    CLOSED_ACTION_STATUSES,
    ActionStatus,
    ImprovementPlan,
    PlanStatus,
    RecordStatus,
    ReviewKind,
    ReviewStatus,
    SupportAssessment,
    SupportProvider,
    SupportStatus,
)
from ..policies import assessment_policy, plan_policy

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def _user(request: HttpRequest | None) -> Any:
    return getattr(request, "user", None)


def _partnerships(request: HttpRequest | None) -> QuerySet[Partnership]:
    return Partnership.objects.all() if _user(request) else Partnership.objects.none()


def _inspections(request: HttpRequest | None) -> QuerySet[Inspection]:
    user = _user(request)
    if user is None:
        return Inspection.objects.none()
    return inspection_policy.visible(user, Inspection.objects.all())


def _assessments(request: HttpRequest | None) -> QuerySet[SupportAssessment]:
    user = _user(request)
    if user is None:
        return SupportAssessment.objects.none()
    return assessment_policy.visible(user, SupportAssessment.objects.all())


def _plans(request: HttpRequest | None) -> QuerySet[ImprovementPlan]:
    user = _user(request)
    if user is None:
        return ImprovementPlan.objects.none()
    return plan_policy.visible(user, ImprovementPlan.objects.all())


def _providers(request: HttpRequest | None) -> QuerySet[SupportProvider]:
    return SupportProvider.objects.all() if _user(request) else SupportProvider.objects.none()


PARTNERSHIP_LABEL = "Id of the partnership."
ARCHIVED_LABEL = "Include archived records (true or false). Left out unless this is true."


class SelectorFilterSet(filters.FilterSet):
    """Validates the query string, then answers with the selector's own queryset."""

    archived = StrictBooleanFilter(label=ARCHIVED_LABEL)

    def select(self, user: User, values: dict[str, Any], include_archived: bool) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        return self.select(self.request.user, values, bool(values.get("archived")))


class AssessmentFilter(SelectorFilterSet):
    partnership = IdChoiceFilter(queryset=_partnerships, label=PARTNERSHIP_LABEL)
    inspection = IdChoiceFilter(queryset=_inspections, label="Id of the inspection it follows.")
    status = filters.ChoiceFilter(choices=RecordStatus.choices, label="Draft or agreed.")

    def select(self, user, values, include_archived):
        return selectors.assessment_list(
            user=user,
            partnership=values.get("partnership"),
            inspection=values.get("inspection"),
            status=values.get("status") or "",
            include_archived=include_archived,
        )


class DecisionFilter(SelectorFilterSet):
    partnership = IdChoiceFilter(queryset=_partnerships, label=PARTNERSHIP_LABEL)
    assessment = IdChoiceFilter(queryset=_assessments, label="Id of the support assessment.")
    status = filters.ChoiceFilter(choices=RecordStatus.choices, label="Draft or agreed.")

    def select(self, user, values, include_archived):
        return selectors.decision_list(
            user=user,
            partnership=values.get("partnership"),
            assessment=values.get("assessment"),
            status=values.get("status") or "",
            include_archived=include_archived,
        )


class PlanFilter(SelectorFilterSet):
    partnership = IdChoiceFilter(queryset=_partnerships, label=PARTNERSHIP_LABEL)
    inspection = IdChoiceFilter(queryset=_inspections, label="Id of the inspection it answers.")
    status = filters.ChoiceFilter(choices=PlanStatus.choices, label="Draft or agreed.")

    def select(self, user, values, include_archived):
        qs = selectors.plan_list(
            user=user, partnership=values.get("partnership"), include_archived=include_archived
        )
        if values.get("inspection") is not None:
            qs = qs.filter(inspection=values["inspection"])
        if values.get("status"):
            qs = qs.filter(status=values["status"])
        return qs


class ActionFilter(SelectorFilterSet):
    plan = IdChoiceFilter(queryset=_plans, label="Id of the improvement plan.")
    status = filters.ChoiceFilter(choices=ActionStatus.choices, label="The action's status.")
    overdue = StrictBooleanFilter(
        label="Only actions past their due date and neither complete nor superseded."
    )

    def select(self, user, values, include_archived):
        qs = selectors.action_list(
            user=user, plan=values.get("plan"), include_archived=include_archived
        )
        if values.get("status"):
            qs = qs.filter(status=values["status"])
        if values.get("overdue"):
            qs = qs.filter(due_on__lt=timezone.localdate()).exclude(
                status__in=CLOSED_ACTION_STATUSES
            )
        return qs


REVIEW_ORDERINGS = {"due_on": ("due_on", "pk"), "-due_on": ("-due_on", "-pk")}


class ReviewFilter(SelectorFilterSet):
    partnership = IdChoiceFilter(queryset=_partnerships, label=PARTNERSHIP_LABEL)
    status = filters.ChoiceFilter(
        choices=ReviewStatus.choices, label="Scheduled, held or cancelled."
    )
    kind = filters.ChoiceFilter(
        choices=ReviewKind.choices, label="Formal progress review or formal monitoring."
    )
    overdue = StrictBooleanFilter(label="Only scheduled reviews past their due date.")
    ordering = filters.ChoiceFilter(
        choices=[(key, key) for key in REVIEW_ORDERINGS],
        label="Sort order: due_on (earliest first, the default) or -due_on (latest first).",
    )

    def select(self, user, values, include_archived):
        qs = selectors.review_list(
            user=user,
            partnership=values.get("partnership"),
            status=values.get("status") or "",
            kind=values.get("kind") or "",
            overdue=bool(values.get("overdue")),
            include_archived=include_archived,
        )
        return qs.order_by(*REVIEW_ORDERINGS[values.get("ordering") or "due_on"])


class SupportFilter(SelectorFilterSet):
    partnership = IdChoiceFilter(queryset=_partnerships, label=PARTNERSHIP_LABEL)
    status = filters.ChoiceFilter(choices=SupportStatus.choices, label="The support's status.")
    provider = IdChoiceFilter(queryset=_providers, label="Id of the support provider.")

    def select(self, user, values, include_archived):
        return selectors.support_list(
            user=user,
            partnership=values.get("partnership"),
            status=values.get("status") or "",
            provider=values.get("provider"),
            include_archived=include_archived,
        )


class ProviderFilter(filters.FilterSet):
    retired = StrictBooleanFilter(
        label="Include providers no longer offered for new support (true or false)."
    )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.form.cleaned_data.get("retired"):
            return SupportProvider.objects.order_by("name")
        return selectors.providers()
