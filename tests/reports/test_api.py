"""/api/v1/reports/: asking for a report (201, or 200 with the one being made), listing and
filtering what you may see, polling its status and downloading it; 404 for anyone who may not
see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import GeneratedReport, GeneratedReportDownload
from tests import factories
from tests.cooperation import factories as coop

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/"


def detail(report) -> str:
    return f"{LIST}{report.pk}/"


def post(api_client, capture, data, *, execute=True):
    with capture(execute=execute):
        return api_client.post(LIST, data, format="json")


def test_asking_through_the_api_then_polling_and_downloading(
    api_client, team, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(team.member)

    created = post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "inspection_report", "inspection": team.inspection.pk},
        execute=False,
    )
    again = post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "inspection_report", "inspection": team.inspection.pk},
    )

    assert created.status_code == 201, created.json()
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    body = created.json()
    assert body["status"] == "queued"
    assert body["kind_display"] == "Inspection report"
    assert body["subject"] == team.inspection.title
    assert body["audience"] == "evidence"
    assert body["requested_by"] == {"id": team.member.pk, "full_name": "Morven Member"}
    assert body["download_url"] is None
    report = GeneratedReport.objects.get()
    assert body["task_id"] == report.task_id

    from reports.services import report_generate

    report_generate(report_id=report.pk)
    polled = api_client.get(detail(report)).json()
    assert polled["status"] == "done"
    assert polled["document_status"] == "draft"
    assert polled["download_url"] == f"http://testserver{LIST}{report.pk}/download/"
    pdf = api_client.get(polled["download_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert GeneratedReportDownload.objects.get().via == "api"


def test_lists_are_filtered_by_kind_status_and_record(
    api_client, team, inspector_user, fife, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(team.member)
    post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "inspection_report", "inspection": team.inspection.pk},
        execute=False,
    )
    post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "partnership_profile", "partnership": fife.pk},
    )

    everything = api_client.get(LIST).json()
    assert everything["count"] == 2
    assert [
        r["kind"] for r in api_client.get(LIST, {"kind": "partnership_profile"}).json()["results"]
    ] == ["partnership_profile"]
    assert api_client.get(LIST, {"status": "queued"}).json()["count"] == 1
    assert api_client.get(LIST, {"inspection": team.inspection.pk}).json()["count"] == 1
    assert api_client.get(LIST, {"partnership": fife.pk}).json()["count"] == 1
    assert api_client.get(LIST, {"kind": "nonsense"}).status_code == 400
    # Another inspector sees the profile (made of what everyone reads) but not the draft.
    api_client.force_authenticate(inspector_user)
    assert [r["kind"] for r in api_client.get(LIST).json()["results"]] == ["partnership_profile"]


def test_an_outsider_gets_404_and_cannot_ask(
    api_client, team, outsider, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(team.member)
    post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "inspection_report", "inspection": team.inspection.pk},
    )
    report = GeneratedReport.objects.get()
    api_client.force_authenticate(outsider)

    assert api_client.get(detail(report)).status_code == 404
    assert api_client.get(f"{detail(report)}download/").status_code == 404
    assert api_client.get(LIST, {"kind": "inspection_report"}).json()["count"] == 0
    refused = post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "inspection_report", "inspection": team.inspection.pk},
    )
    assert refused.status_code == 400
    assert list(refused.json()) == ["inspection"]
    assert GeneratedReport.objects.count() == 1


def test_bad_requests_are_400_with_field_errors(api_client, django_capture_on_commit_callbacks):
    api_client.force_authenticate(coop.director("CI"))

    not_a_start = post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "cooperation_quarter", "quarter_starts_on": "2025-04-02"},
    )
    no_kind = post(api_client, django_capture_on_commit_callbacks, {"inspection": 1})
    no_target = post(
        api_client, django_capture_on_commit_callbacks, {"kind": "partnership_profile"}
    )

    assert not_a_start.status_code == 400
    assert not_a_start.json() == {
        "quarter_starts_on": ["A quarter starts on 1 April, 1 July, 1 October or 1 January."]
    }
    assert no_kind.status_code == 400 and "kind" in no_kind.json()
    assert no_target.status_code == 400
    assert no_target.json() == {
        "non_field_errors": ["Say which inspection, partnership or quarter the report is of."]
    }


def test_staff_of_other_agencies_are_refused_the_cooperation_report(
    api_client, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(
        factories.UserFactory(roles=["inspector"], agency=factories.agency("HMICS"))
    )
    refused = post(
        api_client,
        django_capture_on_commit_callbacks,
        {"kind": "cooperation_quarter", "quarter_starts_on": "2025-04-01"},
    )
    assert refused.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_signing_in_is_needed(api_client):
    assert api_client.get(LIST).status_code == 401


def test_the_list_costs_the_same_queries_at_two_sizes(api_client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api_client.force_authenticate(team.member)

    def make(n):
        for _ in range(n):
            GeneratedReport.objects.create(
                kind="inspection_report",
                inspection=team.inspection,
                audience="evidence",
                status="failed",
                requested_by=team.lead,
            )

    make(1)
    api_client.get(LIST)  # warm caches
    with CaptureQueriesContext(connection) as one:
        assert api_client.get(LIST).status_code == 200
    make(10)
    with CaptureQueriesContext(connection) as eleven:
        assert api_client.get(LIST).json()["count"] == 11
    assert len(eleven) == len(one), [q["sql"][:150] for q in eleven.captured_queries]


def test_the_api_is_in_the_schema(admin_client):
    schema = admin_client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/reports/{id}/download/" in schema
