"""The framework's rules, as pure functions (seed 003 and DOMAIN.md section 4).

Levels are numbered by their order: 1 local partnership led, 2 commissioned, 3 assisted,
4 directed. A condition is met when at least two of its three criteria are met (the seed's
"majority of criteria"). 4-5 conditions met: local partnership led; 3: commissioned; 2: assisted;
0-1: directed (the levels between are our reading). The latest final evaluations signal a level
too: any unsatisfactory grade or a suspended inspection: directed; otherwise the lowest grade:
weak assisted, adequate commissioned, good or better local partnership led."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

LOCAL_LED, COMMISSIONED, ASSISTED, DIRECTED = 1, 2, 3, 4
CRITERIA_FOR_A_MET_CONDITION = 2

UNSATISFACTORY, WEAK, ADEQUATE = 1, 2, 3


def condition_met(criteria_met: int) -> bool:
    return criteria_met >= CRITERIA_FOR_A_MET_CONDITION


def level_for_conditions(conditions_met: int) -> int:
    if conditions_met >= 4:
        return LOCAL_LED
    if conditions_met == 3:
        return COMMISSIONED
    if conditions_met == 2:
        return ASSISTED
    return DIRECTED


def level_for_evaluations(values: Iterable[int], *, suspended: bool = False) -> int | None:
    """The level the grades signal, or None when there are no grades (and no suspension)."""
    values = list(values)
    if suspended or UNSATISFACTORY in values:
        return DIRECTED
    if not values:
        return None
    lowest = min(values)
    if lowest <= WEAK:
        return ASSISTED
    if lowest == ADEQUATE:
        return COMMISSIONED
    return LOCAL_LED


def adjacent(first: int, second: int) -> bool:
    return abs(first - second) == 1


def needs_reviews(level: int, second_level: int | None = None) -> int | None:
    """The review regime a decided level brings, or None: a partnership between two levels gets
    the regime of the one with more support (seed 003: assisted brings an agreed formal progress
    review; directed brings formal monitoring at agreed regular intervals and a formal review)."""
    highest = max(level, second_level or 0)
    return highest if highest >= ASSISTED else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def monitoring_dates(start: datetime.date, interval_months: int, formal_review_on: datetime.date):
    """Monitoring dates every interval from start, before the formal review."""
    dates, n = [], 1
    while (day := add_months(start, interval_months * n)) < formal_review_on:
        dates.append(day)
        n += 1
    return dates
