"""Each user's dashboard in a real browser: the link inspector lands on My areas, sorts it and
opens a partnership's dashboard; the inspector lands on My work; the director on the overview.
axe-core on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.dashboards.conftest import make_people, partnership_with_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_each_user_lands_on_their_dashboard(page: Page) -> None:
    people = make_people()
    quiet = partnership_with_data(people, 1, overdue_actions=0, overdue_reviews=0)
    busy = partnership_with_data(people, 2, overdue_actions=2, engaged_days_ago=40)

    # The link inspector: My areas, the area with most overdue first.
    sign_in(page, "link@ci.example.org")
    expect(page).to_have_url(re.compile(reverse("dashboards:my_areas") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My areas")
    expect(page.get_by_role("link", name="Home", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    rows = page.locator("#my-areas tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(busy.name)
    expect(rows.nth(0)).to_contain_text("2 overdue")
    assert_accessible(page)
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(rows.nth(0)).to_contain_text(quiet.name)

    # The partnership dashboard, from My areas.
    page.get_by_role("link", name=str(busy)).click()
    expect(page).to_have_url(re.compile(reverse("dashboards:partnership", args=[busy.pk]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(str(busy))
    expect(page.locator("#support-summary")).to_contain_text("Assisted improvement support")
    expect(page.locator("#evaluation-table")).to_contain_text("Good")
    expect(page.locator("#inspection-table")).to_contain_text("Fieldwork ends 2")
    expect(page.locator("#plan-table")).to_contain_text("2 overdue")
    expect(page.locator("#risk-table")).to_contain_text("Risk 2")
    expect(page.locator("#contact-table")).to_contain_text("Chief Officer 2")
    assert_accessible(page)
    sign_out(page)

    # The inspector: My work.
    sign_in(page, "inspector@ci.example.org")
    expect(page).to_have_url(re.compile(reverse("dashboards:my_work") + "$"))
    expect(page.locator("#my-inspections tbody tr")).to_have_count(2)
    expect(page.locator("#my-milestones")).to_contain_text("Fieldwork ends 1")
    expect(page.locator("#my-records")).to_contain_text("SW/00101")
    assert_accessible(page)
    sign_out(page)

    # The director: the overview.
    sign_in(page, "director@ci.example.org")
    expect(page).to_have_url(re.compile(reverse("dashboards:overview") + "$"))
    expect(page.locator("#inspections-by-status")).to_contain_text("Fieldwork")
    expect(page.locator("#support-levels")).to_contain_text("Assisted improvement support")
    assert_accessible(page)
    page.get_by_role("link", name="Open the chief executives' review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The chief executives' review")
