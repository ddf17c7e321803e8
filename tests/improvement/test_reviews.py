"""Progress reviews: agreeing an assisted or directed decision schedules its reviews; a review
is recorded as held with who attended, a judgement and the next date; reopening the decision
cancels what it scheduled; overdue reviews are found."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from improvement import rules, selectors, services
from improvement.models import ProgressReview, ReviewKind, ReviewStatus, SupportLevel
from scrutiny.services import ConflictError

TODAY = datetime.date(2026, 3, 10)


def level(order):
    return SupportLevel.objects.get(order=order)


def decide(record_assessment, lead, order, *, met=(3, 3, 0, 0, 0), **review):
    assessment = record_assessment(met)
    return services.decision_create(
        by=lead, assessment=assessment, level=level(order), rationale="Our judgement.", **review
    )


def scheduled(partnership):
    return list(
        ProgressReview.objects.filter(partnership=partnership)
        .order_by("due_on")
        .values_list("kind", "due_on", "status")
    )


@freeze_time(TODAY)
def test_an_agreed_assisted_decision_schedules_its_formal_review(
    record_assessment, lead, partnership
):
    decision = decide(
        record_assessment, lead, rules.ASSISTED, formal_review_on=datetime.date(2026, 9, 1)
    )
    assert scheduled(partnership) == []  # a draft schedules nothing
    services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert scheduled(partnership) == [
        (ReviewKind.FORMAL, datetime.date(2026, 9, 1), ReviewStatus.SCHEDULED)
    ]
    review = ProgressReview.objects.get()
    assert review.decision == decision
    assert review.history.first().history_user == lead


@freeze_time(TODAY)
def test_an_agreed_directed_decision_schedules_monitoring_and_a_formal_review(
    record_assessment, lead, partnership
):
    decision = decide(
        record_assessment,
        lead,
        rules.DIRECTED,
        met=(0, 0, 0, 0, 0),
        formal_review_on=datetime.date(2026, 12, 10),
        monitoring_interval_months=3,
    )
    services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert scheduled(partnership) == [
        (ReviewKind.MONITORING, datetime.date(2026, 6, 10), ReviewStatus.SCHEDULED),
        (ReviewKind.MONITORING, datetime.date(2026, 9, 10), ReviewStatus.SCHEDULED),
        (ReviewKind.FORMAL, datetime.date(2026, 12, 10), ReviewStatus.SCHEDULED),
    ]


@freeze_time(TODAY)
def test_between_commissioned_and_assisted_brings_the_assisted_review(
    record_assessment, lead, partnership
):
    assessment = record_assessment((3, 3, 3, 0, 0))
    decision = services.decision_create(
        by=lead,
        assessment=assessment,
        level=level(rules.COMMISSIONED),
        second_level=level(rules.ASSISTED),
        formal_review_on=datetime.date(2026, 6, 1),
        monitoring_interval_months=2,  # directed only: dropped
    )
    assert decision.monitoring_interval_months is None
    services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert [kind for kind, _, _ in scheduled(partnership)] == [ReviewKind.FORMAL]


@freeze_time(TODAY)
def test_lighter_levels_schedule_no_reviews_and_drop_review_dates(
    record_assessment, lead, partnership
):
    decision = decide(
        record_assessment,
        lead,
        rules.COMMISSIONED,
        met=(3, 3, 3, 0, 0),
        formal_review_on=datetime.date(2026, 6, 1),
    )
    assert decision.formal_review_on is None
    services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert scheduled(partnership) == []


@freeze_time(TODAY)
def test_agreeing_without_the_review_arrangements_is_refused_with_messages(record_assessment, lead):
    decision = decide(record_assessment, lead, rules.DIRECTED, met=(0, 0, 0, 0, 0))
    with pytest.raises(ValidationError) as exc:
        services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert exc.value.message_dict == {
        "formal_review_on": [services.FORMAL_REVIEW_REQUIRED_MESSAGE],
        "monitoring_interval_months": [services.INTERVAL_REQUIRED_MESSAGE],
    }
    decision = services.decision_update(
        decision=decision,
        by=lead,
        expected_version=decision.version,
        level=decision.level,
        rationale="x",
        formal_review_on=TODAY,
        monitoring_interval_months=3,
    )
    with pytest.raises(ValidationError) as exc:
        services.decision_agree(decision=decision, by=lead, expected_version=decision.version)
    assert exc.value.message_dict == {"formal_review_on": [services.FORMAL_REVIEW_FUTURE_MESSAGE]}
    assert not ProgressReview.objects.exists()


@freeze_time(TODAY)
def test_reopening_cancels_the_reviews_not_yet_held(record_assessment, lead, partnership):
    decision = decide(
        record_assessment,
        lead,
        rules.DIRECTED,
        met=(0, 0, 0, 0, 0),
        formal_review_on=datetime.date(2026, 12, 10),
        monitoring_interval_months=3,
    )
    decision = services.decision_agree(
        decision=decision, by=lead, expected_version=decision.version
    )
    first = ProgressReview.objects.order_by("due_on").first()
    with freeze_time(datetime.date(2026, 6, 12)):
        services.review_record(
            review=first,
            by=lead,
            expected_version=first.version,
            held_on=datetime.date(2026, 6, 11),
            attendees="Lead inspector; chief officer",
            judgement="some",
        )
    services.decision_reopen(
        decision=decision, by=lead, reason="New evidence.", expected_version=decision.version
    )
    statuses = [status for _, _, status in scheduled(partnership)]
    assert statuses == [ReviewStatus.HELD, ReviewStatus.CANCELLED, ReviewStatus.CANCELLED]
    cancelled = ProgressReview.objects.filter(status=ReviewStatus.CANCELLED).first()
    assert "reopened" in cancelled.cancelled_reason
    assert "New evidence." in cancelled.history.first().history_change_reason


@pytest.fixture
def review(partnership, lead):
    return services.review_schedule(
        by=lead,
        partnership=partnership,
        kind=ReviewKind.FORMAL,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_recording_a_review_with_a_next_date_schedules_the_next(review, lead, partnership):
    today = timezone.localdate()
    next_on = today + datetime.timedelta(days=90)
    held = services.review_record(
        review=review,
        by=lead,
        expected_version=review.version,
        held_on=today,
        attendees="Lead inspector; chief officer; chair of the IJB",
        judgement="good",
        notes="Actions on track.",
        next_on=next_on,
    )
    assert held.status == ReviewStatus.HELD and held.judgement == "good"
    following = ProgressReview.objects.exclude(pk=held.pk).get()
    assert (following.kind, following.due_on, following.status) == (
        ReviewKind.FORMAL,
        next_on,
        ReviewStatus.SCHEDULED,
    )
    with pytest.raises(ValidationError) as exc:  # a held review is not recorded twice
        services.review_record(
            review=held,
            by=lead,
            expected_version=held.version,
            held_on=today,
            attendees="x",
            judgement="good",
        )
    assert "held" in exc.value.messages[0]


def test_recording_refuses_a_future_date_and_a_next_date_before_it(review, lead):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            review=review,
            by=lead,
            expected_version=review.version,
            held_on=today + datetime.timedelta(days=1),
            attendees="x",
            judgement="good",
            next_on=today,
        )
    assert exc.value.message_dict == {
        "held_on": [services.HELD_ON_FUTURE_MESSAGE],
        "next_on": [services.NEXT_ON_MESSAGE],
    }
    with pytest.raises(ValidationError) as exc:  # the model refuses a review held by nobody
        services.review_record(
            review=review,
            by=lead,
            expected_version=review.version,
            held_on=today,
            attendees=" ",
            judgement="good",
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.SCHEDULED


def test_a_stale_version_is_a_conflict(review, lead):
    services.review_reschedule(
        review=review,
        by=lead,
        expected_version=review.version,
        due_on=review.due_on + datetime.timedelta(days=7),
    )
    with pytest.raises(ConflictError):
        services.review_cancel(review=review, by=lead, expected_version=1, reason="Not needed.")


def test_cancelling_needs_a_reason(review, lead):
    with pytest.raises(ValidationError) as exc:
        services.review_cancel(review=review, by=lead, expected_version=review.version, reason="")
    assert exc.value.message_dict == {"reason": [services.CANCEL_REASON_MESSAGE]}
    cancelled = services.review_cancel(
        review=review, by=lead, expected_version=review.version, reason="Merged with the next."
    )
    assert cancelled.status == ReviewStatus.CANCELLED


def test_overdue_reviews_are_scheduled_ones_past_their_date(
    partnership, lead, link_inspector, director, outsider
):
    today = timezone.localdate()
    past = services.review_schedule(
        by=lead,
        partnership=partnership,
        kind=ReviewKind.MONITORING,
        due_on=today - datetime.timedelta(days=3),
    )
    cancelled = services.review_schedule(
        by=lead, partnership=partnership, kind=ReviewKind.FORMAL, due_on=today
    )
    services.review_cancel(
        review=cancelled, by=lead, expected_version=cancelled.version, reason="Replaced."
    )
    services.review_schedule(
        by=lead, partnership=partnership, kind=ReviewKind.FORMAL, due_on=today
    )  # due today: not yet overdue
    for user in (link_inspector, director):
        assert selectors.overdue_reviews(user=user, partnership=partnership) == [past]
    assert selectors.overdue_reviews(user=outsider, partnership=partnership) == []
