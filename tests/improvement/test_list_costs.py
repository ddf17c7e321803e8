"""What the long improvement pages and lists cost does not grow with what they show: the plan
page with its actions and progress, and the API's actions and assessments (issue 10)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement import services
from improvement.models import ImprovementCriterion
from inspections.models import Inspection
from tests import factories
from tests.improvement.test_plans import add_action


@pytest.fixture
def published(inspection):
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def recommendation(published):
    return factories.FindingFactory(
        inspection=published, kind="recommendation", text="Improve joint risk assessment."
    )


@pytest.fixture
def plan(published, partnership, lead):
    return services.plan_create(
        by=lead, partnership=partnership, inspection=published, title="Joint improvement plan"
    )


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


def _with_progress(plan, lead, findings=()):
    action = add_action(plan, lead, findings=findings)
    for days in (3, 2):
        services.progress_add(
            by=lead,
            action=action,
            updated_on=timezone.localdate() - datetime.timedelta(days=days),
            progress="Training booked",
        )
    return action


def test_the_plan_page_runs_the_same_queries_at_1_and_6_actions(client, lead, plan, recommendation):
    client.force_login(lead)
    url = reverse("improvement:plan_detail", args=[plan.pk])
    first = _with_progress(plan, lead, findings=[recommendation])
    client.get(url)  # warm caches (content types, permissions)
    one, body = _queries(client, url)
    for _ in range(5):
        last = _with_progress(plan, lead, findings=[recommendation])
    six, body = _queries(client, url)
    assert six == one
    assert body.count("Training booked") == 12
    # Every row still links to its own pages, and each update is named by its date.
    assert reverse("improvement:action_history", args=[last.pk]) in body
    update = last.progress_updates.order_by("pk").first()
    assert reverse("improvement:progress_edit", args=[update.pk]) in body
    on = update.updated_on
    assert f"the update of {on.day} {on:%B %Y} on the action {last.pk}" in body
    assert reverse("improvement:action_edit", args=[first.pk]) in body


def test_the_api_lists_actions_with_their_findings_in_the_same_queries(
    api_client, lead, plan, recommendation, published
):
    other = factories.FindingFactory(inspection=published, kind="area_for_improvement")
    api_client.force_authenticate(lead)
    url = "/api/v1/improvement-actions/"
    add_action(plan, lead, findings=[recommendation, other])
    api_client.get(url)
    one, _ = _queries(api_client, url)
    for _ in range(4):
        _with_progress(plan, lead, findings=[other])
    five, _ = _queries(api_client, url)
    assert five == one
    rows = api_client.get(url).json()["results"]
    assert len(rows) == 5
    # The findings' own order (by inspection, kind, id), as the findings relation gives it.
    first = next(row for row in rows if len(row["findings"]) == 2)
    assert first["findings"] == [other.pk, recommendation.pk]
    detail = api_client.get(first["url"]).json()
    assert detail["findings"] == first["findings"]
    assert all(len(row["progress_updates"]) == 2 for row in rows if row["id"] != first["id"])


def test_the_api_lists_assessments_with_judgements_and_recommendations(
    api_client, lead, record_assessment
):
    api_client.force_authenticate(lead)
    assessment = record_assessment((3, 3, 2, 1, 0))
    listed = api_client.get("/api/v1/support-assessments/").json()["results"]
    detail = api_client.get(f"/api/v1/support-assessments/{assessment.pk}/").json()
    assert listed == [detail]
    assert len(detail["judgements"]) == ImprovementCriterion.objects.count()
    numbers = {j["criterion"] for j in detail["judgements"]}
    assert "1.1" in numbers
    assert detail["recommendation"]["conditions_met"] == 3
