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
    update = services.progress_add(
        by=lead, action=action, updated_on=timezone.localdate(), progress="Started"
    )
    client.force_login(outsider)
    for url in [
        reverse("improvement:plan_detail", args=[plan.pk]),
        reverse("improvement:plan_history", args=[plan.pk]),
        reverse("improvement:plan_edit", args=[plan.pk]),
        reverse("improvement:plan_agree", args=[plan.pk]),
        reverse("improvement:plan_archive", args=[plan.pk]),
        reverse("improvement:action_create", args=[plan.pk]),
        reverse("improvement:action_edit", args=[action.pk]),
        reverse("improvement:action_status", args=[action.pk]),
        reverse("improvement:action_archive", args=[action.pk]),
        reverse("improvement:progress_create", args=[action.pk]),
        reverse("improvement:action_history", args=[action.pk]),
        reverse("improvement:progress_edit", args=[update.pk]),
        reverse("improvement:progress_archive", args=[update.pk]),
        reverse("improvement:progress_history", args=[update.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_director_reads_but_cannot_change(client, director, lead, plan):
    action = add_action(plan, lead)
    update = services.progress_add(
        by=lead, action=action, updated_on=timezone.localdate(), progress="Started"
    )
    client.force_login(director)
    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "Started" in body and "Agree the plan" not in body
    assert reverse("improvement:action_edit", args=[action.pk]) not in body
    for url in [
        reverse("improvement:plan_edit", args=[plan.pk]),
        reverse("improvement:plan_agree", args=[plan.pk]),
        reverse("improvement:plan_archive", args=[plan.pk]),
        reverse("improvement:action_edit", args=[action.pk]),
        reverse("improvement:action_status", args=[action.pk]),
        reverse("improvement:action_archive", args=[action.pk]),
        reverse("improvement:progress_edit", args=[update.pk]),
        reverse("improvement:progress_archive", args=[update.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("improvement:progress_history", args=[update.pk])).status_code == 200


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
        reverse("improvement:action_status", args=[action.pk]),
        reverse("improvement:action_archive", args=[action.pk]),
        reverse("improvement:plan_edit", args=[plan.pk]),
        reverse("improvement:plan_agree", args=[plan.pk]),
        reverse("improvement:plan_archive", args=[plan.pk]),
        f"/api/v1/improvement-plans/{plan.pk}/",
        f"/api/v1/improvement-actions/{action.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
    form = client.get(reverse("improvement:action_edit", args=[action.pk])).content.decode()
    assert "Recommendation: Improve joint risk assessment." in form


# Agreeing a plan, revisions, status changes, progress updates and archiving -------------------


def _agree(client, plan, **extra):
    return client.post(
        reverse("improvement:plan_agree", args=[plan.pk]),
        {
            "agreed_on": timezone.localdate().isoformat(),
            "agreed_by": "Jo Bloggs",
            "agreed_by_organisation": "Fife Health and Social Care Partnership",
            "version": plan.version,
            **extra,
        },
    )


def _action_data(action, **changes):
    return {
        "description": action.description,
        "owner_name": action.owner_name,
        "owner_organisation": action.owner_organisation,
        "due_on": action.due_on.isoformat(),
        "version": action.version,
        **changes,
    }


def test_agreeing_a_plan_records_when_and_who(client, lead, plan):
    client.force_login(lead)
    response = _agree(client, plan)
    assert response.status_code == 400
    assert services.PLAN_NO_ACTIONS_MESSAGE in response.content.decode()
    add_action(plan, lead)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = _agree(client, plan, agreed_on=future, agreed_by="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    response = _agree(client, plan, agreed_on=future)
    assert services.AGREED_ON_FUTURE_MESSAGE in response.content.decode()
    response = _agree(client, plan)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_agreed
    assert plan.agreed_by == "Jo Bloggs, Fife Health and Social Care Partnership"
    body = client.get(response["Location"]).content.decode()
    assert "Jo Bloggs, Fife Health and Social Care Partnership" in body
    assert lead.full_name in body  # recorded by
    assert "The plan has not been revised since it was agreed." in body
    # Agreed once only.
    assert client.get(reverse("improvement:plan_agree", args=[plan.pk])).status_code == 403


def test_changing_an_agreed_plan_needs_a_reason_and_is_a_numbered_revision(
    client, lead, plan, recommendation
):
    action = add_action(plan, lead, findings=[recommendation])
    client.force_login(lead)
    assert _agree(client, plan).status_code == 302
    plan.refresh_from_db()
    edit = reverse("improvement:action_edit", args=[action.pk])
    form = client.get(edit).content.decode()
    assert "Reason for revising the agreed plan" in form
    assert 'name="status"' not in form  # status changes have their own page
    data = _action_data(action, findings=[recommendation.pk], due_on="2031-03-31")
    response = client.post(edit, data)
    assert response.status_code == 400
    assert "Say why the agreed plan is being revised." in response.content.decode()
    response = client.post(edit, {**data, "revision_reason": "Recruitment delayed the audit."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_on == datetime.date(2031, 3, 31)

    # A new action and a new title are revisions 2 and 3.
    response = client.post(
        reverse("improvement:action_create", args=[plan.pk]),
        {
            "description": "Publish a joint workforce plan",
            "owner_name": "Bea",
            "owner_organisation": "NHS board",
            "due_on": "2031-06-30",
            "status": "not_started",
        },
    )
    assert response.status_code == 400
    assert "Say why the agreed plan is being revised." in response.content.decode()
    response = client.post(
        reverse("improvement:action_create", args=[plan.pk]),
        {
            "description": "Publish a joint workforce plan",
            "owner_name": "Bea",
            "owner_organisation": "NHS board",
            "due_on": "2031-06-30",
            "status": "not_started",
            "revision_reason": "Asked for at the progress review.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("improvement:plan_edit", args=[plan.pk]),
        {"title": "Joint improvement plan 2026-2028", "version": plan.version},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("improvement:plan_edit", args=[plan.pk]),
        {
            "title": "Joint improvement plan 2026-2028",
            "version": plan.version,
            "revision_reason": "Extended by a year.",
        },
    )
    assert response.status_code == 302

    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    revisions = body.split('id="revisions"')[1]
    for number, reason in [
        (1, "Recruitment delayed the audit."),
        (2, "Asked for at the progress review."),
        (3, "Extended by a year."),
    ]:
        assert f"<td>{number}</td>" in revisions and reason in revisions
    assert "due date changed" in revisions
    assert "Action added: Publish a joint workforce plan" in revisions
    assert lead.full_name in revisions
    history = client.get(reverse("improvement:action_history", args=[action.pk])).content
    assert "revision 1: Recruitment delayed the audit." in history.decode()


def test_status_changes_and_progress_on_an_agreed_plan_need_no_reason(client, lead, plan):
    action = add_action(plan, lead)
    client.force_login(lead)
    assert _agree(client, plan).status_code == 302
    url = reverse("improvement:action_status", args=[action.pk])
    form = client.get(url).content.decode()
    assert "Reason for revising" not in form
    response = client.post(url, {"status": "at_risk", "version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.AT_RISK
    form = client.get(reverse("improvement:progress_create", args=[action.pk])).content.decode()
    assert "Reason for revising" not in form
    response = client.post(
        reverse("improvement:progress_create", args=[action.pk]),
        {"updated_on": timezone.localdate().isoformat(), "progress": "Two posts filled"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert not plan.revisions.exists()


def test_archiving_an_action_of_an_agreed_plan_is_a_revision(client, lead, plan):
    action = add_action(plan, lead)
    add_action(plan, lead)
    client.force_login(lead)
    assert _agree(client, plan).status_code == 302
    url = reverse("improvement:action_archive", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Reason for revising the agreed plan" in page
    response = client.post(url, {"version": action.version})
    assert response.status_code == 400
    response = client.post(
        url, {"version": action.version, "revision_reason": "Merged into the other action."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.archived_at is not None
    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "Merged into the other action." in body
    assert "Action removed" in body


def test_archiving_a_draft_action_and_the_plan(client, lead, plan, partnership):
    action = add_action(plan, lead)
    client.force_login(lead)
    url = reverse("improvement:action_archive", args=[action.pk])
    assert "Reason for revising" not in client.get(url).content.decode()
    assert client.post(url, {"version": action.version}).status_code == 302
    url = reverse("improvement:plan_archive", args=[plan.pk])
    response = client.post(url, {"version": plan.version, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"version": plan.version, "reason": "Replaced by the new plan."})
    assert response["Location"] == reverse("partnerships:detail", args=[partnership.pk])
    plan.refresh_from_db()
    assert plan.archived_at is not None
    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "Archived</strong>" in body and "Agree the plan" not in body
    history = client.get(reverse("improvement:plan_history", args=[plan.pk])).content.decode()
    assert "Archived: Replaced by the new plan." in history


def test_progress_update_edit_conflict_archive_and_history(client, lead, team_member, plan):
    action = add_action(plan, lead)
    update = services.progress_add(
        by=lead, action=action, updated_on=timezone.localdate(), progress="Started audit"
    )
    client.force_login(team_member)
    url = reverse("improvement:progress_edit", args=[update.pk])
    assert "Started audit" in client.get(url).content.decode()
    data = {
        "updated_on": timezone.localdate().isoformat(),
        "progress": "Audit a third done",
        "evidence": "Audit log",
        "version": update.version,
    }
    assert client.post(url, data).status_code == 302
    update.refresh_from_db()
    assert update.progress == "Audit a third done"
    # Someone else's change meanwhile: a conflict that keeps what was typed.
    response = client.post(url, {**data, "progress": "My stale progress"})
    assert response.status_code == 400
    body = response.content.decode()
    assert CONFLICT_MESSAGE.split(".")[0] in body
    assert "My stale progress" in body
    assert "Current values saved by someone else" in body
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {**data, "updated_on": future, "version": update.version})
    assert services.UPDATED_ON_FUTURE_MESSAGE in response.content.decode()

    response = client.post(
        reverse("improvement:progress_archive", args=[update.pk]), {"version": update.version}
    )
    assert response.status_code == 302
    body = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "Audit a third done" not in body
    history = client.get(reverse("improvement:progress_history", args=[update.pk]))
    body = history.content.decode()
    assert "Archived" in body and "Progress update changed" in body
    assert client.get(url).status_code == 403  # archived: read-only
