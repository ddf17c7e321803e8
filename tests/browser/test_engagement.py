"""A link inspector goes from the partnership page to the council area's engagement log,
records a visit that finds a risk to outcomes, records the risk, and closes it (first without
the date and note, then with them); axe-core on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from partnerships.models import AreaRole, Engagement, LinkRisk, LocalAuthority, Partnership
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in
from tests.partnerships.engagement_helpers import days_ago

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_link_inspector_records_an_engagement_that_finds_a_risk_and_closes_it(page: Page) -> None:
    council = LocalAuthority.objects.get(name="Fife")
    partnership = Partnership.objects.get(name="Fife", kind="adult_protection")
    link = factories.UserFactory(
        email="lorna@ci.example.org", full_name="Lorna Link", roles=["inspector", "link_inspector"]
    )
    factories.AreaAssignmentFactory(
        user=link, local_authority=council, role=AreaRole.LINK_INSPECTOR, started_on=days_ago(90)
    )
    sign_in(page, "lorna@ci.example.org")

    # From the partnership page to the council area's log.
    page.goto(f"/partnerships/{partnership.pk}/")
    page.get_by_role("link", name="Engagement log: Fife").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement log: Fife")
    expect(page.get_by_role("status").filter(has_text="engagements")).to_have_text("0 engagements")
    assert_accessible(page)

    # Record a visit to the adult protection partnership.
    page.get_by_role("link", name="Record an engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an engagement")
    assert_accessible(page)
    page.get_by_label("Engaged with").select_option(label=str(partnership))
    page.get_by_label("Date").fill(days_ago(2).isoformat())
    page.get_by_label("Visit", exact=True).check(force=True)
    page.get_by_label(
        "Monitoring the performance of partnership public protection arrangements"
    ).check(force=True)
    page.get_by_label(re.compile(r"^Highlighting risks to the delivery")).check(force=True)
    page.get_by_label("Notes (optional)").fill("Met the lead officer; inquiries are slower.")
    page.get_by_role("button", name="Record engagement").click()

    engagement = Engagement.objects.get()
    expect(page).to_have_url(re.compile(rf"/partnerships/engagement/{engagement.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="recorded")).to_be_visible()
    expect(page.get_by_text("Met the lead officer; inquiries are slower.")).to_be_visible()
    assert_accessible(page)

    # The risk it found.
    page.get_by_role("link", name="Record a risk found").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Adult protection inquiries taking longer")
    page.get_by_label("Likely impact").fill("Adults at risk wait longer for a protection plan.")
    page.get_by_role("button", name="Record risk").click()

    risk = LinkRisk.objects.get()
    expect(page).to_have_url(re.compile(rf"/partnerships/link-risks/{risk.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Adult protection inquiries taking longer"
    )
    engagements = page.get_by_role("table", name=re.compile("Engagements about"))
    expect(engagements.get_by_role("cell", name="Visit", exact=True)).to_be_visible()
    assert_accessible(page)

    # Closing needs the date and a note.
    page.get_by_role("link", name="Close the risk").click()
    assert_accessible(page)
    page.get_by_label("Date closed").fill("")
    page.get_by_role("button", name="Close risk").click()
    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Enter the date the risk was closed.")
    expect(page.locator("#error-summary")).to_contain_text("Say why the risk can be closed.")
    assert_accessible(page)
    page.get_by_label("Date closed").fill(days_ago(0).isoformat())
    page.get_by_label("Closing note").fill("Inquiries back within timescale for a quarter.")
    page.get_by_role("button", name="Close risk").click()

    expect(page.get_by_role("status").filter(has_text="has been closed")).to_be_visible()
    expect(page.locator(".ds_page-header .ds_tag")).to_have_text("Closed")
    expect(page.get_by_text("Inquiries back within timescale for a quarter.")).to_be_visible()
    expect(page.get_by_role("link", name="Reopen the risk")).to_be_visible()
    assert_accessible(page)
    risk.refresh_from_db()
    assert risk.status == "closed"

    # Its History, and the lists.
    page.get_by_role("link", name=re.compile("^History")).click()
    expect(page.get_by_text("Risk closed")).to_be_visible()
    assert_accessible(page)
    page.goto("/partnerships/link-risks/?status=closed")
    expect(
        page.get_by_role("link", name="Adult protection inquiries taking longer")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Good practice"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good practice")
    assert_accessible(page)
