"""/api/v1/ for the report: findings/, evaluations/ (with the chain), factual-accuracy-comments/
and inspections/{id}/published/."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inspections import services as inspection_services
from inspections.models import EvaluationLink, FactualAccuracyComment, Finding, PublishedVersion
from inspections.report import gates, services
from scrutiny.api import VERSION_REQUIRED_MESSAGE
from tests import factories

from .conftest import PANEL_DAY, figures_for, fresh, make_team

pytestmark = pytest.mark.django_db

FINDINGS = "/api/v1/findings/"
EVALUATIONS = "/api/v1/evaluations/"
COMMENTS = "/api/v1/factual-accuracy-comments/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def published_url(inspection) -> str:
    return f"/api/v1/inspections/{inspection.pk}/published/"


def rows(client, path, **params) -> list[dict]:
    response = client.get(path, {"page_size": 200, **params})
    assert response.status_code == 200, response.data
    return response.data["results"]


# Findings ------------------------------------------------------------------------------------


def test_a_finding_is_drafted_changed_agreed_and_archived(team):
    question, _ = figures_for(team.inspection, yes=3, no=1)
    activity = factories.EvidenceActivityFactory(inspection=team.inspection, title="Survey")
    member, lead = api(team.member), api(team.lead)

    created = member.post(
        FINDINGS,
        {
            "inspection": team.inspection.pk,
            "kind": "strength",
            "text": "People were seen promptly.",
            "quality_indicators": [team.indicators[0].pk],
            "evidence_activities": [activity.pk],
            "cited_questions": [question.pk],
            "national_outcomes": [1],
        },
    )
    assert created.status_code == 201, created.data
    data = created.data
    assert (data["status"], data["kind_display"], data["version"]) == ("draft", "Strength", 1)
    assert data["drafted_by"]["id"] == team.member.pk
    assert data["evidence_activities"] == [
        {"id": activity.pk, "title": "Survey", "kind": "position_statement"}
    ]
    assert data["cited_questions"][0]["figure"].startswith("75% yes")
    assert data["national_outcomes"][0]["number"] == 1
    pk = data["id"]

    assert member.post(f"{FINDINGS}{pk}/agree/", {"version": 1}).status_code == 403
    agreed = lead.post(f"{FINDINGS}{pk}/agree/", {"version": 1})
    assert agreed.status_code == 200, agreed.data
    assert (agreed.data["status"], agreed.data["agreed_by"]["id"]) == ("agreed", team.lead.pk)
    assert lead.post(f"{FINDINGS}{pk}/agree/", {"version": 1}).status_code == 409

    no_version = member.patch(f"{FINDINGS}{pk}/", {"text": "x"})
    assert no_version.data == {"version": [VERSION_REQUIRED_MESSAGE]}
    moved = member.patch(f"{FINDINGS}{pk}/", {"inspection": 1, "text": "x", "version": 2})
    assert moved.status_code == 400 and "inspection" in moved.data
    edited = member.patch(f"{FINDINGS}{pk}/", {"text": "Seen within a day.", "version": 2})
    assert edited.status_code == 200, edited.data
    assert (edited.data["status"], edited.data["agreed_by"]) == ("draft", None)

    archived = member.delete(f"{FINDINGS}{pk}/?reason=Duplicate&version=3")
    assert archived.status_code == 200, archived.data
    assert archived.data["archived_at"] is not None
    assert Finding.objects.get().history.latest().history_change_reason == "Duplicate"
    assert rows(member, FINDINGS) == []
    assert [r["id"] for r in rows(member, FINDINGS, archived="true")] == [pk]


def test_finding_errors_are_400s_with_field_messages(team):
    elsewhere = factories.programme("asp_phase_2_year_2").quality_indicators.first()
    response = api(team.member).post(
        FINDINGS,
        {
            "inspection": team.inspection.pk,
            "kind": "strength",
            "text": "x",
            "quality_indicators": [elsewhere.pk],
        },
    )
    assert response.status_code == 400
    assert response.data == {
        "quality_indicators": [services.INDICATOR_NOT_IN_SCOPE.format(indicator=elsewhere)]
    }
    bad_filter = api(team.member).get(FINDINGS, {"kind": "verdict"})
    assert bad_filter.status_code == 400 and "kind" in bad_filter.data


def test_an_outsider_gets_404_on_draft_findings_and_reads_the_published_ones(outsider):
    team = make_team(status="factual_accuracy")
    finding = factories.FindingFactory(inspection=team.inspection, text="Strong leadership.")
    client = api(outsider)

    assert client.get(f"{FINDINGS}{finding.pk}/").status_code == 404
    assert rows(client, FINDINGS) == []
    assert rows(client, EVALUATIONS) == []
    assert client.get(published_url(team.inspection)).status_code == 404
    refused = client.post(
        FINDINGS,
        {
            "inspection": team.inspection.pk,
            "kind": "strength",
            "text": "x",
            "quality_indicators": [team.indicators[0].pk],
        },
    )
    assert refused.status_code == 400 and "inspection" in refused.data

    factories.satisfy_report_gates(team.inspection, team.lead)
    inspection_services.inspection_transition(
        inspection=team.inspection, by=team.lead, to_status="published", on=datetime.date.today()
    )

    assert client.get(f"{FINDINGS}{finding.pk}/").status_code == 404  # the working copy
    published = client.get(published_url(team.inspection))
    assert published.status_code == 200, published.data
    content = published.data["content"]
    assert content["findings"][0]["findings"][0]["text"] == "Strong leadership."
    assert content["evaluations"][0]["level"] == {"value": 4, "label": "Good"}
    assert published.data["number"] == 1
    assert published.data["versions"] == [
        {"number": 1, "published_on": datetime.date.today().isoformat(), "reason": ""}
    ]
    assert client.post(published_url(team.inspection), {"reason": "x"}).status_code == 403


def test_the_findings_list_runs_a_fixed_number_of_queries():
    viewer = factories.administrator()
    team = make_team()
    question, _ = figures_for(team.inspection, yes=1, no=1)

    def count(size) -> int:
        for _ in range(size):
            finding = factories.FindingFactory(
                inspection=team.inspection, quality_indicators=team.indicators[:2]
            )
            finding.cited_questions.set([question])
            finding.national_outcomes.set([1, 3])
        cache.clear()  # the figures counted afresh each time, not kept from the last count
        with CaptureQueriesContext(connection) as ctx:
            response = api(viewer).get(FINDINGS, {"inspection": team.inspection.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(20)


# Evaluations ---------------------------------------------------------------------------------


def step(client, name, team, **data):
    return client.post(
        f"{EVALUATIONS}{name}/",
        {"inspection": team.inspection.pk, "quality_indicator": team.indicators[0].pk, **data},
    )


def test_an_evaluation_through_the_api_with_its_chain(team):
    member, lead = api(team.member), api(team.lead)

    listed = rows(member, EVALUATIONS, inspection=team.inspection.pk)
    assert len(listed) == len(team.indicators)
    assert (listed[0]["state"], listed[0]["chain"], listed[0]["last_link"]) == ("none", [], None)

    proposed = step(
        member, "propose", team, level=team.level(4).pk, rationale="Solid.", previous=None
    )
    assert proposed.status_code == 201, proposed.data
    assert (proposed.data["state"], proposed.data["level"]["value"]) == ("proposed", 4)
    last = proposed.data["last_link"]

    assert step(member, "panel", team, outcome="confirmed").status_code == 403
    no_reason = step(
        lead,
        "panel",
        team,
        outcome="changed",
        level=team.level(3).pk,
        panel_members=[team.lead.pk],
        panel_date=PANEL_DAY.isoformat(),
        previous=last,
    )
    assert no_reason.status_code == 400
    assert no_reason.data == {"reason": [services.PANEL_REASON_NEEDED]}

    changed = step(
        lead,
        "panel",
        team,
        outcome="changed",
        level=team.level(3).pk,
        reason="Too generous.",
        panel_members=[team.lead.pk, team.member.pk],
        panel_date=PANEL_DAY.isoformat(),
        previous=last,
    )
    assert changed.status_code == 201, changed.data
    panel_link = changed.data["chain"][-1]
    assert (panel_link["stage"], panel_link["panel_outcome"], panel_link["rationale"]) == (
        "panel",
        "changed",
        "Too generous.",
    )
    assert [m["id"] for m in panel_link["panel_members"]] == sorted(
        [team.lead.pk, team.member.pk], key=lambda pk: fresh_name(pk)
    )

    final = step(lead, "finalise", team)
    assert final.status_code == 201, final.data
    assert (final.data["state"], final.data["final_level"]["value"]) == ("final", 3)

    # A final grade is not editable until reopened.
    again = step(member, "propose", team, level=team.level(5).pk, rationale="Better.")
    assert again.status_code == 400
    assert again.data == {
        "non_field_errors": [services.FINAL_IS_READ_ONLY.format(indicator=team.indicators[0])]
    }
    reopened = step(lead, "reopen", team, reason="New evidence.")
    assert reopened.status_code == 201
    assert reopened.data["state"] == "reopened" and reopened.data["level"] is None
    assert [x["stage"] for x in reopened.data["chain"]] == [
        "proposed",
        "panel",
        "final",
        "reopened",
    ]
    assert step(member, "propose", team, level=team.level(5).pk, rationale="x").status_code == 201

    states = {r["quality_indicator"]["id"]: r["state"] for r in rows(member, EVALUATIONS)}
    assert states[team.indicators[0].pk] == "proposed"
    only_final = rows(member, EVALUATIONS, state="none", inspection=team.inspection.pk)
    assert len(only_final) == len(team.indicators) - 1


def fresh_name(pk):
    from accounts.models import User

    return User.objects.get(pk=pk).full_name


def test_a_step_on_a_chain_that_moved_on_is_a_409(team):
    proposed = step(api(team.member), "propose", team, level=team.level(4).pk, rationale="x")
    stale = step(
        api(team.lead),
        "panel",
        team,
        outcome="confirmed",
        panel_members=[team.lead.pk],
        panel_date=PANEL_DAY.isoformat(),
        previous=None,
    )
    assert stale.status_code == 409
    assert stale.data == {
        "detail": services.CHAIN_MOVED_ON,
        "current_version": proposed.data["last_link"],
    }
    assert EvaluationLink.objects.count() == 1


def test_an_outsider_cannot_see_or_step_an_evaluation(team, outsider):
    refused = step(api(fresh(outsider)), "propose", team, level=team.level(4).pk, rationale="x")
    assert refused.status_code == 400 and "inspection" in refused.data
    assert not EvaluationLink.objects.exists()


def test_the_evaluations_list_runs_a_fixed_number_of_queries():
    viewer = factories.administrator()
    small, large = make_team(), make_team()
    factories.final_evaluation(small.inspection, small.indicators[0], small.lead)
    for qi in large.indicators:
        factories.final_evaluation(large.inspection, qi, large.lead)

    def count(team) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api(viewer).get(EVALUATIONS, {"inspection": team.inspection.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert count(small) == count(large)


# Factual accuracy comments -------------------------------------------------------------------


def test_factual_accuracy_comments_through_the_api():
    team = make_team(status="factual_accuracy")
    member, lead = api(team.member), api(team.lead)
    created = member.post(
        COMMENTS,
        {"inspection": team.inspection.pk, "report_reference": "Page 3", "comment": "Wrong."},
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["response"] == ""

    edited = member.patch(f"{COMMENTS}{pk}/", {"comment": "Wrong year.", "version": 1})
    assert edited.status_code == 200 and edited.data["comment"] == "Wrong year."
    assert (
        member.post(f"{COMMENTS}{pk}/respond/", {"response": "accepted", "version": 2}).status_code
        == 403
    )
    refused = lead.post(f"{COMMENTS}{pk}/respond/", {"response": "not_accepted", "version": 2})
    assert refused.status_code == 400
    assert refused.data == {"response_text": [services.RESPONSE_TEXT_NEEDED]}
    answered = lead.post(
        f"{COMMENTS}{pk}/respond/",
        {"response": "accepted", "change_made": "Page 3 corrected.", "version": 2},
    )
    assert answered.status_code == 200, answered.data
    assert (answered.data["response_display"], answered.data["responded_by"]["id"]) == (
        "Accepted",
        team.lead.pk,
    )
    assert [r["id"] for r in rows(member, COMMENTS, responded="true")] == [pk]
    assert rows(member, COMMENTS, responded="false") == []

    assert member.delete(f"{COMMENTS}{pk}/").status_code == 403
    assert lead.delete(f"{COMMENTS}{pk}/?reason=Withdrawn").status_code == 200
    assert FactualAccuracyComment.objects.get().archived_at is not None


# Published versions --------------------------------------------------------------------------


def test_a_correction_through_the_api_leaves_version_one_as_it_was():
    team = make_team(status="factual_accuracy")
    finding = factories.FindingFactory(inspection=team.inspection, text="Original.")
    factories.satisfy_report_gates(team.inspection, team.lead)
    inspection_services.inspection_transition(
        inspection=team.inspection, by=team.lead, to_status="published", on=datetime.date.today()
    )
    lead = api(team.lead)

    finding.refresh_from_db()
    services.finding_update(
        finding=finding, by=team.member, expected_version=finding.version, changes={"text": "New."}
    )
    refused = lead.post(published_url(team.inspection), {"reason": "Reworded"})
    assert refused.status_code == 400
    finding.refresh_from_db()
    assert refused.data == {
        "non_field_errors": [gates.FINDINGS_IN_DRAFT.format(count=1, findings=str(finding))]
    }
    services.finding_agree(finding=finding, by=team.lead, expected_version=finding.version)

    assert lead.post(published_url(team.inspection), {}).status_code == 400
    created = lead.post(published_url(team.inspection), {"reason": "Reworded"})
    assert created.status_code == 201, created.data
    assert (created.data["number"], created.data["reason"]) == (2, "Reworded")
    assert [v["number"] for v in created.data["versions"]] == [2, 1]
    first = lead.get(published_url(team.inspection), {"version": 1}).data
    assert first["content"]["findings"][0]["findings"][0]["text"] == "Original."
    latest = lead.get(published_url(team.inspection)).data
    assert latest["content"]["findings"][0]["findings"][0]["text"] == "New."
    assert lead.get(published_url(team.inspection), {"version": "x"}).status_code == 400
    assert lead.get(published_url(team.inspection), {"version": 7}).status_code == 404
    assert PublishedVersion.objects.count() == 2
