"""A team member records a finding (once with mistakes) and proposes a grade in a real browser,
then reads a published report, with axe-core on each page."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections import services as inspection_services
from inspections.models import EvaluationLink, Finding, RecordAnswer
from inspections.services import inspection_permissions_sync
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAMME = "justice_cpo"


def _team(status: str, title: str):
    inspection = factories.InspectionFactory(
        programme=factories.programme(PROGRAMME), status=status, title=title
    )
    lead = factories.lead_inspector(full_name="Lesley Lead", agency=inspection.lead_agency)
    factories.TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
    return inspection, lead


def test_a_team_member_records_a_finding_and_proposes_a_grade(page: Page) -> None:
    inspection, _ = _team("evaluation", "Inspection of community payback orders: Fife")
    member = factories.inspector(
        email="morven@ci.example.org", full_name="Morven Member", agency=inspection.lead_agency
    )
    factories.TeamMemberFactory(inspection=inspection, user=member, role="inspector")
    inspection_permissions_sync(inspection=inspection)
    factories.EvidenceActivityFactory(inspection=inspection, title="Case file reading")
    template, questions = factories.record_template(inspection.programme)
    for n in range(4):
        record = factories.ReviewedRecordFactory(
            inspection=inspection, template=template, status="complete"
        )
        RecordAnswer.objects.create(
            record=record, question=questions["yes_no"], value="yes" if n < 3 else "no"
        )
    indicator = inspection.quality_indicators.order_by("order", "number").first()

    sign_in(page, "morven@ci.example.org")
    page.goto(reverse("inspections:detail", args=[inspection.pk]))
    block = page.locator("#report")
    expect(block).to_have_text("Findings and evaluations by quality indicator")
    assert_accessible(page)

    # The findings list, empty so far.
    page.get_by_role("link", name="Findings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Findings")
    expect(page.locator("#result-count")).to_have_text("0 findings")
    assert_accessible(page)

    # Record a finding: first with nothing filled in.
    page.get_by_role("link", name="Record a finding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a finding")
    expect(page.get_by_text("1.1 Was a chronology in place? — 75% yes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save finding").click()

    error_summary_is_focused(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Choose what kind of finding this is.")
    expect(summary).to_contain_text("Enter the finding.")
    expect(summary).to_contain_text("Choose at least one quality indicator in scope.")
    expect(page.get_by_label("Finding", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.locator("label", has_text="Area for improvement").click()
    page.get_by_label("Finding", exact=True).fill(
        "Chronologies were missing from a quarter of the records read."
    )
    page.locator("label", has_text=str(indicator)).first.click()
    page.locator("label", has_text="Case file reading").click()
    page.locator("label", has_text="1.1 Was a chronology in place?").click()
    page.get_by_role("button", name="Save finding").click()

    expect(page.get_by_role("status").filter(has_text="saved as a draft")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area for improvement")
    expect(page.get_by_text("75% yes (3 of 4 applicable")).to_be_visible()
    assert_accessible(page)
    finding = Finding.objects.get()
    assert (finding.status, finding.drafted_by) == ("draft", member)

    page.get_by_role("link", name="Findings").first.click()
    expect(page.locator("#result-count")).to_have_text("1 finding")
    expect(page.get_by_role("table")).to_contain_text("Chronologies were missing")
    assert_accessible(page)

    # Propose a grade for the indicator.
    page.goto(reverse("inspections:evaluation_list", args=[inspection.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluations and moderation")
    assert_accessible(page)
    page.get_by_role("link", name=str(indicator)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(indicator))
    assert_accessible(page)
    page.get_by_role("button", name="Propose this grade").click()
    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Choose a grade.")
    assert_accessible(page)

    page.locator("label", has_text="3: Adequate").click()
    page.get_by_label("Rationale").fill("Risk assessments were not reviewed after changes.")
    page.get_by_role("button", name="Propose this grade").click()

    expect(
        page.get_by_role("status").filter(has_text="proposed grade has been recorded")
    ).to_be_visible()
    chain = page.locator("#chain ~ ol")
    expect(chain).to_contain_text("Proposed by the team")
    expect(chain).to_contain_text("3: Adequate")
    expect(chain).to_contain_text("Morven Member")
    expect(
        page.get_by_text("Waiting for the lead inspector to record the panel's decision.")
    ).to_be_visible()
    assert_accessible(page)
    link = EvaluationLink.objects.get()
    assert (link.stage, link.level.value, link.created_by) == ("proposed", 3, member)


def test_a_published_report_is_read_by_anyone_signed_in(page: Page) -> None:
    inspection, lead = _team("factual_accuracy", "Inspection of community payback orders: Angus")
    factories.FindingFactory(inspection=inspection, text="Unpaid work was well organised.")
    factories.satisfy_report_gates(inspection, lead)
    inspection_permissions_sync(inspection=inspection)
    inspection_services.inspection_transition(
        inspection=inspection, by=lead, to_status="published", on=datetime.date(2026, 5, 25)
    )
    factories.inspector(email="olive@ci.example.org", full_name="Olive Outsider")

    sign_in(page, "olive@ci.example.org")
    page.goto(reverse("inspections:detail", args=[inspection.pk]))
    expect(page.locator("#report")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Read the published report").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{inspection.pk}/published/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Published report")
    expect(page.get_by_text("Unpaid work was well organised.")).to_be_visible()
    expect(
        page.get_by_role("table", name="The grade of each quality indicator, as published")
    ).to_contain_text("4: Good")
    assert_accessible(page)


def test_the_lead_moderates_a_grade_and_answers_a_factual_accuracy_comment(page: Page) -> None:
    inspection, lead = _team("factual_accuracy", "Inspection of community payback orders: Moray")
    lead.email = "lesley@ci.example.org"
    lead.save()
    inspection_permissions_sync(inspection=inspection)
    indicator = inspection.quality_indicators.order_by("order", "number").first()
    level = inspection.programme.evaluation_scale.levels.get(value=4)
    EvaluationLink.objects.create(
        inspection=inspection,
        quality_indicator=indicator,
        stage="proposed",
        level=level,
        rationale="Plans were reviewed on time.",
        created_by=lead,
    )
    comment = factories.FactualAccuracyCommentFactory(
        inspection=inspection, report_reference="Page 12, paragraph 3"
    )

    sign_in(page, "lesley@ci.example.org")
    page.goto(reverse("inspections:evaluation_detail", args=[inspection.pk, indicator.pk]))
    expect(page.get_by_role("heading", name="Next step")).to_be_visible()
    assert_accessible(page)
    page.locator("label", has_text="Changed").click()
    page.get_by_label("The panel's grade (optional)").select_option(label="3: Adequate")
    page.locator("label", has_text="Lesley Lead").click()
    page.get_by_label("Date of the panel").fill("2026-03-20")
    page.get_by_role("button", name="Record the panel's decision").click()

    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text(
        "Give the panel's reason for changing the grade."
    )
    assert_accessible(page)
    page.get_by_label("The panel's reason (optional)").fill("Reviews were late in a third.")
    page.get_by_role("button", name="Record the panel's decision").click()
    expect(page.get_by_role("status").filter(has_text="panel's decision")).to_be_visible()
    page.get_by_role("button", name="Record the final grade").click()
    expect(page.get_by_role("status").filter(has_text="final grade")).to_be_visible()
    expect(page.get_by_role("button", name="Reopen moderation")).to_be_visible()
    assert_accessible(page)
    assert EvaluationLink.objects.latest("pk").level.value == 3

    page.goto(reverse("inspections:fa_list", args=[inspection.pk]))
    expect(page.locator("#result-count")).to_have_text("1 comment, 1 without a response")
    assert_accessible(page)
    page.get_by_role("link", name="Respond to the comment on Page 12, paragraph 3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond to the comment")
    assert_accessible(page)
    page.locator("label", has_text="Partly accepted").click()
    page.get_by_label("Why (optional)").fill("The year is corrected; the finding stands.")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_role("table")).to_contain_text("Partly accepted")
    assert_accessible(page)
    comment.refresh_from_db()
    assert (comment.response, comment.responded_by) == ("partly_accepted", lead)
