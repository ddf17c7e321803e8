"""The directors' and chief executives' home: the co-operation review's summary, inspections by
programme and status, and partnerships by level of support."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from dashboards import selectors
from partnerships.models import Partnership
from tests import factories
from tests.dashboards.conftest import COMMISSIONED, partnership_with_data

pytestmark = pytest.mark.django_db


def cell(table, programme_name: str, status: str) -> int:
    (row,) = [r for r in table.rows if r.name == programme_name]
    return {value: n for value, _, n in row.cells}[status]


def test_the_director_sees_the_counts_and_the_cooperation_summary(client, people):
    first = partnership_with_data(people, 1)
    partnership_with_data(people, 2, level=COMMISSIONED)
    partnership_with_data(people, 3)
    programme = factories.programme()

    client.force_login(people.director)
    response = client.get(reverse("dashboards:overview"))
    assert response.status_code == 200
    overview = response.context["overview"]

    table = overview.inspections
    assert cell(table, programme.name, "fieldwork") == 3
    assert cell(table, programme.name, "published") == 3
    assert [label for _, label in table.statuses] == ["Fieldwork", "Published"]
    assert table.total == 6 and table.totals == [3, 3]

    support = {
        (row.level.name if row.level else None): row.partnerships for row in overview.support
    }
    assert support["Assisted improvement support"] == 2
    assert support["Commissioned improvement support"] == 1
    assert support["Directed improvement support"] == 0
    live = Partnership.objects.filter(archived_at__isnull=True).count()
    assert support[None] == live - 3
    assert overview.partnerships == live

    body = response.content.decode()
    assert f'href="{reverse("cooperation:review")}"' in body
    assert "Open the chief executives' review" in body
    assert 'id="cooperation-summary"' in body
    assert f"?programme={programme.pk}&amp;status=fieldwork" in body
    assert first.name not in body  # counts, not partnerships


def test_an_archived_partnership_or_inspection_is_not_counted(people):
    partnership = partnership_with_data(people, 1)
    before = selectors.overview(user=people.director)
    Partnership.objects.filter(pk=partnership.pk).update(archived_at=partnership.created_at)
    partnership.inspections.update(archived_at=partnership.created_at)
    after = selectors.overview(user=people.director)
    assert after.partnerships == before.partnerships - 1
    assert after.inspections.total == before.inspections.total - 2


def test_others_count_only_what_they_may_see(people):
    partnership_with_data(people, 1)
    outsider = selectors.overview(user=people.outsider)
    # Only the published inspection; no support decision.
    assert [label for _, label in outsider.inspections.statuses] == ["Published"]
    assert outsider.inspections.total == 1
    assert all(row.partnerships == 0 for row in outsider.support if row.level is not None)

    # Outside both bodies, no co-operation log.
    police = factories.senior(Role.DIRECTOR, "HMICS")
    assert selectors.overview(user=police).cooperation is None


def test_a_senior_outside_both_bodies_is_told_the_log_is_not_theirs(client, people):
    client.force_login(factories.senior(Role.CHIEF_EXECUTIVE, "HMICS"))
    body = client.get(reverse("dashboards:overview")).content.decode()
    assert "The duty of co-operation log is for staff of the Care Inspectorate" in body
    assert 'id="cooperation-summary"' not in body
