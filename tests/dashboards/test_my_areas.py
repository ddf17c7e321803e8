"""My areas: the partnerships covering the council areas a user follows, one line each, the one
that needs attention first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards import selectors
from partnerships.models import AreaRole
from tests import factories
from tests.dashboards.conftest import (
    COMMISSIONED,
    DIRECTED,
    LOCAL_PARTNERSHIP_LED,
    area_partnership,
    days,
    partnership_with_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(people):
    """Five partnerships in the link inspector's areas:

    name | overdue actions + reviews | last engagement | level
    01   | 0 + 0                     | 5 days ago      | local partnership led
    02   | 2 + 1                     | 10 days ago     | assisted
    03   | 1 + 0                     | 20 days ago     | commissioned
    04   | 0 + 1                     | never           | none agreed
    05   | 1 + 0                     | 100 days ago    | directed
    """
    specs = {
        1: {"overdue_actions": 0, "overdue_reviews": 0, "engaged_days_ago": 5},
        2: {"overdue_actions": 2, "overdue_reviews": 1, "engaged_days_ago": 10},
        3: {
            "overdue_actions": 1,
            "overdue_reviews": 0,
            "engaged_days_ago": 20,
            "level": COMMISSIONED,
        },
        4: {"overdue_actions": 0, "overdue_reviews": 1, "engaged_days_ago": None, "level": None},
        5: {
            "overdue_actions": 1,
            "overdue_reviews": 0,
            "engaged_days_ago": 100,
            "level": DIRECTED,
        },
    }
    specs[1]["level"] = LOCAL_PARTNERSHIP_LED
    return {n: partnership_with_data(people, n, **spec) for n, spec in specs.items()}


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_each_area_on_one_line_with_its_level_overdue_counts_and_last_engagement(
    client, people, five
):
    client.force_login(people.link)
    response = client.get(reverse("dashboards:my_areas"))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert len(rows) == 5
    second = rows["Partnership 02"]
    assert second.support_level.name == "Assisted improvement support"
    assert (second.overdue_actions, second.overdue_reviews) == (2, 1)
    assert second.last_engagement_on == days(-10)
    assert rows["Partnership 04"].support_level is None
    assert rows["Partnership 04"].last_engagement_on is None
    body = response.content.decode()
    assert "2 overdue" in body and "None recorded" in body and "None agreed" in body
    assert f'href="{reverse("dashboards:partnership", args=[second.pk])}"' in body


def test_most_overdue_first_then_oldest_engagement(client, people, five):
    client.force_login(people.link)
    rows = client.get(reverse("dashboards:my_areas")).context["rows"]
    # 02 (3 overdue); then 1 overdue each: 04 (never engaged), 05 (100 days), 03 (20 days); 01.
    assert names(rows) == [
        "Partnership 02",
        "Partnership 04",
        "Partnership 05",
        "Partnership 03",
        "Partnership 01",
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("engagement", ["04", "05", "03", "02", "01"]),
        ("support", ["05", "02", "03", "01", "04"]),
        ("name", ["01", "02", "03", "04", "05"]),
        ("overdue", ["02", "04", "05", "03", "01"]),
    ],
)
def test_sorting(client, people, five, sort, expected):
    client.force_login(people.link)
    response = client.get(reverse("dashboards:my_areas"), {"sort": sort})
    assert response.status_code == 200
    assert names(response.context["rows"]) == [f"Partnership {n}" for n in expected]
    assert response.context["sort"] == sort


def test_an_unknown_sort_is_an_error_and_keeps_the_default_order(client, people, five):
    client.force_login(people.link)
    response = client.get(reverse("dashboards:my_areas"), {"sort": "colour"})
    assert response.status_code == 400
    assert names(response.context["rows"])[0] == "Partnership 02"
    assert "Select a valid choice" in response.content.decode()


def test_only_the_users_own_areas(client, people, five):
    other = factories.UserFactory(roles=["inspector", "link_inspector"])
    area_partnership(people, 6, follower=other)
    assert names(selectors.my_areas(user=other)) == ["Partnership 06"]
    assert "Partnership 06" not in names(selectors.my_areas(user=people.link))
    # An assignment that has ended no longer counts.
    factories.AreaAssignmentFactory(
        user=other,
        local_authority=five[1].local_authorities.get(),
        role=AreaRole.RELATIONSHIP_MANAGER,
        started_on=days(-300),
        ended_on=days(-1),
    )
    assert names(selectors.my_areas(user=other)) == ["Partnership 06"]


def test_a_relationship_manager_counts_only_what_they_may_see(people, five):
    """Relationship managers read the engagement log of their areas but not the improvement
    records (which are for the link inspector and the inspection's team)."""
    manager = factories.UserFactory(roles=["relationship_manager"])
    factories.AreaAssignmentFactory(
        user=manager,
        local_authority=five[2].local_authorities.get(),
        role=AreaRole.RELATIONSHIP_MANAGER,
        started_on=days(-30),
    )
    (row,) = selectors.my_areas(user=manager)
    assert row.name == "Partnership 02"
    assert (row.overdue_actions, row.overdue_reviews, row.support_level) == (0, 0, None)
    assert row.last_engagement_on == days(-10)


def test_someone_with_no_areas_is_told_so(client, people):
    client.force_login(people.outsider)
    response = client.get(reverse("dashboards:my_areas"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "You do not follow any council area at present." in response.content.decode()
