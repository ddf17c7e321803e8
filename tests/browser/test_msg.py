"""The MSG self-evaluation in a real browser: an administrator starts a round, records ratings
(once with a mistake) and reads the national view, with axe-core on each page."""

import re

import pytest
from playwright.sync_api import Page, expect

from partnerships.models import MsgProposal, MsgRating, MsgSelfEvaluation, Partnership
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import error_summary_is_focused, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_administrator_records_ratings_and_reads_the_national_view(page: Page) -> None:
    factories.administrator(email="ada@ci.example.org", full_name="Ada Administrator")
    fife = Partnership.objects.get(kind="hscp", name="Fife")
    sign_in(page, "ada@ci.example.org")

    page.goto(f"/partnerships/{fife.pk}/")
    page.get_by_role("link", name=re.compile("^MSG self-evaluation rounds")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSG self-evaluation")
    assert_accessible(page)
    page.get_by_label("Round date").fill("2025-01-15")
    page.get_by_role("button", name="Start round").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Record ratings")
    assert_accessible(page)
    page.get_by_label("Comment on proposal 1(i)", exact=True).fill("Leadership programme")
    page.get_by_role("button", name="Save ratings").click()
    error_summary_is_focused(page)
    expect(page.locator("#error-summary")).to_contain_text("Choose a rating for proposal 1(i)")
    assert_accessible(page)

    page.get_by_label("Rating for proposal 1(i)", exact=True).select_option("established")
    page.get_by_role("button", name="Save ratings").click()
    expect(page.get_by_text("The ratings have been saved.")).to_be_visible()
    assert_accessible(page)
    round_ = MsgSelfEvaluation.objects.get(partnership=fife)
    rating = MsgRating.objects.get(self_evaluation=round_)
    assert rating.comment == "Leadership programme"

    page.goto("/partnerships/msg/national/")
    expect(page.get_by_role("heading", level=1)).to_have_text("MSG self-evaluation: national view")
    expect(page.locator("tbody tr")).to_have_count(MsgProposal.objects.count())
    assert_accessible(page)
