"""The Reports section on the inspection, partnership and co-operation pages: asking for a PDF,
seeing its status (as JSON for the page's script, and on the page without it) and downloading
it, for those who may; "Page not found" for everyone else."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from cooperation import rules
from reports.models import GeneratedReport, GeneratedReportDownload, ReportStatus
from tests import factories
from tests.cooperation import factories as coop

from .conftest import graded_team, publish

pytestmark = pytest.mark.django_db

REQUEST = reverse("reports:request")


def body(response) -> str:
    return response.content.decode()


def ask(client, capture, *, execute=True, **data):
    with capture(execute=execute):
        return client.post(REQUEST, data)


def inspection_url(inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


def test_a_team_member_creates_the_inspection_pdf_from_its_page(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(team.member)
    page = client.get(inspection_url(team.inspection))
    assert 'id="reports"' in body(page)
    assert "Create PDF" in body(page)
    assert "No PDFs have been made of this inspection&#x27;s report yet." in body(page)
    assert 'src="/static/js/reports.js"' in body(page)

    response = ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
        next=inspection_url(team.inspection),
    )

    assert response.status_code == 302
    assert response["Location"] == inspection_url(team.inspection) + "#reports"
    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.DONE
    page = client.get(response["Location"])
    text = body(page)
    # (Here the task ran once the request had answered, so the message is the one a worker
    # gives; with no broker in production the PDF is made before the page answers.)
    assert "The PDF is being made. This page shows when it is ready." in text
    assert "Morven Member" in text  # who asked
    assert "Ready" in text
    download = reverse("reports:download", args=[report.pk])
    assert f'href="{download}"' in text
    assert f'data-report-status-url="{reverse("reports:status", args=[report.pk])}"' in text

    pdf = client.get(download)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="inspection-report-')
    assert pdf["Cache-Control"] == "private, no-store"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert GeneratedReportDownload.objects.filter(report=report, user=team.member).count() == 1


def test_the_status_endpoint_answers_as_json(client, team, django_capture_on_commit_callbacks):
    client.force_login(team.member)
    ask(
        client,
        django_capture_on_commit_callbacks,
        execute=False,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )
    report = GeneratedReport.objects.get()

    queued = client.get(reverse("reports:status", args=[report.pk])).json()
    assert queued == {
        "id": report.pk,
        "kind": "inspection_report",
        "status": "queued",
        "status_label": "Queued",
        "finished": False,
        "message": "",
        "document_status": "",
        "download_url": None,
        "size": None,
    }
    # Without the script, the page shows where it stands.
    page = body(client.get(inspection_url(team.inspection)))
    assert 'data-report-status="queued"' in page
    assert "Not ready" in page

    from reports.services import report_generate

    report_generate(report_id=report.pk)
    done = client.get(reverse("reports:status", args=[report.pk]))
    assert done["Cache-Control"] == "private, no-store"
    assert done.json()["status"] == "done"
    assert done.json()["download_url"] == reverse("reports:download", args=[report.pk])
    assert done.json()["document_status"] == "draft"


def test_asking_again_while_it_is_being_made_says_so(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(team.member)
    data = {"kind": "inspection_report", "inspection": team.inspection.pk}
    ask(client, django_capture_on_commit_callbacks, execute=False, **data)
    client.force_login(team.lead)

    response = ask(client, django_capture_on_commit_callbacks, execute=False, **data)

    assert GeneratedReport.objects.count() == 1
    text = body(client.get(response["Location"]))
    assert "This PDF is already being made (asked for by Morven Member at" in text


def test_a_failure_shows_its_message_on_the_page(
    client, team, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import services

    monkeypatch.setattr(services.pdf, "render_pdf", lambda document, report: 1 / 0)
    client.force_login(team.member)

    response = ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )

    report = GeneratedReport.objects.get()
    text = body(client.get(response["Location"]))
    assert "Failed" in text
    assert services.FAILED_MESSAGE.format(pk=report.pk) in text
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert (
        client.get(reverse("reports:status", args=[report.pk])).json()["message"] == report.message
    )


def test_an_outsider_gets_page_not_found_everywhere(
    client, team, outsider, django_capture_on_commit_callbacks
):
    client.force_login(team.member)
    ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )
    report = GeneratedReport.objects.get()
    client.force_login(outsider)

    assert client.get(inspection_url(team.inspection)).status_code == 404
    refused = ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )
    assert refused.status_code == 404
    assert GeneratedReport.objects.count() == 1
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert not GeneratedReportDownload.objects.exists()


def test_once_published_an_outsider_gets_the_published_report_but_not_the_teams(
    client, django_capture_on_commit_callbacks
):
    team = publish(graded_team(status="factual_accuracy"))
    outsider = factories.inspector(full_name="Olive Outsider")
    client.force_login(team.member)
    ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )
    teams = GeneratedReport.objects.get()
    client.force_login(outsider)

    page = body(client.get(inspection_url(team.inspection)))
    assert "Create PDF" in page
    assert "Morven Member" not in page  # the team's copy is not listed
    ask(
        client,
        django_capture_on_commit_callbacks,
        kind="inspection_report",
        inspection=team.inspection.pk,
    )
    own = GeneratedReport.objects.exclude(pk=teams.pk).get()
    assert own.audience == "general"
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[teams.pk])).status_code == 404
    assert client.get(reverse("reports:status", args=[teams.pk])).status_code == 404
    # The team reads the outsider's copy too: it holds nothing they may not read.
    client.force_login(team.member)
    assert client.get(reverse("reports:download", args=[own.pk])).status_code == 200


def test_a_partnership_profile_from_the_partnership_page(
    client, inspector_client, fife, django_capture_on_commit_callbacks
):
    url = reverse("partnerships:detail", args=[fife.pk])
    assert "Create PDF" in body(inspector_client.get(url))

    response = ask(
        inspector_client,
        django_capture_on_commit_callbacks,
        kind="partnership_profile",
        partnership=fife.pk,
        next=url,
    )

    assert response["Location"] == url + "#reports"
    report = GeneratedReport.objects.get()
    assert (report.kind, report.partnership, report.status) == ("partnership_profile", fife, "done")
    assert "Partnership profile" in body(inspector_client.get(url))


def test_the_quarterly_cooperation_report_from_the_summary_page(
    client, django_capture_on_commit_callbacks
):
    director = coop.director("CI", full_name="Dana Director")
    client.force_login(director)
    url = reverse("cooperation:notice_summary")
    page = body(client.get(url))
    assert 'id="reports-quarter"' in page
    assert '<option value="2025-04-01">Q1 2025/26 (April to June 2025)</option>' in page

    response = ask(
        client,
        django_capture_on_commit_callbacks,
        kind="cooperation_quarter",
        quarter="2025-04-01",
        next=url,
    )

    assert response["Location"] == url + "#reports"
    report = GeneratedReport.objects.get()
    assert report.quarter_starts_on == rules.quarter(2025, 1).starts_on
    assert report.status == "done"
    assert "Co-operation quarterly report: Q1 2025/26" in body(client.get(url))


def test_staff_of_other_agencies_may_not_ask_for_the_cooperation_report(
    client, django_capture_on_commit_callbacks
):
    director = coop.director("CI")
    client.force_login(director)
    ask(
        client, django_capture_on_commit_callbacks, kind="cooperation_quarter", quarter="2025-04-01"
    )
    report = GeneratedReport.objects.get()
    hmics = factories.UserFactory(roles=["inspector"], agency=factories.agency("HMICS"))
    client.force_login(hmics)

    refused = ask(
        client, django_capture_on_commit_callbacks, kind="cooperation_quarter", quarter="2025-04-01"
    )

    assert refused.status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_a_quarter_not_started_is_refused_with_a_message(
    client, django_capture_on_commit_callbacks
):
    client.force_login(coop.director("CI"))
    url = reverse("cooperation:notice_summary")
    future = rules.quarter(rules.financial_year(datetime.date.today()) + 1, 1).starts_on

    response = ask(
        client,
        django_capture_on_commit_callbacks,
        kind="cooperation_quarter",
        quarter=future.isoformat(),
        next=url,
    )

    assert response["Location"] == url + "#reports"
    assert "That quarter has not started yet." in body(client.get(url))
    assert not GeneratedReport.objects.exists()


def test_a_return_address_elsewhere_is_ignored(
    inspector_client, fife, django_capture_on_commit_callbacks
):
    response = ask(
        inspector_client,
        django_capture_on_commit_callbacks,
        kind="partnership_profile",
        partnership=fife.pk,
        next="https://elsewhere.example/",
    )
    assert response["Location"] == reverse("partnerships:detail", args=[fife.pk]) + "#reports"


def test_asking_needs_a_post_and_sign_in(client, fife):
    assert (
        client.post(REQUEST, {"kind": "partnership_profile", "partnership": fife.pk}).status_code
        == 302
    )
    assert not GeneratedReport.objects.exists()
    client.force_login(factories.inspector())
    assert client.get(REQUEST).status_code == 405


def test_the_reports_section_costs_the_same_queries_however_many_reports(
    client, team, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(team.member)
    url = inspection_url(team.inspection)

    def make(n):
        for _ in range(n):
            GeneratedReport.objects.create(
                kind="inspection_report",
                inspection=team.inspection,
                audience="evidence",
                status="failed",
                message="Lost.",
                requested_by=team.lead,
            )

    make(1)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make(8)
    with CaptureQueriesContext(connection) as nine:
        client.get(url)
    assert len(nine) == len(one)
