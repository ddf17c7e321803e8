"""A team member asks for the inspection report PDF on the inspection page and sees it finish,
with axe-core on the page: once with tasks run in-process (no broker), and once with the PDF
made after the page has loaded, when the page's script shows it ready without a reload."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections.services import inspection_permissions_sync
from reports import services
from reports.models import GeneratedReport
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.reports.conftest import graded_team

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _member_email(team) -> str:
    member = team.member
    member.email = "morven@ci.example.org"
    member.save(update_fields=["email"])
    inspection_permissions_sync(inspection=team.inspection)
    return member.email


@pytest.fixture(autouse=True)
def in_process(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_team_member_creates_the_inspection_pdf(page: Page) -> None:
    team = graded_team()
    sign_in(page, _member_email(team))
    page.goto(reverse("inspections:detail", args=[team.inspection.pk]))
    section = page.locator("#reports")
    expect(section.get_by_role("heading", name="Reports")).to_be_visible()
    expect(section).to_contain_text("No PDFs have been made of this inspection's report yet.")
    assert_accessible(page)

    section.get_by_role("button", name="Create PDF").click()

    expect(page).to_have_url(re.compile(r"#reports$"))
    section = page.locator("#reports")
    row = section.get_by_role("row").filter(has_text="Morven Member")
    expect(row).to_contain_text("Ready")
    expect(row.get_by_role("link", name=re.compile("^Download PDF"))).to_be_visible()
    assert_accessible(page)
    report = GeneratedReport.objects.get()
    assert (report.status, report.document_status) == ("done", "draft")

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == report.filename
    assert download.suggested_filename.endswith(".pdf")


def test_the_page_shows_the_pdf_ready_without_a_reload(page: Page, monkeypatch) -> None:
    team = graded_team()
    queued: list[int] = []
    # No worker has taken the task yet: it is made below, after the page has loaded.
    monkeypatch.setattr(services, "_enqueue", lambda pk, task_id: queued.append(pk))
    sign_in(page, _member_email(team))
    page.goto(reverse("inspections:detail", args=[team.inspection.pk]))

    page.locator("#reports").get_by_role("button", name="Create PDF").click()

    expect(page.get_by_role("status").filter(has_text="The PDF is being made.")).to_be_visible()
    section = page.locator("#reports")
    row = section.get_by_role("row").filter(has_text="Morven Member")
    expect(row).to_contain_text("Queued")
    expect(row).to_contain_text("Not ready")
    assert_accessible(page)
    page.evaluate("() => { window.notReloaded = true; }")

    assert len(queued) == 1
    assert services.report_generate(report_id=queued[0]) == "done"

    live = section.locator("[aria-live=polite]")
    expect(live).to_contain_text("the PDF is ready to download", timeout=20_000)
    expect(row).to_contain_text("Ready")
    expect(row.get_by_role("link", name=re.compile("^Download PDF"))).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true")
    assert_accessible(page)


def test_the_partnership_and_cooperation_pages_make_their_pdfs(page: Page) -> None:
    from tests.cooperation import factories as coop

    coop.director("CI", email="dana@ci.example.org", full_name="Dana Director")
    fife = factories.PartnershipFactory(name="Fife test partnership")
    sign_in(page, "dana@ci.example.org")

    page.goto(reverse("partnerships:detail", args=[fife.pk]))
    page.locator("#reports").get_by_role("button", name="Create PDF").click()
    row = page.locator("#reports").get_by_role("row").filter(has_text="Dana Director")
    expect(row).to_contain_text("Partnership profile")
    expect(row).to_contain_text("Ready")
    assert_accessible(page)

    page.goto(reverse("cooperation:notice_summary"))
    section = page.locator("#reports")
    section.get_by_label("Financial quarter").select_option("2025-04-01")
    section.get_by_role("button", name="Create PDF").click()
    row = page.locator("#reports").get_by_role("row").filter(has_text="Q1 2025/26")
    expect(row).to_contain_text("Ready")
    expect(row).to_contain_text("Final")
    assert_accessible(page)


def test_someone_outside_the_inspection_cannot_see_its_reports(page: Page) -> None:
    team = graded_team()
    factories.inspector(email="olive@ci.example.org", full_name="Olive Outsider")
    report = GeneratedReport.objects.create(
        kind="inspection_report",
        inspection=team.inspection,
        audience="evidence",
        requested_by=team.member,
    )
    sign_in(page, "olive@ci.example.org")

    response = page.goto(reverse("reports:status", args=[report.pk]))

    assert response is not None and response.status == 404
