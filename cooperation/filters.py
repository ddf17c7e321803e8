"""API query parameters for the co-operation log.

Each FilterSet only parses and validates the query string (a bad value is a 400 naming the
parameter); the list itself is the queryset of the selector the pages use, so the API lists
exactly what the pages list, with the same permission filtering, archive rule and order."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Agency, User
from partnerships.filters import IdChoiceFilter, StrictBooleanFilter

from . import rules, selectors
from .models import (
    BODY_CODES,
    ActionStatus,
    EscalationLevel,
    EscalationStatus,
    Meeting,
    MeetingStatus,
    MeetingType,
    NoticeKind,
    RiskStatus,
)
from .policies import meeting_policy


def _bodies(request) -> QuerySet[Agency]:
    return selectors.bodies() if getattr(request, "user", None) else Agency.objects.none()


def _meeting_types(request) -> QuerySet[MeetingType]:
    return (
        MeetingType.objects.all() if getattr(request, "user", None) else MeetingType.objects.none()
    )


def _meetings(request) -> QuerySet[Meeting]:
    user = getattr(request, "user", None)
    return meeting_policy.visible(user, Meeting.objects.all()) if user else Meeting.objects.none()


def _users(request) -> QuerySet[User]:
    return User.objects.all() if getattr(request, "user", None) else User.objects.none()


def _ordering(keys, default: str) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        choices=[(key, key) for key in keys],
        label=f"Sort order, one of: {', '.join(keys)} (default {default}).",
    )


@extend_schema_field(serializers.ChoiceField(choices=list(BODY_CODES)))
class BodyFilter(filters.ModelChoiceFilter):
    """A body by its code: CI or HIS (anything else is a 400)."""


class SelectorFilterSet(filters.FilterSet):
    """Validates the query string, then answers with the selector's own queryset."""

    body = BodyFilter(queryset=_bodies, to_field_name="code", label="A body's code: CI or HIS.")
    date_from = filters.DateFilter(label="On or after this date (YYYY-MM-DD).")
    date_to = filters.DateFilter(label="On or before this date (YYYY-MM-DD).")
    search = filters.CharFilter(label="Words in the record's text.")
    archived = StrictBooleanFilter(
        label="Include archived records (true or false). Left out unless this is true."
    )

    def select(self, user: User, values: dict[str, Any], common: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        values = self.form.cleaned_data
        common = {
            "body": values.get("body"),
            "date_from": values.get("date_from"),
            "date_to": values.get("date_to"),
            "search": (values.get("search") or "").strip(),
            "include_archived": bool(values.get("archived")),
        }
        if values.get("ordering"):
            common["ordering"] = values["ordering"]
        return self.select(self.request.user, values, common)


class MeetingFilter(SelectorFilterSet):
    meeting_type = IdChoiceFilter(queryset=_meeting_types, label="Id of the meeting type.")
    status = filters.ChoiceFilter(choices=MeetingStatus.choices, label="Booked, held or cancelled.")
    ordering = _ordering(list(selectors.MEETING_ORDERINGS), "-date")

    def select(self, user, values, common):
        return selectors.meeting_list(
            user=user,
            meeting_type=values.get("meeting_type"),
            status=values.get("status") or "",
            **common,
        )


class MeetingActionFilter(SelectorFilterSet):
    status = filters.ChoiceFilter(
        choices=[("open", "Not done yet"), *ActionStatus.choices],
        label="Status; `open` means not started or in progress.",
    )
    meeting = IdChoiceFilter(queryset=_meetings, label="Id of the meeting.")
    owner = IdChoiceFilter(queryset=_users, label="User id of the owner.")
    overdue = StrictBooleanFilter(label="Only actions past their due date and not done.")
    ordering = _ordering(list(selectors.ACTION_ORDERINGS), "due")

    def select(self, user, values, common):
        return selectors.action_list(
            user=user,
            status=values.get("status") or "",
            meeting=values.get("meeting"),
            owner=values.get("owner"),
            overdue=bool(values.get("overdue")),
            **common,
        )


class NoticeFilter(SelectorFilterSet):
    kind = filters.ChoiceFilter(choices=NoticeKind.choices, label="Kind of notice.")
    flag = filters.ChoiceFilter(
        choices=list(selectors.NOTICE_FLAG_FILTERS.items()),
        label="Only notices with this flag today: "
        + "; ".join(f"{k} ({v.lower()})" for k, v in selectors.NOTICE_FLAG_FILTERS.items()),
    )
    ordering = _ordering(list(selectors.NOTICE_ORDERINGS), "-planned")

    def select(self, user, values, common):
        return selectors.notice_list(
            user=user, kind=values.get("kind") or "", flag=values.get("flag") or "", **common
        )


class EscalationFilter(SelectorFilterSet):
    status = filters.ChoiceFilter(
        choices=EscalationStatus.choices, label="Open, resolved or withdrawn."
    )
    level = filters.ChoiceFilter(choices=EscalationLevel.choices, label="Current level.")
    overdue = StrictBooleanFilter(label="Only open escalations past their step's target date.")
    ordering = _ordering(list(selectors.ESCALATION_ORDERINGS), "raised")

    def select(self, user, values, common):
        return selectors.escalation_list(
            user=user,
            status=values.get("status") or "",
            level=values.get("level") or "",
            overdue=bool(values.get("overdue")),
            **common,
        )


class SharedRiskFilter(SelectorFilterSet):
    status = filters.ChoiceFilter(choices=RiskStatus.choices, label="Open or closed.")
    band = filters.ChoiceFilter(
        choices=[(label, label) for _, label, _ in rules.RISK_BANDS],
        label="Rating band: " + ", ".join(label for _, label, _ in rules.RISK_BANDS) + ".",
    )
    review_due = StrictBooleanFilter(label="Only risks whose review date has come.")
    ordering = _ordering(list(selectors.RISK_ORDERINGS), "-rating")

    def select(self, user, values, common):
        return selectors.risk_list(
            user=user,
            status=values.get("status") or "",
            band=values.get("band") or "",
            review_due=bool(values.get("review_due")),
            **common,
        )
