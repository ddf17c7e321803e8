"""Reads for the PDF reports. Every list goes through the report policy's `visible` filter, so
pages, the API and the status endpoint list exactly the reports the user may see."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from cooperation import rules

from .models import GeneratedReport, ReportKind
from .policies import report_policy

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Inspection
    from partnerships.models import Partnership

# How many of a record's reports its page lists (the API lists them all).
SHOWN_ON_PAGE = 10


def _reports() -> QuerySet[GeneratedReport]:
    return GeneratedReport.objects.select_related("requested_by", "inspection", "partnership")


def report_list(
    *,
    user: User,
    kind: str = "",
    status: str = "",
    inspection: Inspection | Any = None,
    partnership: Partnership | Any = None,
    quarter_starts_on: datetime.date | None = None,
    include_archived: bool = False,
) -> QuerySet[GeneratedReport]:
    """The reports the user may see, filtered; the latest asked for first."""
    qs = report_policy.visible(user, _reports(), kind=kind)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if quarter_starts_on is not None:
        qs = qs.filter(quarter_starts_on=quarter_starts_on)
    return qs.order_by("-requested_at", "-pk")


def report_get(*, user: User, pk: Any) -> GeneratedReport:
    """A report the user may see (archived too), or 404."""
    try:
        report = _reports().get(pk=pk)
    except (GeneratedReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not report_policy.can_view(user, report):
        raise Http404
    return report


def reports_for(
    *,
    user: User,
    kind: str,
    inspection: Inspection | None = None,
    partnership: Partnership | None = None,
    limit: int = SHOWN_ON_PAGE,
) -> list[GeneratedReport]:
    """A record's latest reports the user may see, for its page's Reports section (which names
    who asked for each, and nothing else beyond the report)."""
    reports = report_list(user=user, kind=kind, inspection=inspection, partnership=partnership)
    return list(reports.select_related(None).select_related("requested_by")[:limit])


# The records a report is of ------------------------------------------------------------------


def inspection_target(*, user: User, pk: Any) -> Inspection:
    from inspections.selectors import inspection_get

    try:
        return inspection_get(user=user, pk=int(pk))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def partnership_target(*, user: User, pk: Any) -> Partnership:
    from partnerships.selectors import partnership_get

    try:
        return partnership_get(user=user, pk=int(pk))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def quarter_of(day: datetime.date) -> rules.Period:
    return rules.period_containing(day, "quarter")


def quarters_to_choose(*, today: datetime.date, years: int = 2) -> list[rules.Period]:
    """The financial quarters a co-operation report may be asked for: the current one and
    those of the previous `years` financial years, latest first."""
    current = quarter_of(today)
    first = rules.financial_year(today) - years
    return [
        q
        for q in reversed(rules.periods(first, current.year, "quarter"))
        if q.starts_on <= current.starts_on
    ]


def target_url(report: GeneratedReport) -> str:
    """The page of the record a report is of (where its Reports section is)."""
    from django.urls import reverse

    if report.kind == ReportKind.INSPECTION_REPORT:
        return reverse("inspections:detail", args=[report.inspection_id])
    if report.kind == ReportKind.PARTNERSHIP_PROFILE:
        return reverse("partnerships:detail", args=[report.partnership_id])
    return reverse("cooperation:notice_summary")
