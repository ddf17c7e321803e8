"""PDF reports made by the real Celery worker: asked for through the inspection page and
through the API, queued on Redis, made by the worker in its own process (reading and writing
the test database), moving to done, and refused to someone outside the inspection."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse

from reports.models import GeneratedReport, ReportStatus
from tests.conftest import require
from tests.infra.conftest import Worker
from tests.reports.conftest import graded_team

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 90  # seconds: the worker makes a PDF in a few on a quiet machine


@pytest.fixture
def to_the_worker(settings, celery_worker: Worker) -> Worker:
    """Tasks go to the session's worker's own queue (and not in-process)."""
    from django.db import connection

    require(connection.vendor == "postgresql", "the worker shares the test database on PostgreSQL")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = celery_worker.queue
    yield celery_worker
    for report in GeneratedReport.objects.exclude(file=""):
        report.file.delete(save=False)  # leave nothing in the test uploads directory


def wait_until_finished(poll) -> dict:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status = poll()
        if status["status"] in (ReportStatus.DONE, ReportStatus.FAILED):
            return status
        time.sleep(0.25)
    pytest.fail(f"the worker did not finish the report within {WAIT}s: {status}")


def pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_a_report_asked_for_on_the_page_is_made_by_the_worker(client, to_the_worker):
    from tests import factories

    team = graded_team()
    outsider = factories.inspector(full_name="Olive Outsider")
    client.force_login(team.member)
    page = reverse("inspections:detail", args=[team.inspection.pk])

    response = client.post(
        reverse("reports:request"),
        {"kind": "inspection_report", "inspection": team.inspection.pk, "next": page},
    )

    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    status_url = reverse("reports:status", args=[report.pk])
    first = client.get(status_url).json()
    assert first["status"] in ("queued", "running", "done")
    finished = wait_until_finished(lambda: client.get(status_url).json())
    assert finished["status"] == "done", finished["message"]
    report.refresh_from_db()
    assert report.task_id
    assert report.started_at is not None and report.finished_at >= report.started_at
    history = report.history.order_by("history_id")
    assert [h.history_change_reason for h in history] == [
        "PDF asked for",
        "PDF being made",
        "PDF made",
    ]
    assert history[1].history_user is None  # the worker, not a person

    download = client.get(finished["download_url"])
    assert download.status_code == 200
    pages = pdf_text(b"".join(download.streaming_content))
    assert f"Inspection report: {team.inspection.title}" in pages[0]
    assert str(team.inspection.partnership) in pages[0]
    assert all("Status: Draft" in page for page in pages)
    text = " ".join(pages)
    assert "5: Very good" in text
    assert "Staff knew the people they supervised well." in text
    assert "Ready" in client.get(page).content.decode()

    client.force_login(outsider)
    assert client.get(status_url).status_code == 404
    assert client.get(finished["download_url"]).status_code == 404


def test_a_report_asked_for_through_the_api_is_made_by_the_worker(api_client, to_the_worker):
    from tests import factories

    team = graded_team()
    outsider = factories.inspector(full_name="Olive Outsider")
    api_client.force_authenticate(team.lead)

    created = api_client.post(
        "/api/v1/reports/",
        {"kind": "inspection_report", "inspection": team.inspection.pk},
        format="json",
    )

    assert created.status_code in (200, 201), created.json()
    detail = created.json()["url"]
    finished = wait_until_finished(lambda: api_client.get(detail).json())
    assert finished["status"] == "done", finished["message"]
    assert finished["document_status"] == "draft"
    download = api_client.get(finished["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pages = pdf_text(b"".join(download.streaming_content))
    assert all("Status: Draft" in page for page in pages)
    assert "Lesley Lead" in " ".join(pages)

    api_client.force_authenticate(outsider)
    assert api_client.get(detail).status_code == 404
    assert api_client.get(finished["download_url"]).status_code == 404
    refused = api_client.post(
        "/api/v1/reports/",
        {"kind": "inspection_report", "inspection": team.inspection.pk},
        format="json",
    )
    assert refused.status_code == 400
    assert GeneratedReport.objects.count() == 1
