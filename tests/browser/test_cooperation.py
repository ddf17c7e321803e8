"""A director keeping the duty of co-operation log in a real browser: record a meeting (once
with mistakes) and an action agreed at it, a no-surprises notice, and an escalation moved to
the next level, with axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cooperation.models import Escalation, Meeting, MeetingAction, NoSurprisesNotice
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in, summary_value
from tests.cooperation import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def test_director_records_a_meeting_with_an_action_a_notice_and_an_escalation_step(
    page: Page,
) -> None:
    factories.director("CI", email="dana@ci.example.org", full_name="Dana Director")
    today = timezone.localdate()
    sign_in(page, "dana@ci.example.org")

    # The chief executives' review, from the main navigation.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Co-operation"
    ).click()
    expect(page).to_have_url(re.compile(r"/co-operation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The chief executives' review")
    expect(page.get_by_text("There are no open escalations.")).to_be_visible()
    assert_accessible(page)

    # Meetings: empty, then record one, first with mistakes.
    section = page.get_by_role("navigation", name="Duty of co-operation")
    section.get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    expect(page.locator("#result-count")).to_have_text("0 meetings")
    assert_accessible(page)

    page.get_by_role("link", name="Record a meeting").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a meeting")
    assert_accessible(page)
    page.get_by_label("Care Inspectorate attendees (optional)").fill("Jo Chair, Chair")
    page.get_by_role("button", name="Record meeting").click()

    error_summary_is_focused(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Choose the type of meeting.")
    expect(summary).to_contain_text("Enter the date of the meeting.")
    expect(page.get_by_label("Type", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Care Inspectorate attendees (optional)")).to_have_value(
        "Jo Chair, Chair"
    )
    assert_accessible(page)

    page.get_by_label("Type", exact=True).select_option(label="Chairs and chief executives")
    page.get_by_label("Date", exact=True).fill(_iso(today - datetime.timedelta(days=1)))
    page.get_by_label("Healthcare Improvement Scotland attendees (optional)").fill(
        "Sam Chief, Chief Executive"
    )
    page.get_by_label("Agenda items (optional)").fill("Shared priorities\nHorizon scanning")
    page.get_by_label("Minutes (optional)").fill("Agreed to align the inspection programmes.")
    page.get_by_role("button", name="Record meeting").click()

    meeting = Meeting.objects.get()
    expect(page).to_have_url(re.compile(rf"/co-operation/meetings/{meeting.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="has been recorded")).to_be_visible()
    expect(summary_value(page, "Care Inspectorate attendees")).to_have_text("Jo Chair, Chair")
    expect(summary_value(page, "Healthcare Improvement Scotland attendees")).to_have_text(
        "Sam Chief, Chief Executive"
    )
    expect(page.get_by_role("listitem").filter(has_text="Horizon scanning")).to_be_visible()
    assert_accessible(page)

    # An action agreed at the meeting.
    page.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_accessible(page)
    page.get_by_label("Action", exact=True).fill("Share the draft inspection programme")
    page.get_by_label("Owner", exact=True).select_option(label="Dana Director (CI)")
    page.get_by_label("Due date", exact=True).fill(_iso(today + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Add action").click()

    expect(page.get_by_role("status").filter(has_text="has been added")).to_be_visible()
    actions = page.get_by_role("table", name=f"Actions agreed at {meeting}")
    expect(actions).to_contain_text("Share the draft inspection programme")
    expect(actions).to_contain_text("Not started")
    assert_accessible(page)
    assert MeetingAction.objects.get().owner.email == "dana@ci.example.org"

    # A no-surprises notice, given with the full lead time.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Co-operation"
    ).click()
    page.get_by_role("navigation", name="Duty of co-operation").get_by_role(
        "link", name="No-surprises notices"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No-surprises notices")
    assert_accessible(page)
    page.get_by_role("link", name="Record a notice").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a no-surprises notice")
    assert_accessible(page)
    page.locator("label", has_text="Significant announcement").click()
    page.get_by_label("Subject", exact=True).fill("Publication of the annual report")
    page.get_by_label("Planned date of the announcement or commitment").fill(
        _iso(today + datetime.timedelta(days=42))
    )
    page.get_by_label("Date the other body was told (optional)").fill(_iso(today))
    page.get_by_label("Who was told (optional)").fill("Sam Chief, Chief Executive")
    page.get_by_role("button", name="Record notice").click()

    notice = NoSurprisesNotice.objects.get()
    expect(page).to_have_url(re.compile(rf"/co-operation/notices/{notice.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Publication of the annual report")
    expect(page.locator(".ds_tag", has_text="On time")).to_be_visible()
    expect(summary_value(page, "Lead time")).to_contain_text("working days")
    assert_accessible(page)

    # An escalation, raised with senior managers and moved to the directors.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Co-operation"
    ).click()
    page.get_by_role("navigation", name="Duty of co-operation").get_by_role(
        "link", name="Escalations"
    ).click()
    expect(page.get_by_text("There are no escalations yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Raise an escalation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an escalation")
    assert_accessible(page)
    page.get_by_label("Subject", exact=True).fill("Who leads the thematic review")
    page.get_by_label("Position of the body that raised it", exact=True).fill(
        "The Care Inspectorate should lead."
    )
    page.get_by_label("Relevant senior managers holding it").fill("Heads of strategy")
    page.get_by_label("Target date", exact=True).fill(_iso(today + datetime.timedelta(days=14)))
    page.get_by_role("button", name="Raise escalation").click()

    escalation = Escalation.objects.get()
    expect(page).to_have_url(re.compile(rf"/co-operation/escalations/{escalation.pk}/$"))
    expect(summary_value(page, "Current level")).to_contain_text("Relevant senior managers")
    assert_accessible(page)

    step = page.locator(
        "section", has=page.get_by_role("heading", name="Escalate to the directors")
    )
    step.get_by_label("Who holds it").fill("Directors of strategy")
    step.get_by_label("Target date").fill(_iso(today + datetime.timedelta(days=28)))
    step.get_by_role("button", name="Escalate to the directors").click()

    expect(page.get_by_role("status").filter(has_text="escalated to the directors")).to_be_visible()
    expect(summary_value(page, "Current level")).to_contain_text("Directors")
    steps = page.get_by_role("table", name="The levels the escalation has reached, in order")
    expect(steps.get_by_role("row")).to_have_count(3)  # header, senior managers, directors
    expect(page.get_by_role("heading", name="Escalate to the chief executives")).to_be_visible()
    assert_accessible(page)
    escalation.refresh_from_db()
    assert escalation.level == "directors"

    # The review now shows the open escalation at its level.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Co-operation"
    ).click()
    open_table = page.get_by_role("table", name="Open escalations, oldest first")
    expect(open_table).to_contain_text("Who leads the thematic review")
    expect(open_table).to_contain_text("Directors")
    assert_accessible(page)
