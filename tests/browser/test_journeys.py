"""Journeys through the service in a real browser, with axe-core on every page visited.

Each test uses the live server, so the database is transactional; serialized_rollback puts the
reference data loaded by migrations (councils, boards, partnerships) back before each test.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partnerships.models import Partnership, PartnershipKind
from tests import factories
from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIFE_HSCP = "Fife Health and Social Care Partnership"
DS_BLUE = "rgb(0, 101, 189)"  # the Design System's primary button colour, #0065bd


def fife_hscp() -> Partnership:
    return Partnership.objects.get(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE, name="Fife")


def sign_in(page: Page, email: str, password: str = factories.TEST_PASSWORD) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def error_summary_is_focused(page: Page) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # scrutiny.js (a module script, so the CSP allows it) moves focus to the summary.
    expect(summary).to_be_focused()


def test_inspector_finds_fife_and_sees_its_council_and_board(page: Page) -> None:
    factories.inspector(email="isla@ci.example.org", full_name="Isla Inspector")
    fife = fife_hscp()
    council = fife.local_authorities.get()
    board = fife.health_boards.get()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    # The stylesheets and scripts load from the live server, so contrast checks mean something.
    sign_in_button = page.get_by_role("button", name="Sign in")
    assert sign_in_button.evaluate("e => getComputedStyle(e).backgroundColor") == DS_BLUE
    assert page.locator("main").evaluate("e => getComputedStyle(e).display") == "block"
    assert page.evaluate("() => typeof window.DS.initAll") == "function"
    assert_accessible(page)

    page.get_by_label("Email address").fill("isla@ci.example.org")
    page.get_by_label("Password").fill(factories.TEST_PASSWORD)
    sign_in_button.click()

    # An inspector starts on My work; the partnerships are in the main navigation.
    expect(page).to_have_url(re.compile(r"/dashboards/my-work/$"))
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Partnerships"
    ).click()
    expect(page).to_have_url(re.compile(r"/partnerships/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerships")
    expect(page.get_by_role("link", name="Isla Inspector")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search").fill("Fife")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"[?&]q=Fife"))
    expect(page.locator("#result-count")).to_have_text("4 partnerships")
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=FIFE_HSCP)).to_be_visible()
    assert_accessible(page)

    results.get_by_role("link", name=FIFE_HSCP).click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{fife.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIFE_HSCP)
    expect(summary_value(page, "Council areas")).to_have_text(
        f"{council.name} ({council.gss_code})"
    )
    expect(summary_value(page, "Health boards")).to_have_text(f"{board} ({board.gss_code})")
    assert str(board) == "NHS Fife"
    # An inspector may look but not edit.
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    assert_accessible(page)


def summary_value(page: Page, key: str):
    """The value beside `key` in a Design System summary list."""
    item = page.locator(".ds_summary-list__item").filter(
        has=page.locator(".ds_summary-list__key", has_text=re.compile(f"^{re.escape(key)}$"))
    )
    return item.locator(".ds_summary-list__value")


def test_administrator_edits_notes_and_sees_the_change_in_history(page: Page) -> None:
    factories.administrator(email="ada@ci.example.org", full_name="Ada Administrator")
    fife = fife_hscp()
    note = "Reviewed by the browser test."

    sign_in(page, "ada@ci.example.org")
    page.goto(reverse("partnerships:detail", args=[fife.pk]))
    page.get_by_role("link", name=f"Edit {FIFE_HSCP}").click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{fife.pk}/edit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FIFE_HSCP)
    assert_accessible(page)

    gss_code = page.get_by_label("GSS code")
    gss_code.fill("X123")
    page.get_by_label("Notes").fill(note)
    page.get_by_role("button", name="Save changes").click()

    error_summary_is_focused(page)
    expect(gss_code).to_have_attribute("aria-invalid", "true")
    summary_link = page.locator("#error-summary a")
    expect(summary_link).to_have_attribute("href", "#id_gss_code")
    assert_accessible(page)
    fife.refresh_from_db()
    assert fife.notes != note

    summary_link.click()
    expect(gss_code).to_be_focused()
    gss_code.fill(fife.gss_code)
    page.get_by_role("button", name="Save changes").click()

    # The browser keeps the #id_gss_code fragment through the redirect.
    expect(page).to_have_url(re.compile(rf"/partnerships/{fife.pk}/(#.*)?$"))
    expect(page.get_by_role("status").filter(has_text="has been updated")).to_have_text(
        f"{FIFE_HSCP} has been updated."
    )
    expect(summary_value(page, "Notes")).to_have_text(note)
    assert_accessible(page)

    page.get_by_role("link", name=f"History of {FIFE_HSCP}").click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{fife.pk}/history/$"))
    latest = page.locator("section").first
    expect(latest.get_by_role("heading")).to_have_text(
        "Changed by Ada Administrator (ada@ci.example.org)"
    )
    notes_row = latest.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Notes", exact=True)
    )
    expect(notes_row.locator("ins")).to_have_text(note)
    assert_accessible(page)


def test_failed_sign_in_shows_the_error_summary(page: Page) -> None:
    factories.inspector(email="isla@ci.example.org")

    sign_in(page, "isla@ci.example.org", password="not the password")

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Enter a correct email address")
    assert_accessible(page)


def test_user_creates_an_api_token_and_revokes_it(page: Page) -> None:
    factories.inspector(email="isla@ci.example.org", full_name="Isla Inspector")

    sign_in(page, "isla@ci.example.org")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Your profile"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Isla Inspector")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_accessible(page)

    # The Design System draws its own radio over the input: click the label, as a user does.
    page.locator("label", has_text="30 days").click()
    expect(page.get_by_label("30 days")).to_be_checked()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    secret = page.locator("#new-token").inner_text()
    assert len(secret) >= 32
    tokens = page.get_by_role("table", name="Your API tokens")
    expect(tokens.get_by_role("row")).to_have_count(2)  # header and one token
    assert secret[:8] in tokens.inner_text()
    assert_accessible(page)

    page.reload()
    expect(page.get_by_role("heading", name="Your new API token")).to_have_count(0)
    assert secret not in page.content()

    tokens.get_by_role("button", name=re.compile("^Revoke")).click()

    expect(page.get_by_role("status").filter(has_text="has been revoked")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    assert_accessible(page)


def test_missing_partnership_shows_an_accessible_404(page: Page) -> None:
    factories.inspector(email="isla@ci.example.org")
    sign_in(page, "isla@ci.example.org")
    expect(page).to_have_url(re.compile(r"/dashboards/my-work/$"))  # an inspector's home

    response = page.goto(reverse("partnerships:detail", args=[999_999_999]))

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(re.compile("^Page not found"))
    assert_accessible(page)


def test_assert_accessible_reports_what_axe_finds(page: Page) -> None:
    """The check itself: a button with no accessible name must fail it, naming rule and node."""
    page.goto(reverse("accounts:login"))
    page.evaluate(
        """() => {
            const button = document.createElement("button");
            button.id = "nameless";
            document.querySelector("main").append(button);
        }"""
    )

    with pytest.raises(AssertionError, match=r"button-name[\s\S]*#nameless"):
        assert_accessible(page)

    # And anything the CSP refuses fails it too, before axe runs.
    page.evaluate("""() => { document.body.insertAdjacentHTML("beforeend", "<style></style>"); }""")
    with pytest.raises(AssertionError, match=r"CSP: .*inline style"):
        assert_accessible(page)
