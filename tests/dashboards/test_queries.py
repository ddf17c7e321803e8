"""The dashboards run a fixed number of queries at 5 and at 31 partnerships."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Inspection
from tests import factories
from tests.dashboards.conftest import (
    engage,
    improvement_plan,
    live_inspection,
    partnership_with_data,
    reviews,
)

pytestmark = pytest.mark.django_db


def test_the_dashboards_run_a_fixed_number_of_queries_at_5_and_at_31_partnerships(client, people):
    built = [partnership_with_data(people, n) for n in range(1, 6)]
    first = built[0]
    pages = {
        "partnership": (people.link, reverse("dashboards:partnership", args=[first.pk])),
        "my_areas": (people.link, reverse("dashboards:my_areas")),
        "my_work": (people.worker, reverse("dashboards:my_work")),
        "overview": (people.director, reverse("dashboards:overview")),
    }

    def measure() -> dict[str, tuple[int, object]]:
        counts = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = (len(ctx.captured_queries), response.context)
        return counts

    at_5 = measure()
    assert len(at_5["my_areas"][1]["rows"]) == 5
    assert len(at_5["my_work"][1]["work"].inspections) == 5

    built += [partnership_with_data(people, n) for n in range(6, 32)]
    # The first partnership gets more of everything too.
    published = Inspection.objects.get(title="Published inspection of partnership 1")
    for k in range(3):
        live_inspection(first, people, 100 + k)
        improvement_plan(first, published, 100 + k, overdue_actions=3)
        reviews(first, overdue=2)
        engage(first, people, 100 + k, days_ago=2 + k)
        factories.ContactFactory(partnership=first)

    at_31 = measure()
    assert len(at_31["my_areas"][1]["rows"]) == 31
    assert len(at_31["my_work"][1]["work"].inspections) == 34
    dashboard = at_31["partnership"][1]["dashboard"]
    assert len(dashboard.plans) == 4 and len(dashboard.open_risks) == 4
    assert len(dashboard.overdue_actions) == 10

    assert {name: n for name, (n, _) in at_31.items()} == {name: n for name, (n, _) in at_5.items()}
