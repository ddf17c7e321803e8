"""Reading the link-inspector engagement log: who sees what, filters, the dashboards' helpers and
bounded queries."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from partnerships import engagement_selectors as selectors
from partnerships import engagement_services as services
from partnerships.models import AreaRole, Partnership
from tests import factories
from tests.partnerships import engagement_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    """Two council areas, each with a partnership and a link inspector, and an engagement with a
    risk and good practice in each."""
    area, partnership = h.area_and_partnership("Northshire")
    other_area, other_partnership = h.area_and_partnership("Southshire")
    link, other_link = h.follower(area), h.follower(other_area)
    mine = h.engagement(link, partnership=partnership, notes="Visited the carers' centre.")
    theirs = h.engagement(other_link, local_authority=other_area, notes="Reviewed the data.")
    return {
        "area": area,
        "partnership": partnership,
        "other_area": other_area,
        "other_partnership": other_partnership,
        "link": link,
        "other_link": other_link,
        "mine": mine,
        "theirs": theirs,
        "my_risk": h.risk(link, mine, title="Carers' assessments delayed"),
        "their_risk": h.risk(other_link, theirs),
        "my_practice": h.good_practice(link, mine, title="Carers' centre outreach"),
        "their_practice": h.good_practice(other_link, theirs),
    }


def test_followers_see_their_area_s_log_and_its_partnerships_and_nothing_else(log):
    manager = h.follower(log["area"], role=AreaRole.RELATIONSHIP_MANAGER)
    for user in (log["link"], manager):
        assert list(selectors.engagement_list(user=user)) == [log["mine"]]
        assert list(selectors.link_risk_list(user=user)) == [log["my_risk"]]
        assert set(selectors.good_practice_list(user=user)) == {log["my_practice"]}
        with pytest.raises(Http404):
            selectors.engagement_get(user=user, pk=log["theirs"].pk)
        with pytest.raises(Http404):
            selectors.link_risk_get(user=user, pk=log["their_risk"].pk)


def test_directors_chief_executives_and_administrators_read_every_log(log):
    for user in (
        factories.senior(Role.DIRECTOR),
        factories.senior(Role.CHIEF_EXECUTIVE, code="HIS"),
        factories.administrator(),
    ):
        assert set(selectors.engagement_list(user=user)) == {log["mine"], log["theirs"]}
        assert selectors.link_risk_get(user=user, pk=log["their_risk"].pk)


def test_others_see_no_engagement_and_only_shared_good_practice(log):
    outsider = factories.inspector()
    assert not selectors.engagement_list(user=outsider).exists()
    assert not selectors.link_risk_list(user=outsider).exists()
    assert not selectors.good_practice_list(user=outsider).exists()
    with pytest.raises(Http404):
        selectors.good_practice_get(user=outsider, pk=log["my_practice"].pk)

    services.good_practice_update(
        item=log["my_practice"],
        by=log["link"],
        expected_version=log["my_practice"].version,
        changes={"status": "shared"},
    )
    assert list(selectors.good_practice_list(user=outsider)) == [log["my_practice"]]
    shared = selectors.good_practice_get(user=outsider, pk=log["my_practice"].pk)
    assert list(shared.engagements.all()) == []  # the engagement itself stays hidden


def test_the_area_filter_gives_the_area_and_the_partnerships_covering_it(log):
    admin = factories.administrator()
    h.engagement(admin, local_authority=log["area"], notes="Council only.")
    by_area = selectors.engagement_list(user=admin, local_authority=log["area"])
    assert {e.notes for e in by_area} == {"Visited the carers' centre.", "Council only."}
    by_partnership = selectors.engagement_list(user=admin, partnership=log["partnership"])
    assert [e.notes for e in by_partnership] == ["Visited the carers' centre."]


def test_engagement_filters_kind_activity_area_dates_and_words(log):
    admin = factories.administrator()
    visit = h.engagement(
        admin,
        local_authority=log["area"],
        kind="visit",
        areas=h.activity_areas(5),
        engaged_on=h.days_ago(100),
        notes="Saw the reablement team.",
    )
    area_five = h.activity_areas(5)[0]
    assert list(selectors.engagement_list(user=admin, kind="visit")) == [visit]
    assert list(selectors.engagement_list(user=admin, area=area_five)) == [visit]
    assert list(selectors.engagement_list(user=admin, date_to=h.days_ago(50))) == [visit]
    assert list(selectors.engagement_list(user=admin, search="REABLEMENT team")) == [visit]
    oldest_first = selectors.engagement_list(user=admin, ordering="date")
    assert oldest_first[0] == visit


def test_the_list_counts_what_each_engagement_found(log):
    row = selectors.engagement_list(user=log["link"]).get()
    assert (row.risk_count, row.good_practice_count) == (1, 1)


def test_good_practice_search_needs_every_word_in_title_description_or_theme(log):
    admin = factories.administrator()
    found = selectors.good_practice_list(user=admin, search="carers outreach")
    assert list(found) == [log["my_practice"]]
    assert not selectors.good_practice_list(user=admin, search="carers mentoring").exists()
    by_area = selectors.good_practice_list(user=admin, local_authority=log["other_area"])
    assert list(by_area) == [log["their_practice"]]


def test_risk_status_current_means_open_or_monitoring(log):
    admin = factories.administrator()
    risk = log["my_risk"]
    services.link_risk_close(
        risk=risk,
        by=admin,
        expected_version=risk.version,
        closed_on=h.today(),
        closing_note="Resolved.",
    )
    assert list(selectors.link_risk_list(user=admin, status="current")) == [log["their_risk"]]
    assert list(selectors.link_risk_list(user=admin, status="closed")) == [risk]


def test_open_risks_of_a_partnership_include_its_council_area_s(log):
    admin = factories.administrator()
    area_risk = h.risk(admin, h.engagement(admin, local_authority=log["area"]), title="Area risk")
    risks = selectors.open_risks(log["partnership"])
    assert set(risks) == {log["my_risk"], area_risk}
    services.link_risk_close(
        risk=area_risk,
        by=admin,
        expected_version=area_risk.version,
        closed_on=h.today(),
        closing_note="Resolved.",
    )
    assert list(selectors.open_risks(log["partnership"])) == [log["my_risk"]]
    assert not selectors.open_risks(log["partnership"], user=log["other_link"]).exists()


def test_the_date_of_the_last_engagement_per_partnership(log):
    admin = factories.administrator()
    h.engagement(admin, local_authority=log["area"], engaged_on=h.days_ago(2))
    h.engagement(admin, partnership=log["partnership"], engaged_on=h.days_ago(40))
    quiet = factories.PartnershipFactory(name="Quietshire")
    partnerships = Partnership.objects.filter(
        pk__in=[log["partnership"].pk, log["other_partnership"].pk, quiet.pk]
    )
    with CaptureQueriesContext(connection) as ctx:
        last = selectors.last_engagement_on(partnerships)
    assert len(ctx.captured_queries) == 1
    assert last == {
        log["partnership"].pk: h.days_ago(2),  # through its council area
        log["other_partnership"].pk: h.days_ago(10),
        quiet.pk: None,
    }
    # Only what the user may see counts for them.
    seen = selectors.last_engagement_on(partnerships, user=log["other_link"])
    assert seen[log["partnership"].pk] is None
    annotated = selectors.with_last_engagement(partnerships).get(pk=quiet.pk)
    assert annotated.last_engagement_on is None


def _grow(log, count: int) -> None:
    admin = factories.administrator()
    for i in range(count):
        engagement = h.engagement(
            admin, partnership=log["partnership"], notes=f"Engagement {i}", kind="visit"
        )
        h.risk(admin, engagement, title=f"Risk {i}")
        h.good_practice(admin, engagement, title=f"Practice {i}")


@pytest.mark.parametrize(
    "read",
    [
        lambda user: list(selectors.engagement_list(user=user)),
        lambda user: [(r, list(r.areas.all())) for r in selectors.engagement_list(user=user)],
        lambda user: list(selectors.link_risk_list(user=user)),
        lambda user: list(selectors.good_practice_list(user=user)),
    ],
    ids=["engagements", "engagements-with-areas", "risks", "good-practice"],
)
def test_lists_run_the_same_number_of_queries_whatever_their_length(log, read):
    link = log["link"]
    read(link)  # the user's roles and permissions are cached on first use

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = read(link)
            for row in rows:
                str(row[0] if isinstance(row, tuple) else row)
        return len(ctx.captured_queries)

    _grow(log, 2)
    small = queries()
    _grow(log, 6)
    assert queries() == small
