"""Reads of the co-operation log and the values derived from it: working days and lead times,
flags, meeting gaps, quarterly summaries, ages and ratings, on fixed dates."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from cooperation import rules, selectors
from tests.cooperation import factories

pytestmark = pytest.mark.django_db

D = datetime.date


# Working days --------------------------------------------------------------------------------


def test_working_days_leave_out_weekends_and_scottish_public_holidays():
    # Friday 6 March to Friday 20 March 2026: two working weeks.
    assert rules.working_days_between(D(2026, 3, 6), D(2026, 3, 20)) == 10
    assert rules.working_days_between(D(2026, 3, 20), D(2026, 3, 6)) == -10
    assert rules.working_days_between(D(2026, 3, 6), D(2026, 3, 6)) == 0
    # Across Easter 2026: Good Friday (3 April) is a holiday in Scotland, Easter Monday is not.
    assert rules.working_days_between(D(2026, 4, 2), D(2026, 4, 6)) == 1
    # Across the new year: 1 and 2 January are both holidays in Scotland.
    assert rules.working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 1
    # St Andrew's Day 2025 fell on a Sunday: Monday 1 December was the day off.
    assert rules.working_days_between(D(2025, 11, 28), D(2025, 12, 2)) == 1
    assert not rules.is_working_day(D(2026, 8, 3))  # the Scottish summer bank holiday
    assert rules.is_working_day(D(2026, 8, 31))  # England's, not Scotland's


def test_the_last_day_to_tell_is_the_minimum_lead_time_before():
    assert rules.add_working_days(D(2026, 3, 20), -10) == D(2026, 3, 6)
    assert rules.add_working_days(D(2026, 5, 8), -10) == D(2026, 4, 23)  # May Day on 4 May


# Lead time and the late flag, at the boundary ----------------------------------------------


SOME_DAY = D(2026, 6, 1)


def _flags(planned, told, acknowledged=None, today=SOME_DAY, urgent=False):
    return rules.notice_flags(
        planned_on=planned,
        told_on=told,
        acknowledged_on=acknowledged,
        urgent=urgent,
        today=today,
        min_lead_days=10,
        ack_days=5,
    )


@pytest.mark.parametrize(
    ("planned", "told", "lead_time", "late"),
    [
        (D(2026, 3, 20), D(2026, 3, 6), 10, False),  # exactly the minimum: on time
        (D(2026, 3, 20), D(2026, 3, 9), 9, True),  # one working day short: late
        (D(2026, 3, 20), D(2026, 3, 7), 10, False),  # told on a Saturday: still ten
        (D(2026, 5, 8), D(2026, 4, 23), 10, False),  # May Day (4 May) is not counted
        (D(2026, 5, 8), D(2026, 4, 24), 9, True),
        (D(2026, 3, 20), D(2026, 3, 20), 0, True),  # on the day: not after, but short
        (D(2026, 3, 20), D(2026, 3, 23), -1, True),  # after the event
    ],
)
def test_lead_time_and_the_late_flag_at_the_boundary(planned, told, lead_time, late):
    flags = _flags(planned, told, acknowledged=told)
    assert flags.lead_time == lead_time
    assert flags.late is late
    assert flags.told_after_event is (told > planned)


def test_the_minimum_lead_time_is_a_setting(settings):
    notice = factories.NoticeFactory.build(planned_on=D(2026, 3, 20), told_on=D(2026, 3, 9))
    notice.acknowledged_on = D(2026, 3, 9)
    assert selectors.notice_flags(notice, D(2026, 6, 1)).late
    settings.NO_SURPRISES_MIN_LEAD_DAYS = 9
    assert not selectors.notice_flags(notice, D(2026, 6, 1)).late


def test_a_notice_not_yet_told_is_late_once_less_than_the_minimum_is_left():
    assert not _flags(D(2026, 3, 20), None, today=D(2026, 3, 6)).late
    assert _flags(D(2026, 3, 20), None, today=D(2026, 3, 9)).late
    assert _flags(D(2026, 3, 20), None, today=D(2026, 3, 23)).told_after_event


def test_a_notice_not_acknowledged_within_the_working_days_allowed_is_flagged():
    told = D(2026, 3, 2)  # a Monday
    assert not _flags(D(2026, 4, 30), told, today=D(2026, 3, 9)).awaiting_acknowledgement
    assert _flags(D(2026, 4, 30), told, today=D(2026, 3, 10)).awaiting_acknowledgement
    acknowledged = _flags(D(2026, 4, 30), told, acknowledged=D(2026, 3, 20), today=D(2026, 4, 1))
    assert not acknowledged.awaiting_acknowledgement


@freeze_time("2026-03-23")
def test_the_notice_list_filters_by_flag(director):
    on_time = factories.NoticeFactory(
        planned_on=D(2026, 3, 20), told_on=D(2026, 3, 6), acknowledged_on=D(2026, 3, 6)
    )
    late = factories.NoticeFactory(
        planned_on=D(2026, 3, 20), told_on=D(2026, 3, 9), acknowledged_on=D(2026, 3, 9)
    )
    unacknowledged = factories.NoticeFactory(planned_on=D(2026, 4, 30), told_on=D(2026, 3, 2))
    urgent = factories.NoticeFactory(
        planned_on=D(2026, 3, 2),
        told_on=D(2026, 3, 3),
        acknowledged_on=D(2026, 3, 3),
        urgent=True,
        urgent_reason="Immediate risk",
    )

    def listed(flag):
        return set(selectors.notice_list(user=director, flag=flag))

    assert listed("late") == {late}
    assert listed("awaiting_acknowledgement") == {unacknowledged}
    assert listed("urgent") == {urgent}
    assert listed("flagged") == {late, unacknowledged}
    assert listed("") == {on_time, late, unacknowledged, urgent}


@freeze_time("2026-03-23")
def test_the_summary_per_quarter_counts_each_way_with_the_median_lead_time(director, ci, his):
    factories.NoticeFactory(
        raised_by=ci,
        planned_on=D(2026, 3, 20),
        told_on=D(2026, 3, 6),
        acknowledged_on=D(2026, 3, 6),
    )  # 10 days
    factories.NoticeFactory(
        raised_by=ci,
        planned_on=D(2026, 3, 20),
        told_on=D(2026, 3, 9),
        acknowledged_on=D(2026, 3, 9),
    )  # 9 days, late
    factories.NoticeFactory(
        raised_by=his, planned_on=D(2026, 2, 27), told_on=D(2026, 2, 2)
    )  # 19 days, never acknowledged
    factories.NoticeFactory(
        raised_by=his,
        planned_on=D(2025, 11, 3),
        told_on=D(2025, 10, 1),
        acknowledged_on=D(2025, 10, 2),
    )

    quarters = {q.period.label: q for q in selectors.notice_summary(user=director)}

    q4 = quarters["Q4 2025/26"]
    assert q4.by_body == {"CI": 2, "HIS": 1}
    assert (q4.total, q4.told, q4.median_lead_time) == (3, 3, 10)
    assert (q4.late, q4.unacknowledged, q4.urgent) == (1, 1, 0)
    q3 = quarters["Q3 2025/26"]
    assert (q3.by_body, q3.late) == ({"CI": 0, "HIS": 1}, 0)
    assert next(iter(quarters)) == "Q4 2025/26"  # latest first, nothing after the current quarter
    assert "Q1 2024/25" in quarters and "Q1 2026/27" not in quarters


# Meeting gaps ---------------------------------------------------------------------------------


def _chairs_gaps(user, year):
    chairs = factories.meeting_type("chairs_and_chief_executives")
    return [
        g.period.label
        for g in selectors.meeting_gaps(
            user=user, first_year=year, last_year=year, meeting_type=chairs
        )
    ]


@freeze_time("2026-06-15")
def test_a_year_with_meetings_in_three_quarters_lists_the_missing_quarter(director):
    for held_on in (D(2024, 5, 14), D(2024, 9, 3), D(2025, 2, 11)):  # Q1, Q2 and Q4 of 2024/25
        factories.MeetingFactory(held_on=held_on)

    assert _chairs_gaps(director, 2024) == ["Q3 2024/25"]


@freeze_time("2026-06-15")
def test_a_year_with_meetings_in_all_four_quarters_lists_none(director):
    for held_on in (D(2024, 4, 1), D(2024, 9, 30), D(2024, 10, 1), D(2025, 3, 31)):
        factories.MeetingFactory(held_on=held_on)

    assert _chairs_gaps(director, 2024) == []


@freeze_time("2026-06-15")
def test_only_meetings_held_fill_a_quarter(director):
    factories.MeetingFactory(held_on=D(2024, 5, 14), status="cancelled")
    factories.MeetingFactory(held_on=D(2024, 8, 14), status="booked")
    factories.MeetingFactory(held_on=D(2024, 11, 14), archived_at="2025-01-01T00:00Z")
    factories.MeetingFactory(
        held_on=D(2025, 2, 11), meeting_type=factories.meeting_type("directors")
    )

    chairs = factories.meeting_type("chairs_and_chief_executives")
    gaps = selectors.meeting_gaps(
        user=director, first_year=2024, last_year=2024, meeting_type=chairs
    )
    assert [g.period.label for g in gaps] == [
        "Q4 2024/25",
        "Q3 2024/25",
        "Q2 2024/25",
        "Q1 2024/25",
    ]
    assert gaps[2].reason == "No meeting held (one was booked but is not recorded as held)"


def test_the_current_quarter_is_listed_only_when_close_to_ending_with_none_booked(director):
    # Q4 2025/26 ends on 31 March 2026; the warning is 21 days.
    with freeze_time("2026-03-09"):
        assert "Q4 2025/26" not in _chairs_gaps(director, 2025)  # 22 days left
    with freeze_time("2026-03-10"):
        gaps = selectors.meeting_gaps(user=director, first_year=2025, last_year=2025)
        current = next(g for g in gaps if g.period.label == "Q4 2025/26")
        assert current.current and current.days_left == 21
        assert current.reason == "Ends in 21 days with no meeting booked"
    booked = factories.MeetingFactory(held_on=D(2026, 3, 26), status="booked")
    with freeze_time("2026-03-10"):
        assert "Q4 2025/26" not in _chairs_gaps(director, 2025)
    booked.status = "cancelled"
    booked.save()
    with freeze_time("2026-03-10"):
        assert "Q4 2025/26" in _chairs_gaps(director, 2025)


@freeze_time("2026-01-15")
def test_boards_are_checked_by_financial_year_and_others_not_at_all(director):
    factories.MeetingFactory(
        held_on=D(2025, 3, 31), meeting_type=factories.meeting_type("boards")
    )  # 2024/25
    gaps = selectors.meeting_gaps(user=director, first_year=2023, last_year=2025)
    boards = [g.period.label for g in gaps if g.meeting_type.code == "boards"]
    assert boards == ["2023/24"]  # 2024/25 met; 2025/26 is not close to ending
    assert {g.meeting_type.code for g in gaps} == {"boards", "chairs_and_chief_executives"}


def test_financial_periods():
    assert rules.period_containing(D(2026, 3, 31), "quarter").label == "Q4 2025/26"
    assert rules.period_containing(D(2026, 4, 1), "quarter").label == "Q1 2026/27"
    q3 = rules.quarter(2024, 3)
    assert (q3.starts_on, q3.ends_on, q3.months) == (
        D(2024, 10, 1),
        D(2024, 12, 31),
        "October to December 2024",
    )
    year = rules.whole_year(2024)
    assert (year.label, year.months) == ("2024/25", "April 2024 to March 2025")


# Escalations and risks -----------------------------------------------------------------------


@freeze_time("2026-03-10")
def test_the_escalation_list_shows_overdue_ones_from_the_current_steps_target(director):
    on_time = factories.escalation(step_target_on=D(2026, 3, 10))
    overdue = factories.escalation(step_target_on=D(2026, 3, 9))
    closed = factories.escalation(
        status="resolved", resolved_on=D(2026, 3, 1), step_target_on=D(2026, 2, 1)
    )

    rows = selectors.with_state(selectors.escalation_list(user=director))
    states = {e: e.state.overdue for e in rows}
    assert states == {on_time: False, overdue: True, closed: False}
    assert list(selectors.escalation_list(user=director, overdue=True)) == [overdue]


def test_risk_ratings_are_banded_and_filterable(director):
    low = factories.SharedRiskFactory(likelihood=1, impact=3)
    high = factories.SharedRiskFactory(likelihood=3, impact=4)
    very_high = factories.SharedRiskFactory(likelihood=5, impact=3)

    assert [r.rated for r in selectors.risk_list(user=director)] == [15, 12, 3]
    assert list(selectors.risk_list(user=director, band="High")) == [high]
    assert list(selectors.risk_list(user=director, band="Very high")) == [very_high]
    assert rules.risk_band(low.rating).label == "Low"
    assert rules.risk_band(4).label == "Moderate"


# Who sees the log ----------------------------------------------------------------------------


def test_staff_of_either_body_see_the_log_and_others_see_none_of_it(reader, outsider):
    meeting = factories.MeetingFactory()
    factories.NoticeFactory()
    his_reader = factories.staff("HIS")

    for user in (reader, his_reader):
        assert list(selectors.meeting_list(user=user)) == [meeting]
        assert selectors.notice_list(user=user).count() == 1
    assert not selectors.meeting_list(user=outsider).exists()
    assert not selectors.notice_list(user=outsider).exists()
    with pytest.raises(Http404):
        selectors.meeting_get(user=outsider, pk=meeting.pk)


@freeze_time("2026-03-10")
def test_the_review_reads_the_same_number_of_queries_however_long_the_log(chief_executive):
    def queries(count):
        for i in range(count):
            escalation = factories.escalation(
                raised_on=D(2025, 12, 1) + datetime.timedelta(days=i % 60)
            )
            factories.NoticeFactory(planned_on=D(2026, 3, 20), told_on=D(2026, 3, 9))
            factories.MeetingActionFactory(due_on=D(2026, 3, 1))
            assert escalation.pk
        with CaptureQueriesContext(connection) as ctx:
            review = selectors.review_overview(user=chief_executive)
        assert len(review.open_escalations) >= count
        return len(ctx.captured_queries)

    assert queries(3) == queries(30)
