"""/api/v1/ for the co-operation log: lists with filters and derived values, writes through
the services (403, 400, 409), `escalate` refusing a step out of order, meeting gaps, and lists
in the same number of queries at 10 and 300 records."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from cooperation.models import Escalation, Meeting, MeetingAttachmentDownload
from tests.cooperation import factories

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# Meetings and actions ------------------------------------------------------------------------


@freeze_time("2026-03-10")
def test_a_meeting_is_recorded_with_attendees_and_read_back(director):
    risk = factories.SharedRiskFactory()
    response = api(director).post(
        "/api/v1/meetings/",
        {
            "meeting_type": factories.meeting_type().pk,
            "held_on": "2026-03-02",
            "status": "held",
            "raised_by": "CI",
            "agenda": "Priorities\nRisks",
            "attendees": [
                {"body": "CI", "name": "Jo Chair", "role": "Chair"},
                {"body": "HIS", "name": "Sam Chief"},
            ],
            "risks": [risk.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["raised_by"] == "CI"
    assert data["agenda_items"] == ["Priorities", "Risks"]
    assert data["attendees"] == [
        {"body": "CI", "name": "Jo Chair", "role": "Chair"},
        {"body": "HIS", "name": "Sam Chief", "role": ""},
    ]
    assert data["risks"] == [risk.pk]
    assert data["version"] == 1


def test_meeting_writes_are_refused_to_readers_and_checked(reader, director):
    payload = {
        "meeting_type": factories.meeting_type().pk,
        "held_on": "2025-03-02",
        "status": "held",
        "raised_by": "HMICS",
    }
    assert api(reader).post("/api/v1/meetings/", payload, format="json").status_code == 403
    response = api(director).post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 400
    assert "raised_by" in response.json()


def test_a_stale_meeting_update_is_a_409(director):
    meeting = factories.MeetingFactory()
    client = api(director)
    url = f"/api/v1/meetings/{meeting.pk}/"
    assert client.patch(url, {"location": "Perth"}, format="json").status_code == 400
    ok = client.patch(url, {"location": "Perth", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"location": "Stirling", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_meeting_files_upload_and_download_through_the_api(director, reader):
    meeting = factories.MeetingFactory()
    upload = api(director).post(
        f"/api/v1/meetings/{meeting.pk}/files/",
        {"file": SimpleUploadedFile("minutes.pdf", PDF), "description": "Minutes"},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    download = api(reader).get(upload.json()["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert MeetingAttachmentDownload.objects.get().via == "api"


def test_delete_archives_a_meeting(admin_user, director):
    meeting = factories.MeetingFactory()
    assert api(director).delete(f"/api/v1/meetings/{meeting.pk}/").status_code == 403
    response = api(admin_user).delete(f"/api/v1/meetings/{meeting.pk}/?reason=Duplicate")
    assert response.status_code == 200
    assert response.json()["archived_at"]
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    listed = api(admin_user).get("/api/v1/meetings/").json()
    assert listed["count"] == 0
    assert api(admin_user).get("/api/v1/meetings/?archived=true").json()["count"] == 1


@freeze_time("2026-03-10")
def test_meeting_actions_are_listed_with_overdue_and_changed(director):
    overdue = factories.MeetingActionFactory(due_on=D(2026, 3, 9))
    factories.MeetingActionFactory(due_on=D(2026, 3, 10))
    client = api(director)

    listed = client.get("/api/v1/meeting-actions/", {"overdue": "true"}).json()
    assert [a["id"] for a in listed["results"]] == [overdue.pk]
    assert listed["results"][0]["overdue"] is True

    done = client.patch(
        f"/api/v1/meeting-actions/{overdue.pk}/",
        {"status": "done", "version": overdue.version},
        format="json",
    )
    assert done.status_code == 200
    assert (done.json()["completed_on"], done.json()["overdue"]) == ("2026-03-10", False)

    created = client.post(
        "/api/v1/meeting-actions/",
        {
            "meeting": overdue.meeting_id,
            "description": "Draft the joint plan",
            "owner": director.pk,
            "due_on": "2026-04-30",
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["owner_details"]["body"] == "CI"


def test_bad_filters_are_400s(reader):
    client = api(reader)
    assert client.get("/api/v1/meetings/", {"body": "HMICS"}).status_code == 400
    assert client.get("/api/v1/meetings/", {"date_from": "yesterday"}).status_code == 400
    assert client.get("/api/v1/escalations/", {"level": "board"}).status_code == 400
    assert client.get("/api/v1/no-surprises-notices/", {"flag": "odd"}).status_code == 400


def test_others_see_nothing_through_the_api(outsider):
    meeting = factories.MeetingFactory()
    client = api(outsider)
    assert client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


# No-surprises notices ------------------------------------------------------------------------


@freeze_time("2026-03-23")
def test_notices_carry_their_lead_time_and_flags(director):
    notice = factories.NoticeFactory(
        planned_on=D(2026, 3, 20), told_on=D(2026, 3, 9), acknowledged_on=D(2026, 3, 9)
    )
    data = api(director).get(f"/api/v1/no-surprises-notices/{notice.pk}/").json()
    assert data["flags"] == {
        "lead_time": 9,
        "tell_by": "2026-03-06",
        "late": True,
        "told_after_event": False,
        "short_notice": True,
        "urgent": False,
        "awaiting_acknowledgement": False,
        "flagged": True,
    }


@freeze_time("2026-03-23")
def test_an_urgent_notice_after_the_event_through_the_api(director):
    response = api(director).post(
        "/api/v1/no-surprises-notices/",
        {
            "raised_by": "HIS",
            "kind": "commitment",
            "commitment_type": "operational",
            "subject": "Emergency redeployment",
            "planned_on": "2026-03-16",
            "told_on": "2026-03-18",
            "told_whom": "CI Chief Executive",
            "urgent": True,
            "urgent_reason": "Outbreak",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    flags = response.json()["flags"]
    assert (flags["urgent"], flags["told_after_event"], flags["late"]) == (True, True, False)

    summary = api(director).get("/api/v1/no-surprises-notices/summary/").json()
    assert summary[0]["quarter"] == "Q4 2025/26"
    assert (summary[0]["urgent"], summary[0]["by_body"]) == (1, {"CI": 0, "HIS": 1})


def test_a_notice_missing_its_urgent_reason_is_a_400_on_that_field(director):
    response = api(director).post(
        "/api/v1/no-surprises-notices/",
        {
            "raised_by": "CI",
            "kind": "announcement",
            "subject": "x",
            "planned_on": "2025-03-16",
            "urgent": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"urgent_reason": ["Say why it was urgent."]}


# Escalations ---------------------------------------------------------------------------------


def test_an_escalation_moves_through_the_levels_and_refuses_a_step_out_of_order(director):
    client = api(director)
    with freeze_time("2026-01-05"):
        created = client.post(
            "/api/v1/escalations/",
            {
                "subject": "Lead body for a review",
                "raised_by": "CI",
                "raised_on": "2026-01-05",
                "raising_body_position": "CI leads",
                "held_by": "Heads of service",
                "target_on": "2026-01-30",
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    url = f"/api/v1/escalations/{pk}/escalate/"
    assert created.json()["next_level"] == "directors"

    with freeze_time("2026-02-02"):
        skip = client.post(
            url,
            {"level": "chief_executives", "held_by": "CEs", "target_on": "2026-02-20"},
            format="json",
        )
        assert skip.status_code == 400
        assert skip.json() == {
            "level": [
                "An escalation moves to the next level only, in order: from Relevant senior "
                "managers the next level is Directors."
            ]
        }
        step = client.post(
            url,
            {"level": "directors", "held_by": "Directors", "target_on": "2026-02-20"},
            format="json",
        )
        assert step.status_code == 200
        assert step.json()["level"] == "directors"
        back = client.post(
            url,
            {"level": "senior_managers", "held_by": "Them", "target_on": "2026-02-20"},
            format="json",
        )
        assert back.status_code == 400

    with freeze_time("2026-03-02"):
        top = client.post(
            url,
            {"level": "chief_executives", "held_by": "Both CEs", "target_on": "2026-03-20"},
            format="json",
        )
    assert top.status_code == 200
    with freeze_time("2026-03-23"):
        data = client.get(f"/api/v1/escalations/{pk}/").json()
        assert (data["level"], data["age_days"], data["overdue"], data["next_level"]) == (
            "chief_executives",
            77,
            True,
            None,
        )
        assert [s["level"] for s in data["steps"]] == [
            "senior_managers",
            "directors",
            "chief_executives",
        ]
        resolved = client.post(
            f"/api/v1/escalations/{pk}/resolve/", {"resolution": "Joint lead"}, format="json"
        )
    assert resolved.status_code == 200
    assert (resolved.json()["status"], resolved.json()["overdue"]) == ("resolved", False)
    assert Escalation.objects.get().history.count() == 4


def test_readers_cannot_escalate(reader):
    escalation = factories.escalation()
    response = api(reader).post(
        f"/api/v1/escalations/{escalation.pk}/escalate/",
        {"level": "directors", "held_by": "x", "target_on": "2026-12-01"},
        format="json",
    )
    assert response.status_code == 403


# Shared risks and gaps -----------------------------------------------------------------------


def test_shared_risks_with_their_rating_and_mitigations(director):
    client = api(director)
    created = client.post(
        "/api/v1/shared-risks/",
        {
            "title": "Capacity",
            "raised_by": "CI",
            "owner_body": "HIS",
            "likelihood": 3,
            "impact": 5,
            "review_on": "2026-06-30",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert (created.json()["rating"], created.json()["band"]) == (15, "Very high")

    mitigation = client.post(
        f"/api/v1/shared-risks/{pk}/mitigations/",
        {"description": "Pool inspectors", "owner": director.pk, "agreed_on": "2026-02-01"},
        format="json",
    )
    assert mitigation.status_code == 201
    changed = client.patch(
        f"/api/v1/shared-risks/{pk}/mitigations/{mitigation.json()['id']}/",
        {"status": "done", "version": 1},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    risk = client.get(f"/api/v1/shared-risks/{pk}/").json()
    assert [m["status"] for m in risk["mitigations"]] == ["done"]
    assert client.get("/api/v1/shared-risks/", {"band": "Very high"}).json()["count"] == 1
    bad = client.patch(f"/api/v1/shared-risks/{pk}/", {"impact": 6, "version": 1}, format="json")
    assert bad.status_code == 400


@freeze_time("2026-06-15")
def test_meeting_gaps_through_the_api(reader):
    for held_on in (D(2024, 5, 14), D(2024, 9, 3), D(2025, 2, 11)):
        factories.MeetingFactory(held_on=held_on)
    chairs = factories.meeting_type()
    response = api(reader).get(
        "/api/v1/cooperation/meeting-gaps/",
        {"first_year": 2024, "last_year": 2024, "meeting_type": chairs.pk},
    )
    assert response.status_code == 200
    assert [(g["period"]["label"], g["reason"]) for g in response.json()] == [
        ("Q3 2024/25", "No meeting held")
    ]
    assert response.json()[0]["period"]["starts_on"] == "2024-10-01"
    bad = api(reader).get(
        "/api/v1/cooperation/meeting-gaps/", {"first_year": 2025, "last_year": 2024}
    )
    assert bad.status_code == 400


def test_the_schema_describes_the_cooperation_api(reader):
    paths = api(reader).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in [
        "/api/v1/meetings/",
        "/api/v1/meeting-actions/",
        "/api/v1/no-surprises-notices/",
        "/api/v1/escalations/",
        "/api/v1/escalations/{id}/escalate/",
        "/api/v1/shared-risks/",
        "/api/v1/cooperation/meeting-gaps/",
    ]:
        assert path in paths


# Queries -------------------------------------------------------------------------------------


ENDPOINTS = {
    "/api/v1/meetings/": lambda: factories.MeetingActionFactory(),
    "/api/v1/meeting-actions/": lambda: factories.MeetingActionFactory(),
    "/api/v1/no-surprises-notices/": lambda: factories.NoticeFactory(),
    "/api/v1/escalations/": lambda: factories.escalation(),
    "/api/v1/shared-risks/": lambda: factories.MitigationFactory(),
}


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_each_api_list_runs_the_same_queries_at_10_and_300_records(reader, url):
    client = api(reader)

    def queries(count):
        for _ in range(count):
            ENDPOINTS[url]()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"page_size": 200})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    at_10, listed = queries(10)
    assert listed == 10
    at_300, listed = queries(290)
    assert listed == 300
    assert at_10 == at_300
