"""A lead inspector records a support assessment against the five conditions of improvement
and a decision that differs from the recommendation (first without, then with a rationale),
agrees it, and sees it on the partnership page; axe-core on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from improvement.models import SupportAssessment, SupportDecision
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_lead_records_an_assessment_and_a_decision_with_a_rationale(page: Page) -> None:
    inspection, lead = factories.inspection_with_team()
    partnership = inspection.partnership
    lead.email = "lead@ci.example.org"
    lead.save()
    sign_in(page, "lead@ci.example.org")

    page.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_text("No level of support has been agreed yet.")).to_be_visible()
    page.get_by_role("link", name="Assess the conditions of improvement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Assess the conditions of improvement"
    )
    assert_accessible(page)

    # Conditions 1 to 3 met (all criteria), 4 and 5 not: commissioned is recommended.
    page.get_by_label("Inspection it follows (optional)").select_option(str(inspection.pk))
    for group in page.locator("fieldset.ds_question").all():
        legend = group.locator("legend").inner_text()
        if re.match(r"^[123]\.\d ", legend):
            group.get_by_label("Met", exact=True).check(force=True)
        elif re.match(r"^[45]\.\d ", legend):
            group.get_by_label("Not met", exact=True).check(force=True)
    page.get_by_label("Evidence for 1.1 (optional)").fill("Position statement, pages 3-5.")
    page.get_by_role("button", name="Save assessment").click()

    assessment = SupportAssessment.objects.get()
    expect(page).to_have_url(re.compile(rf"/improvement/assessments/{assessment.pk}/$"))
    expect(page.get_by_text("3 of 5 conditions met", exact=False)).to_be_visible()
    expect(page.locator(".ds_lead")).to_have_text("Commissioned improvement support")
    assert_accessible(page)

    page.get_by_role("link", name="Decide the level of support").click()
    assert_accessible(page)
    page.get_by_label("Assisted improvement support").check(force=True)
    page.get_by_role("button", name="Save decision").click()
    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Give a rationale")
    assert_accessible(page)
    page.get_by_label("Rationale (optional)").fill("Leadership has changed three times.")
    page.get_by_role("button", name="Save decision").click()

    decision = SupportDecision.objects.get()
    expect(page.get_by_role("cell", name="Leadership has changed three times.")).to_be_visible()
    page.get_by_role("link", name=f"Agree the decision {decision.pk}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Agree decision").click()
    expect(page.get_by_role("status").filter(has_text="has been agreed")).to_be_visible()

    page.goto(f"/partnerships/{partnership.pk}/")
    support = page.locator("#support-level + p")
    expect(support).to_have_text("Assisted improvement support")
    expect(page.get_by_text("Provide 'critical friend' to support change")).to_be_visible()
    assert_accessible(page)
