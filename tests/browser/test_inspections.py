"""A lead inspector's journey through an inspection in a real browser: plan it (once with
mistakes), build the team, notify, record evidence and upload a file, with axe-core on each page.

The live server shares this process's settings, so uploads go to a temporary MEDIA_ROOT.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.roles import Role
from inspections.models import Attachment, AttachmentDownload, Inspection
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in, summary_value

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAMME = "Joint inspections of adult services (themed)"
FIFE_HSCP = "Fife Health and Social Care Partnership"
TITLE = "Joint inspection of adult services: Fife"
# A small, well-formed PDF: the upload check reads the content, not the name.
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_lead_inspector_plans_staffs_notifies_and_records_evidence(page: Page) -> None:
    factories.lead_inspector(email="lesley@ci.example.org", full_name="Lesley Lead")
    factories.UserFactory(
        email="hamish@his.example.org",
        full_name="Hamish Health",
        agency=factories.agency("HIS"),
        roles=[Role.INSPECTOR],
    )

    sign_in(page, "lesley@ci.example.org")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Inspections"
    ).click()

    # The list, empty so far.
    expect(page).to_have_url(re.compile(r"/inspections/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspections")
    expect(page.locator("#result-count")).to_have_text("0 inspections")
    expect(page.get_by_text("There are no inspections you can see yet.")).to_be_visible()
    assert_accessible(page)

    # Plan an inspection; first with mistakes.
    page.get_by_role("link", name="Plan an inspection").first.click()
    expect(page).to_have_url(re.compile(r"/inspections/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an inspection")
    expect(page.get_by_label("Lead inspector (optional)")).to_have_value(
        str(User.objects.get(email="lesley@ci.example.org").pk)
    )
    assert_accessible(page)

    page.get_by_label("Fieldwork starts (optional)").fill("2026-03-09")
    page.get_by_label("Fieldwork ends (optional)").fill("2026-03-02")
    page.get_by_role("button", name="Plan inspection").click()

    error_summary_is_focused(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Choose the programme.")
    expect(summary).to_contain_text("Enter a title.")
    expect(summary).to_contain_text("Fieldwork cannot end before it starts.")
    expect(page.get_by_label("Title", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Fieldwork starts (optional)")).to_have_value(
        "2026-03-09"
    )  # input kept
    assert_accessible(page)

    page.get_by_label("Programme", exact=True).select_option(label=PROGRAMME)
    page.get_by_label("Partnership", exact=True).select_option(label=FIFE_HSCP)
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Fieldwork ends (optional)").fill("2026-03-20")
    # The Design System draws its own checkbox over the input: click the label, as a user does.
    page.locator("label", has_text="How effectively is the partnership working together").click()
    page.get_by_role("button", name="Plan inspection").click()

    # The overview.
    inspection = Inspection.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").filter(has_text="has been planned")).to_be_visible()
    expect(summary_value(page, "Partnership")).to_have_text(FIFE_HSCP)
    notify = page.locator("section", has=page.get_by_role("heading", name="Notified"))
    expect(notify).to_contain_text("Not ready")
    expect(notify).to_contain_text("Add at least one team member from Healthcare Improvement")
    expect(page.get_by_text("Unconfirmed number")).to_be_visible()
    assert_accessible(page)

    # Add the partner agency's inspector, so the team meets the notification gate.
    page.get_by_role("link", name="Add a team member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a team member")
    page.get_by_label("Person", exact=True).select_option(label="Hamish Health (HIS)")
    page.get_by_label("Role on the team", exact=True).select_option(label="Health inspector")
    expect(page.get_by_label("No connection")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Add to the team").click()

    expect(page.get_by_role("status").filter(has_text="has joined the team")).to_be_visible()
    team = page.get_by_role("table", name="The inspection team")
    expect(team.get_by_role("row")).to_have_count(3)  # header, lead and Hamish
    expect(notify).to_contain_text("Ready")

    # Notify.
    notify.get_by_label("Date (optional)").fill("2026-01-05")
    notify.get_by_role("button", name="Move to Notified").click()

    expect(page.get_by_role("status").filter(has_text="is now at: Notified")).to_be_visible()
    expect(page.locator(".scrutiny-status")).to_contain_text("Notified since 5 January 2026")
    milestones = page.get_by_role("table", name="Milestones, by due date")
    expect(milestones.get_by_role("row")).to_have_count(12)  # header and the 11 milestones
    expect(milestones).to_contain_text("Report published")
    assert_accessible(page)

    # Record an evidence activity.
    page.get_by_role("link", name="Record an evidence activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an evidence activity")
    assert_accessible(page)
    page.get_by_label("Kind", exact=True).select_option(
        label="Information request and position statement"
    )
    page.get_by_label("Title", exact=True).fill("Position statement")
    page.get_by_label("Starts (optional)").fill("2026-01-12")
    page.locator("label", has_text="In progress").click()
    page.locator("label", has_text="Hamish Health (HIS)").click()
    page.get_by_role("button", name="Record activity").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Position statement")
    expect(summary_value(page, "Carried out by")).to_have_text("Hamish Health")
    expect(page.get_by_text("No files have been uploaded for this activity.")).to_be_visible()
    assert_accessible(page)

    # Upload a file: a PDF made here.
    page.get_by_role("link", name="Upload a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file")
    assert_accessible(page)
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "position-statement.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Description (optional)").fill("The partnership's position statement")
    page.get_by_role("button", name="Upload file").click()

    expect(page.get_by_role("status").filter(has_text="has been uploaded")).to_be_visible()
    files = page.get_by_role("table", name="Files for Position statement")
    expect(files).to_contain_text("The partnership's position statement")
    assert_accessible(page)
    assert Attachment.objects.get().original_name == "position-statement.pdf"

    with page.expect_download() as download:
        files.get_by_role("link", name="position-statement.pdf", exact=True).click()
    assert download.value.suggested_filename == "position-statement.pdf"
    with open(download.value.path(), "rb") as stored:
        assert stored.read() == PDF
    assert AttachmentDownload.objects.count() == 1

    # Back on the overview, the evidence is listed with its file.
    page.goto(reverse("inspections:detail", args=[inspection.pk]))
    evidence = page.get_by_role("table", name="Evidence activities")
    expect(evidence.get_by_role("link", name="position-statement.pdf", exact=True)).to_be_visible()
    assert_accessible(page)
