"""A lead inspector records a support assessment against the five conditions of improvement
and a decision that differs from the recommendation (first without, then with a rationale, and
with the date of the formal progress review), agrees it, sees it on the partnership page and the
progress review it scheduled, opens the form to record that review, and updates an action of the
improvement plan (a progress update and a status change); axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from improvement import services
from improvement.models import (
    ActionStatus,
    ProgressReview,
    ProgressUpdate,
    SupportAssessment,
    SupportDecision,
)
from inspections.models import Inspection
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_lead_records_an_assessment_and_a_decision_with_a_rationale(page: Page) -> None:
    inspection, lead = factories.inspection_with_team()
    partnership = inspection.partnership
    lead.email = "lead@ci.example.org"
    lead.save()
    formal_review_on = timezone.localdate() + datetime.timedelta(days=120)
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
    page.get_by_label("Date of the formal progress review (optional)").fill(
        formal_review_on.isoformat()
    )
    page.get_by_role("button", name="Save decision").click()

    decision = SupportDecision.objects.get()
    expect(page.get_by_role("cell", name="Leadership has changed three times.")).to_be_visible()
    expect(
        page.get_by_text(f"Formal progress review on {long_date(formal_review_on)}.")
    ).to_be_visible()
    page.get_by_role("link", name=f"Agree the decision {decision.pk}").click()
    expect(page.locator(".ds_summary-list")).to_contain_text("Agreeing schedules")
    assert_accessible(page)
    page.get_by_role("button", name="Agree decision").click()
    expect(page.get_by_role("status").filter(has_text="has been agreed")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 progress review has been scheduled.")

    page.goto(f"/partnerships/{partnership.pk}/")
    support = page.locator("#support-level + p")
    expect(support).to_have_text("Assisted improvement support")
    expect(page.get_by_text("Provide 'critical friend' to support change")).to_be_visible()
    expect(page.get_by_text(f"due {long_date(formal_review_on)}")).to_be_visible()
    assert_accessible(page)

    # The review it scheduled, and the form to record it.
    page.get_by_role("link", name=f"Progress reviews of {partnership}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress reviews")
    expect(page.locator("#result-count")).to_have_text("1 review")
    assert_accessible(page)
    review = ProgressReview.objects.get()
    page.get_by_role(
        "link", name=f"Formal progress review due {long_date(formal_review_on)}"
    ).click()
    expect(page).to_have_url(re.compile(rf"/improvement/reviews/{review.pk}/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Record the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review")
    assert_accessible(page)
    page.get_by_role("button", name="Record review").click()
    error_summary_is_focused(page)
    assert_accessible(page)
    page.get_by_label("Date held").fill(timezone.localdate().isoformat())
    page.get_by_label("Who attended").fill("Jo Bloggs, Chief Officer\nAl Smith, Lead Inspector")
    page.get_by_label("Some progress").check(force=True)
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("status").filter(has_text="recorded as held")).to_be_visible()
    expect(page.get_by_text("Al Smith, Lead Inspector")).to_be_visible()
    assert_accessible(page)


def test_lead_updates_an_action_of_the_improvement_plan(page: Page) -> None:
    inspection, lead = factories.inspection_with_team()
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()
    lead.email = "lead@ci.example.org"
    lead.save()
    plan = services.plan_create(
        by=lead,
        partnership=inspection.partnership,
        inspection=inspection,
        title="Joint improvement plan",
    )
    action = services.action_create(
        by=lead,
        plan=plan,
        description="Audit the case files",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    sign_in(page, "lead@ci.example.org")

    page.goto(f"/improvement/plans/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint improvement plan")
    assert_accessible(page)
    page.get_by_role("link", name=f"Record progress on the action {action.pk}").click()
    assert_accessible(page)
    page.get_by_label("Progress", exact=True).fill("")
    page.get_by_role("button", name="Save update").click()
    error_summary_is_focused(page)
    assert_accessible(page)
    page.get_by_label("Progress", exact=True).fill("A third of the files audited.")
    page.get_by_label("Evidence (optional)").fill("Audit log, October.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status").filter(has_text="progress update")).to_be_visible()
    expect(page.get_by_text("A third of the files audited.")).to_be_visible()
    assert ProgressUpdate.objects.get().progress == "A third of the files audited."

    page.get_by_role("link", name=f"Update status of the action {action.pk}").click()
    assert_accessible(page)
    page.get_by_label("At risk").check(force=True)
    page.get_by_role("button", name="Update status").click()
    expect(page.get_by_role("status").filter(has_text="now at risk")).to_be_visible()
    action.refresh_from_db()
    assert action.status == ActionStatus.AT_RISK
    assert_accessible(page)
