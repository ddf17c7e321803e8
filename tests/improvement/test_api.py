"""/api/v1/ for improvement: support assessments and decisions, plans, actions and their
progress updates, progress reviews, improvement support and support providers. Writes through
the API (201/200), field errors (400), stale versions (409), outsiders (404), readers who may
not write (403), and list queries that do not grow with the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from improvement import services
from improvement.models import (
    ImprovementCriterion,
    ProgressReview,
    SupportLevel,
    SupportProvider,
)
from inspections.models import Inspection
from tests import factories

from .conftest import judgements_for

TODAY = timezone.localdate


def days(n: int) -> str:
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


def level(order: int) -> SupportLevel:
    return SupportLevel.objects.get(order=order)


def judgement_rows(met_per_condition) -> list[dict]:
    numbers = dict(ImprovementCriterion.objects.values_list("pk", "number"))
    return [
        {"criterion": numbers[pk], "met": met, "evidence": evidence}
        for pk, (met, evidence) in judgements_for(list(met_per_condition)).items()
    ]


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


def add_action(plan, by, *, due_on=None, findings=()):
    return services.action_create(
        by=by,
        plan=plan,
        description="Train staff in chronologies",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=due_on or TODAY() + datetime.timedelta(days=30),
        findings=findings,
    )


def hub() -> SupportProvider:
    return SupportProvider.objects.get(name="Healthcare Improvement Scotland improvement hub")


# Assessments -----------------------------------------------------------------------------------


def test_assessment_with_recommendation_and_reasons(api_client, lead, record_assessment):
    assessment = record_assessment((2, 2, 0, 0, 0))
    api_client.force_authenticate(lead)
    data = api_client.get(f"/api/v1/support-assessments/{assessment.pk}/").json()
    rec = data["recommendation"]
    assert rec["level"]["name"] == "Assisted improvement support"
    assert rec["conditions_met"] == 2
    assert [c["met"] for c in rec["conditions"]] == [True, True, False, False, False]
    assert rec["reasons"][0].startswith("2 of 5 conditions met")
    assert len(data["judgements"]) == 15


def test_record_and_change_an_assessment(api_client, lead, partnership, inspection):
    api_client.force_authenticate(lead)
    response = api_client.post(
        "/api/v1/support-assessments/",
        {
            "partnership": partnership.pk,
            "inspection": inspection.pk,
            "assessed_on": days(0),
            "judgements": judgement_rows((2, 2, 0, 0, 0)),
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["recommendation"]["level"]["name"] == "Assisted improvement support"
    assert data["recommendation"]["reasons"][0].startswith("2 of 5 conditions met")
    assert {"criterion": "1.1", "met": True, "evidence": "Evidence for 1.1"} in data["judgements"]
    url = f"/api/v1/support-assessments/{data['id']}/"

    # Meeting two more criteria in condition 3 meets a third condition: commissioned.
    changes = {
        "judgements": [
            {"criterion": "3.1", "met": True, "evidence": "Now in place"},
            {"criterion": "3.2", "met": True},
        ],
        "status": "agreed",
    }
    response = api_client.patch(url, {**changes, "version": data["version"]})
    assert response.status_code == 200, response.json()
    changed = response.json()
    assert changed["status"] == "agreed"
    assert changed["version"] == data["version"] + 1
    assert changed["recommendation"]["level"]["name"] == "Commissioned improvement support"
    assert {"criterion": "3.1", "met": True, "evidence": "Now in place"} in changed["judgements"]

    assert api_client.patch(url, changes).json() == {
        "version": ["Send the version you are changing, as read from this record."]
    }
    stale = api_client.patch(url, {**changes, "version": data["version"]})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == changed["version"]


def test_assessment_field_errors(api_client, lead, partnership, inspection):
    api_client.force_authenticate(lead)
    response = api_client.post(
        "/api/v1/support-assessments/",
        {
            "partnership": partnership.pk,
            "assessed_on": "not a date",
            "judgements": [
                {"criterion": "9.9", "met": True},
            ],
        },
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"assessed_on", "judgements"}
    other = factories.InspectionFactory()  # another partnership's inspection, visible to none
    response = api_client.post(
        "/api/v1/support-assessments/",
        {
            "partnership": partnership.pk,
            "inspection": other.pk,
            "assessed_on": days(0),
            "judgements": [{"criterion": "1.1", "met": True}, {"criterion": "1.1", "met": False}],
        },
    )
    assert response.status_code == 400
    assert set(response.json()) == {"inspection", "judgements"}


# Decisions -------------------------------------------------------------------------------------


def test_decision_that_differs_needs_a_rationale(api_client, lead, record_assessment):
    assessment = record_assessment()  # every condition met: local partnership led
    api_client.force_authenticate(lead)
    body = {"assessment": assessment.pk, "level": level(2).pk}
    response = api_client.post("/api/v1/support-decisions/", body)
    assert response.status_code == 400
    assert response.json() == {"rationale": [services.RATIONALE_REQUIRED_MESSAGE]}
    response = api_client.post(
        "/api/v1/support-decisions/", {**body, "rationale": "Leadership has just changed."}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["level"]["order"] == 2
    assert data["recommended_level"]["order"] == 1
    assert data["status"] == "draft"
    response = api_client.post(
        "/api/v1/support-decisions/",
        {"assessment": assessment.pk, "level": level(1).pk, "second_level": level(3).pk},
    )
    assert response.json() == {"second_level": [services.NOT_ADJACENT_MESSAGE]}


def test_agreeing_assisted_support_needs_the_formal_review_date(
    api_client, lead, team_member, record_assessment
):
    assessment = record_assessment((2, 2, 0, 0, 0))  # assisted recommended
    api_client.force_authenticate(team_member)
    created = api_client.post(
        "/api/v1/support-decisions/", {"assessment": assessment.pk, "level": level(3).pk}
    ).json()
    url = f"/api/v1/support-decisions/{created['id']}/"

    response = api_client.post(f"{url}agree/", {"version": created["version"]})
    assert response.status_code == 403  # only the lead inspector agrees

    api_client.force_authenticate(lead)
    response = api_client.post(f"{url}agree/", {"version": created["version"]})
    assert response.status_code == 400
    assert response.json() == {"formal_review_on": [services.FORMAL_REVIEW_REQUIRED_MESSAGE]}

    response = api_client.patch(url, {"version": created["version"], "formal_review_on": days(90)})
    assert response.status_code == 200
    draft = response.json()
    assert draft["formal_review_on"] == days(90)
    assert draft["level"]["order"] == 3  # unchanged fields are kept

    response = api_client.post(f"{url}agree/", {"version": draft["version"]})
    assert response.status_code == 200
    agreed = response.json()
    assert agreed["status"] == "agreed"
    assert agreed["agreed_by"] == lead.pk
    assert [(r["kind"], r["due_on"], r["status"]) for r in agreed["progress_reviews"]] == [
        ("formal", days(90), "scheduled")
    ]

    response = api_client.patch(url, {"version": agreed["version"], "rationale": "Late thought"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [services.AGREED_READ_ONLY_MESSAGE]}

    response = api_client.post(f"{url}reopen/", {"version": agreed["version"]})
    assert response.json() == {"reason": ["This field is required."]}
    stale = api_client.post(f"{url}reopen/", {"version": 1, "reason": "New evidence"})
    assert stale.status_code == 409
    response = api_client.post(
        f"{url}reopen/", {"version": agreed["version"], "reason": "New evidence"}
    )
    assert response.status_code == 200
    reopened = response.json()
    assert reopened["status"] == "draft"
    assert [r["status"] for r in reopened["progress_reviews"]] == ["cancelled"]


# Who may do what -------------------------------------------------------------------------------


def test_director_reads_but_may_not_write(api_client, director, lead, record_assessment, plan):
    assessment = record_assessment()
    decision = services.decision_create(by=lead, assessment=assessment, level=level(1))
    api_client.force_authenticate(director)
    url = f"/api/v1/support-assessments/{assessment.pk}/"
    assert api_client.get(url).status_code == 200
    assert api_client.patch(url, {"version": 1, "status": "agreed"}).status_code == 403
    response = api_client.post(
        "/api/v1/support-assessments/",
        {"partnership": assessment.partnership_id, "assessed_on": days(0)},
    )
    assert response.status_code == 403
    decision_url = f"/api/v1/support-decisions/{decision.pk}/"
    assert api_client.post(f"{decision_url}agree/", {"version": 1}).status_code == 403
    assert api_client.patch(decision_url, {"version": 1, "rationale": "x"}).status_code == 403
    plan_url = f"/api/v1/improvement-plans/{plan.pk}/"
    assert api_client.get(plan_url).status_code == 200
    assert api_client.patch(plan_url, {"version": 1, "title": "Mine"}).status_code == 403
    assert api_client.delete(plan_url).status_code == 403
    response = api_client.post(
        "/api/v1/improvement-support/",
        {
            "partnership": assessment.partnership_id,
            "provider": hub().pk,
            "description": "Peer support",
        },
    )
    assert response.status_code == 403
    response = api_client.post(
        "/api/v1/progress-reviews/",
        {"partnership": assessment.partnership_id, "kind": "formal", "due_on": days(30)},
    )
    assert response.status_code == 403


def test_outsider_gets_404_for_every_record(api_client, outsider, lead, record_assessment, plan):
    assessment = record_assessment()
    decision = services.decision_create(by=lead, assessment=assessment, level=level(1))
    action = add_action(plan, lead)
    update = services.progress_add(by=lead, action=action, updated_on=TODAY(), progress="Begun")
    review = services.review_schedule(
        by=lead, partnership=plan.partnership, kind="formal", due_on=TODAY(), decision=decision
    )
    support = services.support_create(
        by=lead, partnership=plan.partnership, provider=hub(), description="Advice", plan=plan
    )
    api_client.force_authenticate(outsider)
    for url, method, body in [
        (f"/api/v1/support-assessments/{assessment.pk}/", "patch", {"version": 1}),
        (f"/api/v1/support-decisions/{decision.pk}/", "get", None),
        (f"/api/v1/support-decisions/{decision.pk}/agree/", "post", {"version": 1}),
        (f"/api/v1/improvement-plans/{plan.pk}/", "delete", None),
        (f"/api/v1/improvement-plans/{plan.pk}/agree/", "post", {"version": 1}),
        (f"/api/v1/improvement-actions/{action.pk}/", "patch", {"version": 1}),
        (f"/api/v1/improvement-actions/{action.pk}/progress-updates/", "post", {}),
        (
            f"/api/v1/improvement-actions/{action.pk}/progress-updates/{update.pk}/",
            "delete",
            None,
        ),
        (f"/api/v1/progress-reviews/{review.pk}/", "get", None),
        (f"/api/v1/progress-reviews/{review.pk}/cancel/", "post", {"version": 1, "reason": "x"}),
        (f"/api/v1/improvement-support/{support.pk}/", "patch", {"version": 1}),
    ]:
        response = getattr(api_client, method)(url, body)
        assert response.status_code == 404, url
    for url in [
        "/api/v1/progress-reviews/",
        "/api/v1/improvement-support/",
        "/api/v1/support-decisions/",
    ]:
        assert api_client.get(url).json()["count"] == 0, url
    # An assessment the outsider cannot see cannot be decided on either.
    response = api_client.post(
        "/api/v1/support-decisions/", {"assessment": assessment.pk, "level": level(1).pk}
    )
    assert response.status_code == 400
    assert "assessment" in response.json()


# Plans, actions and progress updates ---------------------------------------------------------


def test_plan_through_the_api_with_revisions_once_agreed(
    api_client, lead, partnership, published, recommendation, inspection
):
    api_client.force_authenticate(lead)
    response = api_client.post(
        "/api/v1/improvement-plans/",
        {"partnership": partnership.pk, "inspection": published.pk, "title": "Our plan"},
    )
    assert response.status_code == 201
    plan = response.json()
    url = f"/api/v1/improvement-plans/{plan['id']}/"

    response = api_client.post(f"{url}agree/", {"version": plan["version"], "agreed_on": days(0)})
    assert response.json() == {"agreed_by": ["This field is required."]}
    agree = {"version": plan["version"], "agreed_on": days(0), "agreed_by": "Chair, IJB"}
    response = api_client.post(f"{url}agree/", agree)
    assert response.json() == {"non_field_errors": [services.PLAN_NO_ACTIONS_MESSAGE]}

    action_body = {
        "plan": plan["id"],
        "description": "Audit case files",
        "findings": [recommendation.pk],
        "owner_name": "Bea Owner",
        "owner_organisation": "NHS board",
        "due_on": days(60),
    }
    response = api_client.post("/api/v1/improvement-actions/", action_body)
    assert response.status_code == 201, response.json()
    action = response.json()
    assert action["findings"] == [recommendation.pk]
    assert action["status"] == "not_started"
    assert action["overdue"] is False

    response = api_client.post(f"{url}agree/", {**agree, "agreed_on": days(1)})
    assert response.json() == {"agreed_on": [services.AGREED_ON_FUTURE_MESSAGE]}
    response = api_client.post(f"{url}agree/", agree)
    assert response.status_code == 200
    agreed = response.json()
    assert (agreed["status"], agreed["agreed_by"]) == ("agreed", "Chair, IJB")

    # Agreed: changes need a revision reason, and each is a numbered revision.
    response = api_client.patch(url, {"version": agreed["version"], "title": "Renamed"})
    assert response.json() == {"revision_reason": [services.REVISION_REASON_MESSAGE]}
    response = api_client.patch(
        url,
        {"version": agreed["version"], "title": "Renamed", "revision_reason": "Board's wording"},
    )
    assert response.status_code == 200
    renamed = response.json()
    assert renamed["title"] == "Renamed"
    assert [(r["number"], r["reason"]) for r in renamed["revisions"]] == [(1, "Board's wording")]
    assert renamed["revisions"][0]["made_by"]["id"] == lead.pk

    response = api_client.post("/api/v1/improvement-actions/", action_body)
    assert response.json() == {"revision_reason": [services.REVISION_REASON_MESSAGE]}
    action_url = f"/api/v1/improvement-actions/{action['id']}/"
    response = api_client.patch(action_url, {"version": action["version"], "due_on": days(90)})
    assert response.json() == {"revision_reason": [services.REVISION_REASON_MESSAGE]}
    response = api_client.patch(action_url, {"version": action["version"], "status": "on_track"})
    assert response.status_code == 200  # progress needs no revision
    on_track = response.json()
    assert on_track["status"] == "on_track"
    assert on_track["due_on"] == days(60)

    assert api_client.delete(action_url).json() == {
        "revision_reason": [services.REVISION_REASON_MESSAGE]
    }
    response = api_client.delete(f"{action_url}?revision_reason=Merged+into+another+action")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    revisions = api_client.get(url).json()["revisions"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[1]["reason"] == "Merged into another action"

    stale = api_client.patch(url, {"version": agreed["version"], "title": "X"})
    assert stale.status_code == 409
    current = api_client.get(url).json()["version"]
    response = api_client.delete(f"{url}?version={current}&reason=Replaced")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    assert api_client.get("/api/v1/improvement-plans/").json()["count"] == 0

    # A plan answers a published inspection.
    unpublished, its_lead = factories.inspection_with_team(partnership=partnership)
    api_client.force_authenticate(its_lead)
    response = api_client.post(
        "/api/v1/improvement-plans/",
        {"partnership": partnership.pk, "inspection": unpublished.pk, "title": "Too early"},
    )
    assert response.json() == {"inspection": [services.PUBLISHED_INSPECTION_MESSAGE]}


def test_progress_updates_added_changed_and_archived(api_client, lead, plan):
    action = add_action(plan, lead)
    api_client.force_authenticate(lead)
    base = f"/api/v1/improvement-actions/{action.pk}/progress-updates/"
    response = api_client.post(base, {"updated_on": days(1), "progress": "Ahead"})
    assert response.json() == {"updated_on": [services.UPDATED_ON_FUTURE_MESSAGE]}
    response = api_client.post(
        base, {"updated_on": days(-2), "progress": "Half audited", "evidence": "Audit log"}
    )
    assert response.status_code == 201
    update = response.json()
    assert (update["action"], update["progress"], update["evidence"]) == (
        action.pk,
        "Half audited",
        "Audit log",
    )
    url = f"{base}{update['id']}/"
    response = api_client.patch(url, {"version": update["version"], "progress": "All audited"})
    assert response.status_code == 200
    changed = response.json()
    assert (changed["progress"], changed["evidence"]) == ("All audited", "Audit log")
    assert api_client.patch(url, {"version": update["version"]}).status_code == 409
    listed = api_client.get(f"/api/v1/improvement-actions/{action.pk}/").json()
    assert [u["progress"] for u in listed["progress_updates"]] == ["All audited"]
    response = api_client.delete(f"{url}?version={changed['version']}")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    listed = api_client.get(f"/api/v1/improvement-actions/{action.pk}/").json()
    assert listed["progress_updates"] == []
    other = add_action(plan, lead)
    wrong = f"/api/v1/improvement-actions/{other.pk}/progress-updates/{update['id']}/"
    assert api_client.patch(wrong, {"version": 1}).status_code == 404


def test_overdue_actions_filter(api_client, lead, plan):
    late = add_action(plan, lead, due_on=TODAY() - datetime.timedelta(days=3))
    add_action(plan, lead)
    api_client.force_authenticate(lead)
    rows = api_client.get("/api/v1/improvement-actions/?overdue=true").json()["results"]
    assert [(r["id"], r["overdue"]) for r in rows] == [(late.pk, True)]
    assert api_client.get("/api/v1/improvement-actions/?overdue=maybe").status_code == 400


# Progress reviews ------------------------------------------------------------------------------


def test_progress_reviews_scheduled_moved_held_and_cancelled(
    api_client, link_inspector, partnership
):
    api_client.force_authenticate(link_inspector)
    response = api_client.post(
        "/api/v1/progress-reviews/",
        {"partnership": partnership.pk, "kind": "monitoring", "due_on": days(-10)},
    )
    assert response.status_code == 201, response.json()
    review = response.json()
    assert (review["status"], review["overdue"]) == ("scheduled", True)
    later = api_client.post(
        "/api/v1/progress-reviews/",
        {"partnership": partnership.pk, "kind": "formal", "due_on": days(60)},
    ).json()

    overdue = api_client.get(f"/api/v1/progress-reviews/?overdue=true&partnership={partnership.pk}")
    assert [r["id"] for r in overdue.json()["results"]] == [review["id"]]
    latest_first = api_client.get("/api/v1/progress-reviews/?ordering=-due_on").json()["results"]
    assert [r["id"] for r in latest_first] == [later["id"], review["id"]]
    assert api_client.get("/api/v1/progress-reviews/?kind=formal").json()["count"] == 1

    url = f"/api/v1/progress-reviews/{review['id']}/"
    response = api_client.patch(url, {"version": review["version"], "due_on": days(-5)})
    assert response.status_code == 200
    moved = response.json()
    assert moved["due_on"] == days(-5)
    assert api_client.patch(url, {"version": moved["version"], "status": "held"}).status_code == 400

    record = {
        "version": moved["version"],
        "held_on": days(-4),
        "attendees": "Link inspector, chief officer",
        "judgement": "some",
        "notes": "Plan under way.",
        "next_on": days(-6),
    }
    response = api_client.post(f"{url}record/", record)
    assert response.json() == {"next_on": [services.NEXT_ON_MESSAGE]}
    response = api_client.post(f"{url}record/", {**record, "next_on": days(80)})
    assert response.status_code == 200
    held = response.json()
    assert (held["status"], held["judgement"], held["overdue"]) == ("held", "some", False)
    assert ProgressReview.objects.filter(
        partnership=partnership, kind="monitoring", status="scheduled", due_on=days(80)
    ).exists()

    response = api_client.post(f"{url}cancel/", {"version": held["version"], "reason": "Late"})
    assert response.status_code == 400  # only a scheduled review can be cancelled
    later_url = f"/api/v1/progress-reviews/{later['id']}/"
    response = api_client.post(f"{later_url}cancel/", {"version": 1, "reason": "Merged"})
    assert response.status_code == 200
    assert response.json()["cancelled_reason"] == "Merged"
    assert api_client.post(f"{later_url}cancel/", {"version": 1, "reason": "x"}).status_code == 409


# Improvement support and providers -------------------------------------------------------------


def test_improvement_support_recorded_changed_and_archived(api_client, link_inspector, partnership):
    api_client.force_authenticate(link_inspector)
    body = {
        "partnership": partnership.pk,
        "provider": hub().pk,
        "description": "An improvement adviser for six months",
        "starts_on": days(0),
        "ends_on": days(-1),
        "status": "commissioned",
    }
    response = api_client.post("/api/v1/improvement-support/", body)
    assert response.json() == {
        "non_field_errors": ["The end date cannot be before the start date."]
    }
    response = api_client.post("/api/v1/improvement-support/", {**body, "ends_on": days(180)})
    assert response.status_code == 201, response.json()
    support = response.json()
    assert support["provider_name"] == hub().name
    url = f"/api/v1/improvement-support/{support['id']}/"

    response = api_client.patch(url, {"version": support["version"], "status": "complete"})
    assert response.json() == {
        "non_field_errors": ["Record the outcome before marking the support complete."]
    }
    response = api_client.patch(
        url,
        {"version": support["version"], "status": "complete", "outcome": "Audit in place"},
    )
    assert response.status_code == 200
    done = response.json()
    assert (done["status"], done["outcome"]) == ("complete", "Audit in place")

    retired = SupportProvider.objects.create(name="Retired network", active=False)
    response = api_client.post("/api/v1/improvement-support/", {**body, "provider": retired.pk})
    assert response.json()["provider"] == [services.PROVIDER_RETIRED_MESSAGE]

    listed = api_client.get(f"/api/v1/improvement-support/?provider={hub().pk}&status=complete")
    assert [s["id"] for s in listed.json()["results"]] == [support["id"]]
    response = api_client.delete(f"{url}?version={done['version']}")
    assert response.status_code == 200
    assert api_client.get("/api/v1/improvement-support/").json()["count"] == 0
    assert api_client.get("/api/v1/improvement-support/?archived=true").json()["count"] == 1


def test_support_providers_are_read_only(api_client, outsider):
    SupportProvider.objects.create(name="Retired network", active=False)
    api_client.force_authenticate(outsider)
    names = [p["name"] for p in api_client.get("/api/v1/support-providers/").json()["results"]]
    assert "Healthcare Improvement Scotland improvement hub" in names
    assert "Retired network" not in names
    every = api_client.get("/api/v1/support-providers/?retired=true").json()["results"]
    assert "Retired network" in [p["name"] for p in every]
    response = api_client.post("/api/v1/support-providers/", {"name": "Mine"})
    assert response.status_code == 405


# Queries ---------------------------------------------------------------------------------------


def _queries(api_client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _grow(lead, plan, recommendation, link_inspector, decision) -> None:
    action = add_action(plan, lead, findings=[recommendation])
    services.progress_add(by=lead, action=action, updated_on=TODAY(), progress="Begun")
    services.support_create(
        by=link_inspector,
        partnership=plan.partnership,
        provider=hub(),
        plan=plan,
        description="Advice",
    )
    services.review_schedule(
        by=link_inspector,
        partnership=plan.partnership,
        kind="monitoring",
        due_on=TODAY(),
        decision=decision,
    )
    services.plan_create(
        by=lead, partnership=plan.partnership, inspection=plan.inspection, title="Another"
    )


def test_lists_in_fixed_queries_and_hidden_from_outsiders(
    api_client, lead, outsider, record_assessment, plan, recommendation, link_inspector
):
    first = record_assessment()
    decision = services.decision_create(by=lead, assessment=first, level=level(1))
    _grow(lead, plan, recommendation, link_inspector, decision)
    urls = [
        "/api/v1/support-assessments/",
        "/api/v1/support-decisions/",
        "/api/v1/improvement-plans/",
        "/api/v1/improvement-actions/",
        "/api/v1/progress-reviews/",
        "/api/v1/improvement-support/",
        "/api/v1/support-providers/",
    ]
    api_client.force_authenticate(lead)
    for url in urls:
        api_client.get(url)  # warm caches (content types, permissions)
    few = {url: _queries(api_client, url) for url in urls}
    for _ in range(3):
        extra = record_assessment()
        decision = services.decision_create(by=lead, assessment=extra, level=level(1))
        _grow(lead, plan, recommendation, link_inspector, decision)
    revised = services.plan_agree(
        plan=plan, by=lead, expected_version=plan.version, agreed_on=TODAY(), agreed_by="Chair"
    )
    services.plan_update(
        plan=revised, by=lead, expected_version=revised.version, title="New", revision_reason="R"
    )
    more = {url: _queries(api_client, url) for url in urls}
    assert more == few
    counts = {url: api_client.get(url).json()["count"] for url in urls[:-1]}
    assert all(count >= 4 for count in counts.values()), counts

    api_client.force_authenticate(outsider)
    for url in urls[:-1]:
        assert api_client.get(url).json()["count"] == 0, url
    assert api_client.get(f"/api/v1/support-assessments/{first.pk}/").status_code == 404
