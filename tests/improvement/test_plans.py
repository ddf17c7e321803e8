"""Improvement plans: gaps, overdue actions on the partnership page, permissions, conflicts,
query counts and the API."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement import selectors, services
from improvement.models import ActionStatus
from inspections.models import Inspection
from scrutiny.services import CONFLICT_MESSAGE
from tests import factories


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


def add_action(plan, by, *, due_on=None, findings=(), status=ActionStatus.ON_TRACK):
    return services.action_create(
        by=by,
        plan=plan,
        description="Train staff in chronologies",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=30),
        status=status,
        findings=findings,
    )


def test_recommendation_without_action_is_a_gap(client, lead, plan, recommendation):
    client.force_login(lead)
    url = reverse("improvement:plan_detail", args=[plan.pk])
    body = client.get(url).content.decode()
    assert f'data-gap="{recommendation.pk}"' in body
    assert selectors.plan_gaps(plan) == [recommendation]
    add_action(plan, lead, findings=[recommendation])
    body = client.get(url).content.decode()
    assert f'data-gap="{recommendation.pk}"' not in body
    assert "Every recommendation has an action answering it." in body


def test_overdue_action_on_partnership_page(client, lead, plan, partnership):
    action = add_action(plan, lead, due_on=timezone.localdate() - datetime.timedelta(days=3))
    add_action(
        plan,
        lead,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        status=ActionStatus.COMPLETE,
    )
    client.force_login(lead)
    body = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "Overdue actions: 1" in body
    assert action.description in body
    assert "Joint improvement plan" in body


def test_outsider_gets_404(client, outsider, lead, plan):
    action = add_action(plan, lead)
    client.force_login(outsider)
    for url in [
        reverse("improvement:plan_detail", args=[plan.pk]),
        reverse("improvement:plan_history", args=[plan.pk]),
        reverse("improvement:action_create", args=[plan.pk]),
        reverse("improvement:action_edit", args=[action.pk]),
        reverse("improvement:progress_create", args=[action.pk]),
        reverse("improvement:action_history", args=[action.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_director_reads_but_cannot_change(client, director, lead, plan):
    action = add_action(plan, lead)
    client.force_login(director)
    assert client.get(reverse("improvement:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("improvement:action_edit", args=[action.pk])).status_code == 403


def test_team_member_creates_plan_adds_action_and_progress(
    client, team_member, partnership, published, recommendation
):
    client.force_login(team_member)
    response = client.post(
        reverse("improvement:plan_create", args=[partnership.pk]),
        {"inspection": published.pk, "title": "Our plan", "status": "draft"},
    )
    assert response.status_code == 302
    plan = partnership.improvement_plans.get()
    response = client.post(
        reverse("improvement:action_create", args=[plan.pk]),
        {
            "description": "Audit case files",
            "findings": [recommendation.pk],
            "owner_name": "Bea",
            "owner_organisation": "NHS board",
            "due_on": "2030-01-31",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    action = plan.actions.get()
    response = client.post(
        reverse("improvement:progress_create", args=[action.pk]),
        {"updated_on": "2026-11-20", "progress": "Half audited", "evidence": "Audit log"},
    )
    assert response.status_code == 302
    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "Half audited" in body and "Audit log" in body


def test_unpublished_inspection_cannot_have_a_plan(lead, partnership, inspection):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.plan_create(by=lead, partnership=partnership, inspection=inspection, title="X")


def test_stale_action_edit_is_a_conflict_that_keeps_input(client, lead, plan):
    action = add_action(plan, lead)
    services.action_update(
        action=action, by=lead, expected_version=action.version, changes={"owner_name": "Cy"}
    )
    client.force_login(lead)
    response = client.post(
        reverse("improvement:action_edit", args=[action.pk]),
        {
            "description": "My stale wording",
            "owner_name": "Ann Owner",
            "owner_organisation": "Council",
            "due_on": "2030-01-31",
            "status": "at_risk",
            "version": action.version,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "My stale wording" in body
    assert CONFLICT_MESSAGE.split(".")[0] in body
    action.refresh_from_db()
    assert action.owner_name == "Cy"


def _partnership_page_queries(client, partnership):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("partnerships:detail", args=[partnership.pk]))
    assert response.status_code == 200
    return len(ctx)


def test_partnership_page_query_count_is_fixed(client, lead, plan, partnership):
    past = timezone.localdate() - datetime.timedelta(days=1)
    add_action(plan, lead, due_on=past)
    client.force_login(lead)
    few = _partnership_page_queries(client, partnership)
    for _ in range(6):
        add_action(plan, lead, due_on=past)
    services.plan_create(
        by=lead, partnership=partnership, inspection=plan.inspection, title="Second plan"
    )
    assert _partnership_page_queries(client, partnership) == few


def test_api_lists_plans_and_actions(client, lead, outsider, plan, recommendation):
    add_action(plan, lead, findings=[recommendation])
    client.force_login(lead)
    plans = client.get("/api/v1/improvement-plans/").json()
    assert [p["id"] for p in plans["results"]] == [plan.pk]
    actions = client.get("/api/v1/improvement-actions/").json()
    assert actions["results"][0]["findings"] == [recommendation.pk]
    client.force_login(outsider)
    assert client.get("/api/v1/improvement-plans/").json()["results"] == []
    assert client.get("/api/v1/improvement-actions/").json()["results"] == []


def test_forms_and_history_pages_render(client, lead, plan, recommendation, partnership):
    action = add_action(plan, lead, findings=[recommendation])
    client.force_login(lead)
    for url in [
        reverse("improvement:plan_create", args=[partnership.pk]),
        reverse("improvement:plan_history", args=[plan.pk]),
        reverse("improvement:action_create", args=[plan.pk]),
        reverse("improvement:action_edit", args=[action.pk]),
        reverse("improvement:progress_create", args=[action.pk]),
        reverse("improvement:action_history", args=[action.pk]),
        f"/api/v1/improvement-plans/{plan.pk}/",
        f"/api/v1/improvement-actions/{action.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
    form = client.get(reverse("improvement:action_edit", args=[action.pk])).content.decode()
    assert "Recommendation: Improve joint risk assessment." in form
