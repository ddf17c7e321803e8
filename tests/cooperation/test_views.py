"""Co-operation pages: every list with its filters, sorting, pagination, CSV and empty state;
forms with their error summary; History; permissions (403 on forms, 404 on hidden records);
and the same number of queries for 10 and 300 records."""

from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from cooperation.models import (
    Escalation,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttachmentDownload,
    NoSurprisesNotice,
    SharedRisk,
)
from tests.cooperation import factories

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def login(client, user):
    client.force_login(user)
    return client


def body(response) -> str:
    return html.unescape(response.content.decode())


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# Every page ----------------------------------------------------------------------------------


def _records():
    meeting = factories.MeetingFactory()
    factories.MeetingAttendeeFactory(meeting=meeting)
    action = factories.MeetingActionFactory(meeting=meeting)
    notice = factories.NoticeFactory()
    escalation = factories.escalation()
    risk = factories.SharedRiskFactory()
    mitigation = factories.MitigationFactory(risk=risk)
    meeting.risks.add(risk)
    return meeting, action, notice, escalation, risk, mitigation


def _pages(meeting, action, notice, escalation, risk, mitigation) -> list[str]:
    step = escalation.steps.get()
    names = [
        ("review", []),
        ("gaps", []),
        ("meeting_list", []),
        ("meeting_detail", [meeting.pk]),
        ("meeting_history", [meeting.pk]),
        ("action_list", []),
        ("action_history", [action.pk]),
        ("notice_list", []),
        ("notice_summary", []),
        ("notice_detail", [notice.pk]),
        ("notice_history", [notice.pk]),
        ("escalation_list", []),
        ("escalation_detail", [escalation.pk]),
        ("escalation_history", [escalation.pk]),
        ("step_history", [escalation.pk, step.pk]),
        ("risk_list", []),
        ("risk_detail", [risk.pk]),
        ("risk_history", [risk.pk]),
        ("mitigation_history", [mitigation.pk]),
    ]
    return [reverse(f"cooperation:{name}", args=args) for name, args in names]


FORMS = [
    ("meeting_create", None),
    ("meeting_edit", "meeting"),
    ("attachment_upload", "meeting"),
    ("action_create", "meeting"),
    ("action_edit", "action"),
    ("action_status", "action"),
    ("notice_create", None),
    ("notice_edit", "notice"),
    ("escalation_create", None),
    ("escalation_edit", "escalation"),
    ("escalation_resolve", "escalation"),
    ("escalation_withdraw", "escalation"),
    ("risk_create", None),
    ("risk_edit", "risk"),
    ("mitigation_create", "risk"),
    ("mitigation_edit", "mitigation"),
]


def _form_urls(records) -> list[str]:
    meeting, action, notice, escalation, risk, mitigation = records
    objects = {
        "meeting": meeting,
        "action": action,
        "notice": notice,
        "escalation": escalation,
        "risk": risk,
        "mitigation": mitigation,
    }
    return [
        reverse(f"cooperation:{name}", args=[objects[kind].pk] if kind else [])
        for name, kind in FORMS
    ]


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("cooperation:review"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_of_either_body_read_every_page(client, reader):
    records = _records()
    login(client, factories.staff("HIS"))
    for url in _pages(*records):
        assert client.get(url).status_code == 200, url


def test_those_who_keep_the_log_open_every_form(client, director):
    records = _records()
    login(client, director)
    for url in _form_urls(records):
        assert client.get(url).status_code == 200, url


def test_readers_get_403_on_every_form(client, reader):
    records = _records()
    login(client, reader)
    for url in _form_urls(records):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("cooperation:review_record"), {}).status_code == 403


def test_others_see_no_record_of_the_log(client, outsider):
    records = _records()
    login(client, outsider)
    for url in _pages(*records):
        status = client.get(url).status_code
        assert status == (
            404 if url.rstrip("/").split("/")[-1].isdigit() or "history" in url else 200
        ), url
    response = client.get(reverse("cooperation:meeting_list"))
    assert response.context["pagination"].count == 0


def test_a_missing_record_is_404(client, director):
    login(client, director)
    for name in ("meeting_detail", "notice_detail", "escalation_detail", "risk_detail"):
        assert client.get(reverse(f"cooperation:{name}", args=[999999])).status_code == 404


def test_the_navigation_leads_to_the_review(client, reader):
    response = login(client, reader).get(reverse("cooperation:meeting_list"))
    assert {"label": "Co-operation", "url": "/co-operation/", "current": True} in response.context[
        "navigation"
    ]


# Meetings ------------------------------------------------------------------------------------


@freeze_time("2026-03-10")
def test_recording_a_meeting_with_mistakes_shows_the_error_summary(client, director):
    login(client, director)
    response = client.post(
        reverse("cooperation:meeting_create"),
        {"held_on": "2026-03-12", "status": "held", "raised_by": factories.body().pk},
    )
    assert response.status_code == 400
    page = body(response)
    assert "There is a problem" in page
    assert 'href="#id_meeting_type"' in page
    assert not Meeting.objects.exists()


@freeze_time("2026-03-10")
def test_recording_a_meeting_with_attendees_and_a_risk(client, director, ci, his):
    risk = factories.SharedRiskFactory(title="Workforce")
    login(client, director)
    response = client.post(
        reverse("cooperation:meeting_create"),
        {
            "meeting_type": factories.meeting_type().pk,
            "held_on": "2026-03-02",
            "status": "held",
            "raised_by": ci.pk,
            "attendees_ci": "Jo Chair, Chair\nAl Chief, Chief Executive",
            "attendees_his": "Sam Chief, Chief Executive",
            "agenda": "Priorities\nHorizon scanning",
            "minutes": "Agreed a joint plan.",
            "risks": [risk.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cooperation:meeting_detail", args=[meeting.pk])
    page = body(client.get(response.url))
    assert "Care Inspectorate attendees" in page
    assert "Al Chief, Chief Executive" in page
    assert "Sam Chief, Chief Executive" in page
    assert "<li>Horizon scanning</li>" in page
    assert "Workforce" in page
    assert {h.history_user for h in meeting.history.all()} == {director}


def test_a_stale_meeting_edit_shows_the_conflict_and_keeps_the_input(client, director):
    meeting = factories.MeetingFactory(location="Edinburgh")
    login(client, director)
    url = reverse("cooperation:meeting_edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        meeting_type=meeting.meeting_type_id,
        raised_by=meeting.raised_by_id,
        held_on="2025-05-01",
        location="Dundee",
        version=meeting.version,
    )
    data.pop("risks", None)
    Meeting.objects.filter(pk=meeting.pk).update(version=5, location="Glasgow")

    response = client.post(url, data)

    assert response.status_code == 400
    page = body(response)
    assert "Someone else changed this record" in page
    assert "Glasgow" in page  # what the other person saved
    assert 'value="Dundee"' in page  # the user's input kept


def test_minutes_are_uploaded_and_downloaded_through_a_checked_view(client, director, reader):
    meeting = factories.MeetingFactory()
    login(client, director)
    response = client.post(
        reverse("cooperation:attachment_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attachment = meeting.attachments.get()

    login(client, reader)
    download = client.get(reverse("cooperation:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert MeetingAttachmentDownload.objects.get().user == reader

    bad = login(client, director).post(
        reverse("cooperation:attachment_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile("minutes.pdf", b"not a pdf at all")},
    )
    assert bad.status_code == 400
    assert "does not contain what its name says" in body(bad)


def test_others_cannot_download_the_minutes(client, director, outsider):
    meeting = factories.MeetingFactory()
    from cooperation import services

    attachment = services.meeting_attachment_upload(
        meeting=meeting, by=director, upload=SimpleUploadedFile("m.pdf", PDF)
    )
    login(client, outsider)
    url = reverse("cooperation:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 404


@freeze_time("2026-03-10")
def test_adding_an_action_and_marking_it_done(client, director):
    meeting = factories.MeetingFactory()
    login(client, director)
    response = client.post(
        reverse("cooperation:action_create", args=[meeting.pk]),
        {
            "description": "Share the inspection programme",
            "owner": director.pk,
            "due_on": "2026-03-31",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    assert response.url == reverse("cooperation:meeting_detail", args=[meeting.pk]) + "#actions"

    response = client.post(
        reverse("cooperation:action_status", args=[action.pk]),
        {"status": "done", "version": action.version, "next": "/co-operation/actions/"},
    )
    assert response.status_code == 302
    assert response.url == "/co-operation/actions/"
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", D(2026, 3, 10))


# The lists -----------------------------------------------------------------------------------


@freeze_time("2026-03-23")
def test_the_notice_list_shows_flags_as_tags_with_text_and_filters(client, reader, ci, his):
    factories.NoticeFactory(
        subject="Late one",
        raised_by=ci,
        planned_on=D(2026, 3, 20),
        told_on=D(2026, 3, 9),
        acknowledged_on=D(2026, 3, 9),
    )
    factories.NoticeFactory(
        subject="On time",
        raised_by=his,
        planned_on=D(2026, 3, 20),
        told_on=D(2026, 3, 6),
        acknowledged_on=D(2026, 3, 6),
    )
    login(client, reader)
    url = reverse("cooperation:notice_list")

    page = body(client.get(url))
    assert '<strong class="ds_tag ds_tag--red">Late</strong> less than 10 working days' in page
    assert '<strong class="ds_tag ds_tag--green">On time</strong>' in page

    response = client.get(url, {"flag": "late"})
    assert [n.subject for n in response.context["rows"]] == ["Late one"]
    response = client.get(url, {"body": his.pk})
    assert [n.subject for n in response.context["rows"]] == ["On time"]
    response = client.get(url, {"sort": "subject"})
    assert [n.subject for n in response.context["rows"]] == ["Late one", "On time"]
    rows = csv_rows(client.get(url, {"format": "csv", "flag": "late"}))
    assert rows[0][:2] == ["Subject", "Raised by"]
    assert rows[1][0] == "Late one" and rows[1][8] == "9" and rows[1][10] == "yes"


def test_a_date_range_in_the_wrong_order_is_an_error_and_filters_nothing(client, reader):
    factories.MeetingFactory()
    response = login(client, reader).get(
        reverse("cooperation:meeting_list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "The 'to' date cannot be before the 'from' date." in body(response)
    assert response.context["pagination"].count == 1


def test_lists_say_when_nothing_matches(client, director):
    login(client, director)
    response = client.get(reverse("cooperation:escalation_list"))
    assert "There are no escalations yet." in body(response)
    assert "Raise an escalation" in body(response)
    factories.escalation()
    response = client.get(reverse("cooperation:escalation_list"), {"status": "resolved"})
    assert "No escalations match these filters." in body(response)


def test_lists_paginate(client, reader):
    for i in range(30):
        factories.SharedRiskFactory(title=f"Risk {i:02}")
    login(client, reader)
    first = client.get(reverse("cooperation:risk_list"), {"sort": "title"})
    assert len(first.context["rows"]) == 25
    second = client.get(reverse("cooperation:risk_list"), {"sort": "title", "page": 2})
    assert [r.title for r in second.context["rows"]] == [f"Risk {i}" for i in range(25, 30)]


def _make(kind: str, count: int) -> None:
    start = D(2025, 4, 1)
    for i in range(count):
        day = start + datetime.timedelta(days=i % 300)
        if kind == "meetings":
            meeting = factories.MeetingFactory(held_on=day)
            factories.MeetingActionFactory(meeting=meeting, due_on=day)
        elif kind == "actions":
            factories.MeetingActionFactory(due_on=day)
        elif kind == "notices":
            factories.NoticeFactory(planned_on=day, told_on=day - datetime.timedelta(days=9))
        elif kind == "escalations":
            factories.escalation(raised_on=day)
        elif kind == "risks":
            factories.MitigationFactory(risk=factories.SharedRiskFactory(review_on=day))


LISTS = {
    "meetings": "cooperation:meeting_list",
    "actions": "cooperation:action_list",
    "notices": "cooperation:notice_list",
    "escalations": "cooperation:escalation_list",
    "risks": "cooperation:risk_list",
}


@pytest.mark.parametrize("fmt", ["page", "csv"])
@pytest.mark.parametrize("kind", list(LISTS))
@freeze_time("2026-03-10")
def test_each_list_runs_the_same_queries_at_10_and_300_records(client, reader, kind, fmt):
    login(client, reader)
    url = reverse(LISTS[kind])

    def queries() -> tuple[int, int]:
        params = {"format": "csv"} if fmt == "csv" else {}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
            if fmt == "csv":
                count = len(csv_rows(response)) - 1
            else:
                assert response.status_code == 200
                count = response.context["pagination"].count
        return len(ctx.captured_queries), count

    _make(kind, 10)
    at_10, listed = queries()
    assert listed == 10
    _make(kind, 290)
    at_300, listed = queries()
    assert listed == 300
    assert at_10 == at_300


@freeze_time("2026-03-10")
def test_the_review_page_runs_the_same_queries_at_10_and_300_records(client, chief_executive):
    login(client, chief_executive)

    def make(count):
        for i in range(count):
            day = D(2025, 12, 1) + datetime.timedelta(days=i % 90)
            factories.escalation(raised_on=day, step_target_on=D(2026, 3, 1))
            factories.escalation(raised_on=day, status="resolved", resolved_on=D(2026, 3, 1))
            factories.NoticeFactory(planned_on=D(2026, 3, 20), told_on=D(2026, 3, 9))
            factories.MeetingActionFactory(due_on=D(2026, 3, 1))
            factories.MeetingFactory(held_on=day)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("cooperation:review"))
            assert response.status_code == 200
        return len(ctx.captured_queries), response.context["review"]

    make(10)
    at_10, review = queries()
    assert len(review.open_escalations) == 10
    make(290)
    at_300, review = queries()
    assert len(review.open_escalations) == 300
    assert len(review.flagged_notices) == 300
    assert at_10 == at_300


# Notices, escalations, risks -----------------------------------------------------------------


@freeze_time("2026-03-23")
def test_recording_an_urgent_notice_after_the_event(client, director, ci):
    login(client, director)
    response = client.post(
        reverse("cooperation:notice_create"),
        {
            "raised_by": ci.pk,
            "kind": "announcement",
            "subject": "Service closed",
            "planned_on": "2026-03-16",
            "told_on": "2026-03-17",
            "told_whom": "HIS Director of Quality",
            "urgent": "on",
            "urgent_reason": "Immediate risk to people",
        },
    )
    assert NoSurprisesNotice.objects.get().urgent
    assert response.status_code == 302
    page = body(client.get(response.url))
    assert '<strong class="ds_tag ds_tag--orange">Urgent</strong> told after the event' in page
    assert "Late" not in page
    assert "-1 working day" in page


def test_an_urgent_notice_without_its_reason_is_refused_on_the_page(client, director, ci):
    response = login(client, director).post(
        reverse("cooperation:notice_create"),
        {
            "raised_by": ci.pk,
            "kind": "announcement",
            "subject": "x",
            "planned_on": "2025-03-16",
            "urgent": "on",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_urgent_reason">Say why it was urgent.' in body(response)


@freeze_time("2026-02-02")
def test_escalating_on_the_page_moves_to_the_next_level_only(client, director, ci):
    login(client, director)
    client.post(
        reverse("cooperation:escalation_create"),
        {
            "subject": "Lead body",
            "raised_by": ci.pk,
            "raised_on": "2026-01-05",
            "raising_body_position": "CI leads",
            "held_by": "Heads of service",
            "target_on": "2026-01-30",
        },
    )
    escalation = Escalation.objects.get()
    url = reverse("cooperation:escalation_detail", args=[escalation.pk])
    page = body(client.get(url))
    assert "Escalate to the directors" in page
    assert '<strong class="ds_tag ds_tag--red">Overdue</strong>' in page

    skip = client.post(
        reverse("cooperation:escalation_escalate", args=[escalation.pk]),
        {
            "version": escalation.version,
            "level": "chief_executives",
            "held_by": "Chief executives",
            "target_on": "2026-02-20",
        },
    )
    assert skip.status_code == 400
    assert "the next level is Directors" in body(skip)

    step = client.post(
        reverse("cooperation:escalation_escalate", args=[escalation.pk]),
        {
            "version": escalation.version,
            "level": "directors",
            "held_by": "Directors of strategy",
            "target_on": "2026-02-20",
        },
    )
    assert step.status_code == 302
    escalation.refresh_from_db()
    assert escalation.level == "directors"
    page = body(client.get(url))
    assert "Escalate to the chief executives" in page
    assert "28 days (0 at this level)" in page


def test_resolving_an_escalation(client, director):
    escalation = factories.escalation()
    login(client, director)
    url = reverse("cooperation:escalation_resolve", args=[escalation.pk])
    missing = client.post(url, {"version": escalation.version, "resolution": ""})
    assert missing.status_code == 400
    done = client.post(
        url, {"version": escalation.version, "resolution": "Agreed a joint approach."}
    )
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == "resolved"
    assert client.get(url).status_code == 404  # nothing left to resolve


@freeze_time("2026-03-10")
def test_a_chief_executive_records_a_review_on_the_review_page(client, chief_executive, director):
    login(client, director)
    assert "Record that I reviewed the log" not in body(client.get(reverse("cooperation:review")))
    login(client, chief_executive)
    page = body(client.get(reverse("cooperation:review")))
    assert "No chief executive has recorded a review of the log yet." in page
    response = client.post(
        reverse("cooperation:review_record"), {"reviewed_on": "2026-03-09", "notes": ""}
    )
    assert response.status_code == 302
    assert LogReview.objects.get().reviewed_on == D(2026, 3, 9)
    page = body(client.get(reverse("cooperation:review")))
    assert "Last reviewed on 9 March 2026 by Carol Chief" in page

    future = client.post(reverse("cooperation:review_record"), {"reviewed_on": "2026-03-11"})
    assert future.status_code == 400
    assert "The date cannot be in the future." in body(future)


def test_adding_a_risk_and_a_mitigation(client, director, ci, his):
    login(client, director)
    response = client.post(
        reverse("cooperation:risk_create"),
        {
            "title": "Inspector capacity",
            "raised_by": ci.pk,
            "owner_body": his.pk,
            "likelihood": "4",
            "impact": "4",
            "review_on": "2026-06-30",
            "status": "open",
        },
    )
    risk = SharedRisk.objects.get()
    assert response.status_code == 302
    assert "16: Very high" in body(client.get(response.url))
    response = client.post(
        reverse("cooperation:mitigation_create", args=[risk.pk]),
        {
            "description": "Shared inspector pool",
            "owner": director.pk,
            "agreed_on": "2026-02-01",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    assert "Shared inspector pool" in body(client.get(response.url))


def test_archiving_and_history(client, admin_user):
    risk = factories.SharedRiskFactory(title="Old risk")
    login(client, admin_user)
    response = client.post(
        reverse("cooperation:risk_archive", args=[risk.pk]),
        {"version": risk.version, "reason": "Merged with another"},
    )
    assert response.status_code == 302
    assert not client.get(reverse("cooperation:risk_list")).context["rows"]
    assert client.get(reverse("cooperation:risk_list"), {"archived": "on"}).context["rows"]
    history = body(client.get(reverse("cooperation:risk_history", args=[risk.pk])))
    assert "Archived by Ada Administrator" in history
    assert "Merged with another" in history


@freeze_time("2026-03-10")
def test_the_gaps_page_lists_missed_quarters(client, reader):
    factories.MeetingFactory(held_on=D(2025, 5, 1))
    login(client, reader)
    response = client.get(reverse("cooperation:gaps"), {"first_year": 2025, "last_year": 2025})
    labels = [(g.meeting_type.code, g.period.label) for g in response.context["gaps"]]
    assert labels == [
        ("chairs_and_chief_executives", "Q4 2025/26"),
        ("chairs_and_chief_executives", "Q3 2025/26"),
        ("chairs_and_chief_executives", "Q2 2025/26"),
        ("boards", "2025/26"),
    ]
    assert "Ends in 21 days with no meeting booked" in body(response)
