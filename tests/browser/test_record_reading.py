"""A reader reads a record in a real browser with the keyboard alone: from the sample to the
record, through every question (Tab between questions, arrow keys and Space in a radio group,
typing in the notes), a draft, a refused "complete" with its error summary, then complete; and
the results. axe-core checks each page, the entry page also with its error summary."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.roles import Role
from inspections import services as inspection_services
from inspections.models import ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import services
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

READER = "rhona@ci.example.org"
MAX_TABS = 80


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {id: e.id, tag: e.tagName.toLowerCase(), type: e.type || "",
                    text: (e.innerText || e.value || "").trim(), checked: !!e.checked};
        }"""
    )


def tab_until(page: Page, matches) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"Tab never reached the element wanted on {page.url}")


def tab(page: Page) -> dict:
    page.keyboard.press("Tab")
    return focused(page)


def make_sample():
    inspection, lead = factories.inspection_with_team(title="Joint inspection: Fife")
    reader = factories.UserFactory(email=READER, full_name="Rhona Reader", roles=[Role.INSPECTOR])
    inspection_services.team_member_add(
        inspection=inspection, by=lead, user=reader, role="record_reader"
    )
    template, questions = factories.record_template(inspection.programme)
    lead = type(lead).objects.get(pk=lead.pk)
    record = services.record_add(
        inspection=inspection,
        by=lead,
        template=template,
        reference="SW/2025/0412",
        agency="social_work",
        reader=reader,
    )
    return inspection, record, questions


def radio_id(question, index: int) -> str:
    return f"id_{services.answer_field(question.pk)}_{index}"


def test_a_reader_reads_a_record_by_keyboard_alone(page: Page) -> None:
    inspection, record, q = make_sample()
    week = list(q["choice"].choices.order_by("order"))[1]

    sign_in(page, READER)
    page.goto(reverse("inspections:record_reading_sample", args=[inspection.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record reading")
    expect(page.locator("#result-count")).to_have_text("1 record")
    assert_accessible(page)

    # Open the record from the sample with the keyboard.
    tab_until(page, lambda e: e["tag"] == "a" and e["text"] == "SW/2025/0412")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record SW/2025/0412")
    expect(page.get_by_role("heading", name="1 Risk")).to_be_visible()
    assert_accessible(page)

    # Every question in order: Tab moves from one question to the next.
    first = tab_until(page, lambda e: e["type"] == "radio")
    assert first["id"] == radio_id(q["yes_no"], 0)
    page.keyboard.press("Space")  # 1.1: Yes
    assert tab(page)["id"] == radio_id(q["choice"], 0)
    assert tab(page)["id"] == radio_id(q["six_point"], 0)
    assert tab(page)["id"] == f"id_{services.answer_field(q['text'].pk)}"
    assert tab(page)["text"] == "Save draft"
    page.keyboard.press("Enter")

    # The draft is saved and shown again.
    expect(page.get_by_role("status").filter(has_text="saved as a draft")).to_be_visible()
    expect(page.locator(f"#{radio_id(q['yes_no'], 0)}")).to_be_checked()
    expect(page.locator(".ds_page-header .ds_tag")).to_have_text("Draft")

    # Marking it complete too soon: the error summary takes the focus, nothing typed is lost.
    tab_until(page, lambda e: e["id"] == radio_id(q["yes_no"], 0))  # the checked radio
    page.keyboard.press("ArrowDown")  # 1.1: No
    assert tab(page)["id"] == radio_id(q["choice"], 0)
    tab(page), tab(page), tab(page)  # 2.1, the notes, Save draft
    assert tab(page)["text"] == "Save and mark complete"
    page.keyboard.press("Enter")

    error_summary_is_focused(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Question 1.2: answer it before marking the record complete.")
    expect(summary).to_contain_text("Question 2.1: answer it before marking the record complete.")
    expect(page.locator(f"#{radio_id(q['yes_no'], 1)}")).to_be_checked()  # kept: No
    assert_accessible(page)

    # From the error summary to the first question missing, then answer the rest.
    assert tab(page)["text"].startswith("Question 1.2")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{radio_id(q['choice'], 0)}")).to_be_focused()
    page.keyboard.press("ArrowDown")  # 1.2: Within a week
    assert focused(page)["id"] == radio_id(q["choice"], 1)
    assert tab(page)["id"] == radio_id(q["six_point"], 0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # 2.1: 4 Good
    assert focused(page)["checked"]
    tab(page)
    page.keyboard.type("Chronology up to date; plan reviewed monthly.")
    tab(page)
    assert tab(page)["text"] == "Save and mark complete"
    page.keyboard.press("Enter")

    # Saved and complete, as the page now shows.
    expect(page.get_by_role("status").filter(has_text="is marked complete")).to_be_visible()
    expect(page.locator(".ds_page-header .ds_tag")).to_have_text("Complete")
    expect(page.locator(f"#{radio_id(q['yes_no'], 1)}")).to_be_checked()
    expect(page.locator(f"#{radio_id(q['choice'], 1)}")).to_be_checked()
    expect(page.locator(f"#{radio_id(q['six_point'], 2)}")).to_be_checked()
    expect(page.locator(f"#id_{services.answer_field(q['text'].pk)}")).to_have_value(
        "Chronology up to date; plan reviewed monthly."
    )
    assert_accessible(page)

    saved = ReviewedRecord.objects.get(pk=record.pk)
    assert (saved.status, saved.version) == (ReadingStatus.COMPLETE, 3)
    answers = {a.question_id: a for a in RecordAnswer.objects.filter(record=record)}
    assert answers[q["yes_no"].pk].value == "no"
    assert answers[q["choice"].pk].choice_id == week.pk
    assert answers[q["six_point"].pk].grade == 4

    # The results count it.
    page.goto(reverse("inspections:record_reading_results", args=[inspection.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record reading results")
    expect(page.locator("#result-count")).to_contain_text("Over 1 record marked complete")
    expect(page.get_by_text("0% yes (0 of 1 applicable; 0 not applicable)")).to_be_visible()
    expect(page.get_by_text("100% Within a week (1 of 1 applicable")).to_be_visible()
    assert_accessible(page)

    # Its History lists each answer change.
    page.goto(reverse("inspections:record_reading_history", args=[record.pk]))
    changes = page.get_by_role("table", name="Every change to the record's answers, newest first")
    expect(changes).to_contain_text("Within a week")
    assert_accessible(page)

    # And the sample shows it complete.
    page.goto(reverse("inspections:record_reading_sample", args=[inspection.pk]))
    row = page.get_by_role("row").filter(has_text="SW/2025/0412")
    expect(row).to_contain_text("Complete")
    expect(row).to_contain_text("4 of 4")
    assert_accessible(page)
    expect(page).to_have_url(re.compile(r"/record-reading/$"))


def test_the_lead_builds_the_sample_and_chooses_readers(page: Page) -> None:
    inspection, _, _ = make_sample()
    lead = inspection.team.get(role="lead_inspector").user
    lead.email = "lesley@ci.example.org"
    lead.save()

    sign_in(page, "lesley@ci.example.org")
    page.goto(reverse("inspections:detail", args=[inspection.pk]))
    block = page.locator("#record-reading")
    expect(block).to_have_text("Record reading")
    page.get_by_role("link", name="Record reading sample").click()

    page.get_by_role("link", name="Add many records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add many records to the sample")
    assert_accessible(page)
    page.get_by_label("Record references").fill("NHS/1\nMary Jones\nNHS/2")
    page.locator("label", has_text="Health").click()
    page.get_by_role("button", name="Add records").click()

    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Line 2 (Mary Jones)")
    expect(page.get_by_label("Record references")).to_have_value("NHS/1\nMary Jones\nNHS/2")
    assert_accessible(page)
    page.get_by_label("Record references").fill("NHS/1\nNHS/2")
    page.get_by_role("button", name="Add records").click()

    expect(page.get_by_role("status").filter(has_text="2 records added")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("3 records")
    page.get_by_role("link", name="Choose reader for NHS/1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose who reads Record NHS/1")
    assert_accessible(page)
    page.get_by_label("Reader (optional)").select_option(label="Rhona Reader (CI)")
    page.get_by_role("button", name="Save reader").click()
    expect(page.get_by_role("status").filter(has_text="now given to Rhona Reader")).to_be_visible()
    assert ReviewedRecord.objects.get(reference="NHS/1").reader.email == READER
