"""Pages for progress reviews and improvement support: an assisted or directed decision agreed
through the pages schedules its reviews; reviews recorded, rescheduled and cancelled; overdue
reviews flagged; improvement support recorded, changed and archived; lists filtered, paginated
and exported; the partnership page in a fixed number of queries; who may see and do what."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from improvement import rules, services
from improvement.models import (
    ActionStatus,
    ImprovementSupport,
    ProgressReview,
    ReviewKind,
    ReviewStatus,
    SupportDecision,
    SupportLevel,
    SupportProvider,
    SupportStatus,
)
from inspections.models import Inspection
from scrutiny.services import CONFLICT_MESSAGE

TODAY = datetime.date(2026, 3, 10)


def level(order):
    return SupportLevel.objects.get(order=order)


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def schedule(partnership, by, due_on, kind=ReviewKind.FORMAL):
    return services.review_schedule(by=by, partnership=partnership, kind=kind, due_on=due_on)


@pytest.fixture
def published(inspection):
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def plan(published, partnership, lead):
    return services.plan_create(
        by=lead, partnership=partnership, inspection=published, title="Joint improvement plan"
    )


@pytest.fixture
def provider(db):
    return SupportProvider.objects.get(name="Improvement Service")


# An assisted or directed decision schedules its reviews --------------------------------------


def _decide_through_the_page(client, assessment, data):
    response = client.post(reverse("improvement:decision_create", args=[assessment.pk]), data)
    assert response.status_code == 302, response.content.decode()
    return SupportDecision.objects.get(assessment=assessment)


def _review_rows(client, partnership, query=""):
    body = client.get(reverse("improvement:review_list", args=[partnership.pk]) + query)
    return body.content.decode()


@freeze_time(TODAY)
def test_an_agreed_assisted_decision_schedules_its_formal_review(
    client, lead, record_assessment, partnership
):
    assessment = record_assessment((3, 3, 0, 0, 0))  # two conditions met: assisted recommended
    client.force_login(lead)
    form = client.get(reverse("improvement:decision_create", args=[assessment.pk]))
    body = form.content.decode()
    assert "Date of the formal progress review" in body
    assert "Monitoring interval (months)" in body
    assert "Assisted support brings an agreed formal progress review" in body
    decision = _decide_through_the_page(
        client, assessment, {"level": level(rules.ASSISTED).pk, "formal_review_on": "2026-09-01"}
    )
    assert decision.formal_review_on == datetime.date(2026, 9, 1)
    detail = client.get(reverse("improvement:assessment_detail", args=[assessment.pk]))
    assert "Formal progress review on 1 September 2026." in detail.content.decode()

    agree = client.get(reverse("improvement:decision_agree", args=[decision.pk])).content.decode()
    assert "Formal progress review on 1 September 2026" in agree  # what agreeing schedules
    response = client.post(
        reverse("improvement:decision_agree", args=[decision.pk]), {"version": decision.version}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 progress review has been scheduled." in page

    body = _review_rows(client, partnership)
    assert body.count("data-review=") == 1
    assert "Formal progress review" in body and "1 September 2026" in body
    assert "Assisted improvement support" in body


@freeze_time(TODAY)
def test_an_agreed_directed_decision_schedules_monitoring_at_the_interval_and_the_formal_review(
    client, lead, record_assessment, partnership
):
    assessment = record_assessment((0, 0, 0, 0, 0))
    client.force_login(lead)
    decision = _decide_through_the_page(
        client,
        assessment,
        {
            "level": level(rules.DIRECTED).pk,
            "formal_review_on": "2026-12-10",
            "monitoring_interval_months": "3",
        },
    )
    response = client.post(
        reverse("improvement:decision_agree", args=[decision.pk]), {"version": decision.version}
    )
    assert response.status_code == 302
    assert list(
        ProgressReview.objects.order_by("due_on").values_list("kind", "due_on", "status")
    ) == [
        (ReviewKind.MONITORING, datetime.date(2026, 6, 10), ReviewStatus.SCHEDULED),
        (ReviewKind.MONITORING, datetime.date(2026, 9, 10), ReviewStatus.SCHEDULED),
        (ReviewKind.FORMAL, datetime.date(2026, 12, 10), ReviewStatus.SCHEDULED),
    ]
    body = _review_rows(client, partnership)
    rows = body.split("<tr data-review=")[1:]  # in date order, earliest first
    assert len(rows) == 3
    assert "Formal monitoring" in rows[0] and "10 June 2026" in rows[0]
    assert "Formal monitoring" in rows[1] and "10 September 2026" in rows[1]
    assert "Formal progress review" in rows[2] and "10 December 2026" in rows[2]
    # Latest first, and only the monitoring.
    body = _review_rows(client, partnership, "?sort=-due&kind=monitoring")
    rows = body.split("<tr data-review=")[1:]
    assert len(rows) == 2 and "10 September 2026" in rows[0]


@freeze_time(TODAY)
def test_agreeing_without_the_review_arrangements_says_what_is_missing_and_where(
    client, lead, record_assessment
):
    assessment = record_assessment((0, 0, 0, 0, 0))
    client.force_login(lead)
    decision = _decide_through_the_page(client, assessment, {"level": level(rules.DIRECTED).pk})
    url = reverse("improvement:decision_agree", args=[decision.pk])
    response = client.post(url, {"version": decision.version})
    assert response.status_code == 400
    body = response.content.decode()
    assert services.FORMAL_REVIEW_REQUIRED_MESSAGE in body
    assert services.INTERVAL_REQUIRED_MESSAGE in body
    assert "Change the decision</a> to give" in body
    assert reverse("improvement:decision_edit", args=[decision.pk]) in body
    decision.refresh_from_db()
    assert decision.status == "draft"
    assert not ProgressReview.objects.exists()

    # A date that has passed is refused too.
    response = client.post(
        reverse("improvement:decision_edit", args=[decision.pk]),
        {
            "level": level(rules.DIRECTED).pk,
            "formal_review_on": "2026-03-01",
            "monitoring_interval_months": "13",
            "version": decision.version,
        },
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 12." in response.content.decode()
    client.post(
        reverse("improvement:decision_edit", args=[decision.pk]),
        {
            "level": level(rules.DIRECTED).pk,
            "formal_review_on": "2026-03-01",
            "monitoring_interval_months": "2",
            "version": decision.version,
        },
    )
    decision.refresh_from_db()
    response = client.post(url, {"version": decision.version})
    assert services.FORMAL_REVIEW_FUTURE_MESSAGE in response.content.decode()


# Overdue actions and reviews on the partnership page -----------------------------------------


def test_an_overdue_action_and_an_overdue_review_are_visible_on_the_partnership_page(
    client, lead, link_inspector, plan, partnership
):
    action = services.action_create(
        by=lead,
        plan=plan,
        description="Audit the case files",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=days(-3),
        status=ActionStatus.ON_TRACK,
    )
    overdue = schedule(partnership, link_inspector, days(-5))
    upcoming = schedule(partnership, link_inspector, days(20), ReviewKind.MONITORING)
    held = schedule(partnership, link_inspector, days(-40))
    services.review_record(
        review=held,
        by=link_inspector,
        expected_version=held.version,
        held_on=days(-40),
        attendees="Ann Owner, Chief Officer",
        judgement="some",
    )
    client.force_login(link_inspector)
    body = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "Overdue actions: 1" in body
    assert action.description in body
    assert "Overdue progress reviews: 1" in body
    assert reverse("improvement:review_detail", args=[overdue.pk]) in body
    assert f"due {overdue.due_on.day} {overdue.due_on:%B %Y}" in body
    assert reverse("improvement:review_detail", args=[upcoming.pk]) in body
    assert reverse("improvement:review_detail", args=[held.pk]) not in body
    assert reverse("improvement:review_list", args=[partnership.pk]) in body
    assert reverse("improvement:support_list", args=[partnership.pk]) in body
    # The list flags it too.
    listing = _review_rows(client, partnership)
    assert listing.count("Overdue</strong>") == 1


def _page_queries(client, partnership):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("partnerships:detail", args=[partnership.pk]))
    assert response.status_code == 200
    return len(ctx)


def test_partnership_page_runs_a_fixed_number_of_queries_whatever_the_reviews(
    client, lead, link_inspector, plan, partnership
):
    schedule(partnership, link_inspector, days(-2))
    schedule(partnership, link_inspector, days(10))
    client.force_login(link_inspector)
    few = _page_queries(client, partnership)
    for n in range(8):
        schedule(partnership, link_inspector, days(-10 - n))
        schedule(partnership, link_inspector, days(30 + n), ReviewKind.MONITORING)
    many = _page_queries(client, partnership)
    assert many == few
    body = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "Overdue progress reviews: 9" in body
    assert "And 4 more scheduled." in body


# Reviews: schedule, record, reschedule, cancel ------------------------------------------------


def test_link_inspector_schedules_a_review_and_team_member_needs_a_decision(
    client, link_inspector, team_member, partnership
):
    url = reverse("improvement:review_schedule", args=[partnership.pk])
    client.force_login(link_inspector)
    response = client.post(url, {"kind": "formal", "due_on": days(60).isoformat()})
    assert response.status_code == 302
    review = ProgressReview.objects.get()
    assert response["Location"] == reverse("improvement:review_detail", args=[review.pk])
    assert review.history.first().history_user == link_inspector

    client.force_login(team_member)
    response = client.post(url, {"kind": "formal", "due_on": days(60).isoformat()})
    assert response.status_code == 400
    assert "unless you are the partnership&#x27;s link inspector" in response.content.decode()
    assert ProgressReview.objects.count() == 1


def test_recording_a_review_schedules_the_next(client, link_inspector, partnership):
    review = schedule(partnership, link_inspector, days(-1), ReviewKind.MONITORING)
    client.force_login(link_inspector)
    url = reverse("improvement:review_record", args=[review.pk])
    page = client.get(url).content.decode()
    assert "Judgement of progress" in page and "Good progress" in page
    # Errors from the service keep what was typed.
    response = client.post(
        url,
        {
            "held_on": days(2).isoformat(),
            "attendees": "Ann Owner, Chief Officer",
            "judgement": "some",
            "notes": "Recruitment is behind plan.",
            "version": review.version,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert services.HELD_ON_FUTURE_MESSAGE in body
    assert "Recruitment is behind plan." in body
    response = client.post(
        url,
        {
            "held_on": days(-1).isoformat(),
            "attendees": "Ann Owner, Chief Officer",
            "judgement": "some",
            "notes": "Recruitment is behind plan.",
            "next_on": days(90).isoformat(),
            "version": review.version,
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.HELD
    assert review.judgement == "some"
    detail = client.get(response["Location"]).content.decode()
    assert "Some progress" in detail and "Ann Owner, Chief Officer" in detail
    assert "The next review is scheduled for" in detail
    following = ProgressReview.objects.get(due_on=days(90))
    assert following.kind == ReviewKind.MONITORING and following.status == ReviewStatus.SCHEDULED
    # A held review is no longer recorded, rescheduled or cancelled.
    assert client.get(url).status_code == 403
    assert "Record the review" not in detail


def test_stale_record_is_a_conflict_that_keeps_input(client, link_inspector, partnership):
    review = schedule(partnership, link_inspector, days(10))
    services.review_reschedule(
        review=review, by=link_inspector, expected_version=review.version, due_on=days(12)
    )
    client.force_login(link_inspector)
    response = client.post(
        reverse("improvement:review_record", args=[review.pk]),
        {
            "held_on": days(0).isoformat(),
            "attendees": "Stale attendee list",
            "judgement": "good",
            "version": review.version,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert CONFLICT_MESSAGE.split(".")[0] in body
    assert "Stale attendee list" in body
    assert 'name="version" value="2"' in body


def test_reschedule_and_cancel_with_reason_in_history(client, link_inspector, partnership):
    review = schedule(partnership, link_inspector, days(10))
    client.force_login(link_inspector)
    response = client.post(
        reverse("improvement:review_reschedule", args=[review.pk]),
        {"due_on": days(14).isoformat(), "version": review.version},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.due_on == days(14)
    cancel = reverse("improvement:review_cancel", args=[review.pk])
    response = client.post(cancel, {"reason": "", "version": review.version})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(
        cancel, {"reason": "Replaced by the joint board meeting.", "version": review.version}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CANCELLED
    detail = client.get(response["Location"]).content.decode()
    assert "Replaced by the joint board meeting." in detail
    history = client.get(reverse("improvement:review_history", args=[review.pk])).content
    assert "Cancelled: Replaced by the joint board meeting." in history.decode()
    assert "Rescheduled to" in history.decode()


def test_review_list_filters_paginates_and_exports(client, link_inspector, partnership):
    for n in range(27):
        schedule(partnership, link_inspector, days(n + 1))
    overdue = schedule(partnership, link_inspector, days(-3), ReviewKind.MONITORING)
    client.force_login(link_inspector)
    url = reverse("improvement:review_list", args=[partnership.pk])
    body = client.get(url).content.decode()
    assert "28 reviews" in body
    assert body.count("data-review=") == 25
    assert 'aria-label="Pages"' in body
    body = client.get(url + "?kind=monitoring").content.decode()
    assert body.count("data-review=") == 1 and "Overdue</strong>" in body
    body = client.get(url + "?overdue=on").content.decode()
    assert f'data-review="{overdue.pk}"' in body and body.count("data-review=") == 1
    body = client.get(url + "?status=held").content.decode()
    assert "No reviews match these filters." in body
    response = client.get(url + "?kind=monitoring&format=csv")
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Kind", "Date due", "Status", "Overdue"]
    assert rows[1][:4] == ["Formal monitoring", days(-3).isoformat(), "Scheduled", "Yes"]
    assert len(rows) == 2


def test_review_list_queries_do_not_grow(client, link_inspector, partnership):
    schedule(partnership, link_inspector, days(3))
    client.force_login(link_inspector)
    url = reverse("improvement:review_list", args=[partnership.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(10):
        schedule(partnership, link_inspector, days(n - 5))
    with CaptureQueriesContext(connection) as eleven:
        client.get(url)
    assert len(eleven) == len(one)


def test_outsider_gets_404_and_director_reads_only(
    client, outsider, director, link_inspector, partnership, provider
):
    review = schedule(partnership, link_inspector, days(3))
    support = services.support_create(
        by=link_inspector, partnership=partnership, provider=provider, description="Data help"
    )
    record_urls = [
        reverse("improvement:review_detail", args=[review.pk]),
        reverse("improvement:review_record", args=[review.pk]),
        reverse("improvement:review_reschedule", args=[review.pk]),
        reverse("improvement:review_cancel", args=[review.pk]),
        reverse("improvement:review_history", args=[review.pk]),
        reverse("improvement:support_detail", args=[support.pk]),
        reverse("improvement:support_edit", args=[support.pk]),
        reverse("improvement:support_archive", args=[support.pk]),
        reverse("improvement:support_history", args=[support.pk]),
    ]
    client.force_login(outsider)
    for url in record_urls:
        assert client.get(url).status_code == 404, url
    body = client.get(reverse("improvement:review_list", args=[partnership.pk])).content
    assert "No progress reviews of this partnership that you can see" in body.decode()
    assert (
        "Data help"
        not in client.get(
            reverse("improvement:support_list", args=[partnership.pk])
        ).content.decode()
    )
    for name in ("review_schedule", "support_create"):
        assert client.get(reverse(f"improvement:{name}", args=[partnership.pk])).status_code == 403

    client.force_login(director)
    for url in record_urls:
        expected = (
            403 if url.endswith(("record/", "reschedule/", "cancel/", "edit/", "archive/")) else 200
        )
        assert client.get(url).status_code == expected, url


# Improvement support --------------------------------------------------------------------------


def test_link_inspector_records_changes_and_archives_support(
    client, link_inspector, partnership, plan, provider
):
    client.force_login(link_inspector)
    url = reverse("improvement:support_create", args=[partnership.pk])
    form = client.get(url).content.decode()
    assert "Peer networks" in form and "Joint improvement plan" in form
    response = client.post(
        url,
        {
            "provider": provider.pk,
            "description": "Help with the strategic needs assessment",
            "plan": plan.pk,
            "starts_on": days(5).isoformat(),
            "ends_on": days(1).isoformat(),
            "status": "commissioned",
        },
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    response = client.post(
        url,
        {
            "provider": provider.pk,
            "description": "Help with the strategic needs assessment",
            "plan": plan.pk,
            "starts_on": days(5).isoformat(),
            "ends_on": days(95).isoformat(),
            "status": "commissioned",
        },
    )
    assert response.status_code == 302
    support = ImprovementSupport.objects.get()
    assert support.plan == plan and support.status == SupportStatus.COMMISSIONED
    detail = client.get(response["Location"]).content.decode()
    assert "Help with the strategic needs assessment" in detail
    assert "Improvement Service" in detail

    # The provider is retired; editing keeps it on offer for this support.
    SupportProvider.objects.filter(pk=provider.pk).update(active=False)
    edit = reverse("improvement:support_edit", args=[support.pk])
    assert "Improvement Service" in client.get(edit).content.decode()
    data = {
        "provider": provider.pk,
        "description": "Help with the strategic needs assessment",
        "plan": plan.pk,
        "starts_on": days(5).isoformat(),
        "ends_on": days(95).isoformat(),
        "status": "complete",
        "outcome": "",
        "version": support.version,
    }
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "Record the outcome before marking the support complete." in response.content.decode()
    response = client.post(edit, {**data, "outcome": "A needs assessment the board adopted."})
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == SupportStatus.COMPLETE
    # A stale edit keeps the input and shows what was saved.
    response = client.post(edit, {**data, "outcome": "My stale outcome", "version": 1})
    assert response.status_code == 400
    body = response.content.decode()
    assert "My stale outcome" in body and "A needs assessment the board adopted." in body

    response = client.post(
        reverse("improvement:support_archive", args=[support.pk]), {"version": support.version}
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.archived_at is not None
    listing = reverse("improvement:support_list", args=[partnership.pk])
    assert response["Location"] == listing
    assert "has been archived" in client.get(listing).content.decode()
    assert "strategic needs" not in client.get(listing).content.decode()
    assert "strategic needs" in client.get(listing + "?archived=on").content.decode()
    history = client.get(reverse("improvement:support_history", args=[support.pk])).content
    assert "Archived" in history.decode() and "Support commissioned" in history.decode()


def test_support_list_filters_and_exports(client, link_inspector, partnership, provider):
    other = SupportProvider.objects.get(name="Peer networks")
    for n in range(3):
        services.support_create(
            by=link_inspector,
            partnership=partnership,
            provider=provider,
            description=f"Service support {n}",
            status="in_progress",
        )
    services.support_create(
        by=link_inspector, partnership=partnership, provider=other, description="Peer review"
    )
    client.force_login(link_inspector)
    url = reverse("improvement:support_list", args=[partnership.pk])
    body = client.get(url).content.decode()
    assert "4 records of support" in body
    body = client.get(url + f"?provider={other.pk}").content.decode()
    assert "Peer review" in body and "Service support" not in body
    body = client.get(url + "?status=in_progress").content.decode()
    assert "3 records of support" in body
    response = client.get(url + "?status=proposed&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Provider"
    assert rows[1][:2] == ["Peer networks", "Peer review"]
    assert len(rows) == 2
