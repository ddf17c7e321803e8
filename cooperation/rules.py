"""The duty of co-operation's derived values, as pure functions of a record's data and a date:
working days (weekends and Scottish public holidays excluded), financial-year periods, the
flags of a no-surprises notice, the age and overdue state of an escalation and the band of a
risk rating. No database access here: selectors and services call these for any number of
records without adding a query."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays

# Working days --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _holidays(year: int) -> frozenset[datetime.date]:
    """Scottish public holidays in a year (including days in lieu), from the `holidays`
    library, which tracks one-off holidays as they are announced."""
    return frozenset(holidays.country_holidays("GB", subdiv="SCT", years=year).keys())


def is_holiday(day: datetime.date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def _weekdays_through(day: datetime.date) -> int:
    """Monday to Friday from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`: `end` minus `start` in working
    days. Negative when `end` is before `start`; 0 on the same day."""
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    closed = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return weekdays - closed


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (before it, for a negative number), or the
    last (first) date there is if the count runs past it."""
    step = 1 if days >= 0 else -1
    end = datetime.date.max if step > 0 else datetime.date.min
    day, left = start, abs(days)
    while left and day != end:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


# Financial-year periods ----------------------------------------------------------------------

FIRST_MONTH = 4  # the financial year starts on 1 April
PERIOD_KINDS = ("quarter", "year")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def financial_year(day: datetime.date) -> int:
    """The calendar year in which the financial year containing `day` starts."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """A financial quarter (number 1 to 4) or a whole financial year (number 0)."""

    year: int
    number: int
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def kind(self) -> str:
        return "year" if self.number == 0 else "quarter"

    @property
    def label(self) -> str:
        fy = financial_year_label(self.year)
        return f"{fy}" if self.number == 0 else f"Q{self.number} {fy}"

    @property
    def months(self) -> str:
        first, last = self.starts_on, self.ends_on
        if first.year == last.year:
            return f"{_MONTHS[first.month - 1]} to {_MONTHS[last.month - 1]} {last.year}"
        return f"{_MONTHS[first.month - 1]} {first.year} to {_MONTHS[last.month - 1]} {last.year}"

    @property
    def key(self) -> str:
        return f"{self.year}" if self.number == 0 else f"{self.year}-Q{self.number}"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def quarter(year: int, number: int) -> Period:
    first_month = FIRST_MONTH + 3 * (number - 1)
    start_year = year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    last_month = first_month + 2
    return Period(
        year,
        number,
        datetime.date(start_year, first_month, 1),
        _month_end(start_year, last_month),
    )


def whole_year(year: int) -> Period:
    return Period(
        year, 0, datetime.date(year, FIRST_MONTH, 1), datetime.date(year + 1, FIRST_MONTH - 1, 31)
    )


def period_containing(day: datetime.date, kind: str) -> Period:
    year = financial_year(day)
    if kind == "year":
        return whole_year(year)
    return quarter(year, (day.month - FIRST_MONTH) % 12 // 3 + 1)


def periods(first_year: int, last_year: int, kind: str) -> list[Period]:
    """Every quarter (or year) of the financial years `first_year` to `last_year`, in order."""
    if kind == "year":
        return [whole_year(y) for y in range(first_year, last_year + 1)]
    return [quarter(y, n) for y in range(first_year, last_year + 1) for n in (1, 2, 3, 4)]


# No-surprises notices ------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeFlags:
    """What the log says about a notice on a given day."""

    lead_time: int | None  # planned date minus date told, in working days; None if not told
    told_after_event: bool  # told after the planned date (or not told and the date has passed)
    short_notice: bool  # told (or still untold) with less than the minimum lead time
    urgent: bool  # urgent action: recorded after the fact and counted as urgent, not late
    awaiting_acknowledgement: bool  # told, and not acknowledged within the working days allowed
    tell_by: datetime.date  # the last day to tell the other body with the minimum lead time

    @property
    def late(self) -> bool:
        """Flagged: less than the minimum lead time, or told after the event, unless urgent."""
        return not self.urgent and (self.told_after_event or self.short_notice)

    @property
    def flagged(self) -> bool:
        return self.late or self.awaiting_acknowledgement


def notice_flags(
    *,
    planned_on: datetime.date,
    told_on: datetime.date | None,
    acknowledged_on: datetime.date | None,
    urgent: bool,
    today: datetime.date,
    min_lead_days: int,
    ack_days: int,
) -> NoticeFlags:
    tell_by = add_working_days(planned_on, -min_lead_days)
    if told_on is None:
        lead_time = None
        after = today > planned_on
        short = not after and working_days_between(today, planned_on) < min_lead_days
        awaiting = False
    else:
        lead_time = working_days_between(told_on, planned_on)
        after = told_on > planned_on
        short = not after and lead_time < min_lead_days
        awaiting = acknowledged_on is None and working_days_between(told_on, today) > ack_days
    return NoticeFlags(
        lead_time=lead_time,
        told_after_event=after,
        short_notice=short,
        urgent=urgent,
        awaiting_acknowledgement=awaiting,
        tell_by=tell_by,
    )


# Escalations ---------------------------------------------------------------------------------


def age_in_days(
    since: datetime.date, today: datetime.date, until: datetime.date | None = None
) -> int:
    """Calendar days from `since` to `until` (when closed) or to `today`."""
    return max(((until or today) - since).days, 0)


def is_overdue(target_on: datetime.date | None, today: datetime.date, *, open_: bool) -> bool:
    """Past the target date (the day itself is not overdue) while still open."""
    return open_ and target_on is not None and today > target_on


# Shared risks --------------------------------------------------------------------------------

# Bands of a 5 x 5 likelihood-by-impact matrix (our reading of common public-sector practice;
# the framework sets none): (lowest rating, label, Design System tag colour).
RISK_BANDS = [
    (15, "Very high", "red"),
    (8, "High", "orange"),
    (4, "Moderate", "yellow"),
    (1, "Low", "green"),
]


@dataclass(frozen=True)
class RiskBand:
    label: str
    colour: str


def risk_band(rating: int) -> RiskBand:
    for lowest, label, colour in RISK_BANDS:
        if rating >= lowest:
            return RiskBand(label, colour)
    return RiskBand("Low", "green")


def risk_band_range(label: str) -> tuple[int, int] | None:
    """The ratings a band covers, for filtering by band."""
    bounds = [lowest for lowest, _, _ in RISK_BANDS]
    for index, (lowest, name, _) in enumerate(RISK_BANDS):
        if name == label:
            highest = 25 if index == 0 else bounds[index - 1] - 1
            return lowest, highest
    return None
