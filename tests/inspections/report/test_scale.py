"""The report at national scale: a page of findings works out the figures of the questions its
findings cite in a fixed number of queries however many findings and inspections it holds,
each figure as the inspection's record-reading results word it; the figures follow the answers
as soon as they change; the evaluations list gives exactly what its declared fields would, in
a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from inspections.models import RecordAnswer
from inspections.record_reading import selectors as reading
from inspections.record_reading import services as reading_services
from inspections.report import api as report_api
from inspections.report import figures, services
from inspections.report import selectors as report_selectors
from partnerships.models import NationalOutcome
from tests import factories

from .conftest import PANEL_DAY, fresh, make_team

pytestmark = pytest.mark.django_db

FINDINGS = "/api/v1/findings/"
EVALUATIONS = "/api/v1/evaluations/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def sample(team, yes: int, no: int) -> dict:
    """A template of its own for the team's inspection and `yes + no` complete records, every
    counted question answered (the yes/no one `yes` times yes). Returns its questions."""
    _, questions = factories.record_template(
        team.inspection.programme, name=f"Template of inspection {team.inspection.pk}"
    )
    for n in range(yes + no):
        add_record(team, questions, "yes" if n < yes else "no")
    return questions


def add_record(team, questions, yes_no: str):
    record = factories.ReviewedRecordFactory(
        inspection=team.inspection, template=questions["yes_no"].section.template, status="complete"
    )
    choice = questions["choice"].choices.order_by("order").first()
    RecordAnswer.objects.bulk_create(
        [
            RecordAnswer(record=record, question=questions["yes_no"], value=yes_no),
            RecordAnswer(record=record, question=questions["choice"], choice=choice),
            RecordAnswer(record=record, question=questions["six_point"], grade=4),
        ]
    )
    return record


def cite(team, question, count: int) -> None:
    for _ in range(count):
        finding = factories.FindingFactory(
            inspection=team.inspection, quality_indicators=team.indicators[:1]
        )
        finding.cited_questions.set([question])


def figures_listed(client) -> tuple[int, dict[int, set[str]]]:
    cache.clear()  # count the answers afresh: the most a page of findings ever costs
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(FINDINGS, {"page_size": 200})
    assert response.status_code == 200, response.data
    shown: dict[int, set[str]] = {}
    for finding in response.data["results"]:
        for cited in finding["cited_questions"]:
            shown.setdefault(finding["inspection"], set()).add(cited["figure"])
    return len(ctx.captured_queries), shown


def test_a_page_of_findings_from_many_inspections_takes_the_same_queries():
    admin = factories.administrator()
    first = make_team()
    question = sample(first, yes=3, no=1)["yes_no"]
    cite(first, question, 2)
    few, shown = figures_listed(api(admin))
    assert shown == {first.inspection.pk: {"75% yes (3 of 4 applicable; 0 not applicable)"}}

    # Four more inspections, each with its own sample, and many more findings.
    others = [make_team() for _ in range(4)]
    for n, team in enumerate(others, start=1):
        cite(team, sample(team, yes=n, no=1)["yes_no"], 5)
    cite(first, question, 10)
    many, shown = figures_listed(api(admin))

    assert many == few
    for n, team in enumerate(others, start=1):
        # The figure of the inspection's own sample, word for word as its results give it.
        results = reading.record_reading_results(inspection=team.inspection)
        assert shown[team.inspection.pk] == {results[0].figure}
        percent = round(100 * n / (n + 1))
        assert results[0].figure.startswith(f"{percent}% yes ({n} of {n + 1} applicable")


def test_figures_follow_the_answers_as_soon_as_they_change():
    team = make_team()
    questions = sample(team, yes=1, no=1)
    question = questions["yes_no"]
    cite(team, question, 1)
    client = api(factories.administrator())

    def figure() -> str:
        response = client.get(FINDINGS, {"inspection": team.inspection.pk})
        return response.data["results"][0]["cited_questions"][0]["figure"]

    assert figure() == "50% yes (1 of 2 applicable; 0 not applicable)"
    assert figure() == "50% yes (1 of 2 applicable; 0 not applicable)"  # unchanged, kept

    # A record added to the sample, then a record's answer changed through the service: each is
    # counted at once.
    add_record(team, questions, "yes")
    assert figure() == "67% yes (2 of 3 applicable; 0 not applicable)"

    record = RecordAnswer.objects.filter(question=question, value="no").get().record
    reading_services.record_answers_save(
        record=record,
        by=fresh(team.lead),
        expected_version=record.version,
        answers={question.pk: "yes"},
        complete=True,
    )
    assert figure() == "100% yes (3 of 3 applicable; 0 not applicable)"

    # Taking a record out of the sample stops it counting.
    reading_services.record_archive(record=record, by=fresh(team.lead), reason="Duplicate")
    assert figure() == "100% yes (2 of 2 applicable; 0 not applicable)"
    # The results page agrees.
    assert figures.results_by_question(team.inspection)[question.pk].figure == figure()


def test_cited_results_leave_out_what_the_results_leave_out():
    team = make_team()
    questions = sample(team, yes=2, no=2)
    question, text = questions["yes_no"], questions["text"]
    _, unused = factories.record_template(team.inspection.programme, name="Not used by this sample")
    found = figures.cited_results(
        {team.inspection.pk: [question.pk, text.pk, unused["yes_no"].pk], 999999: []}
    )
    by_question = figures.results_by_question(team.inspection)
    assert set(found[team.inspection.pk]) == {question.pk}  # not free text, not another template
    assert found[team.inspection.pk][question.pk] == by_question[question.pk]
    assert found[999999] == {}
    assert figures.figure_of(found[team.inspection.pk].get(text.pk)) == figures.NO_RESULTS


def test_the_findings_page_takes_the_same_queries_however_many_findings():
    team = make_team()
    client = api(team.lead)
    url = reverse("inspections:finding_list", args=[team.inspection.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    cite(team, sample(team, yes=1, no=1)["yes_no"], 2)
    few = count()
    cite(team, team.inspection.findings.first().cited_questions.get(), 20)
    assert count() == few


def test_findings_are_serialised_exactly_as_their_declared_fields_give_them():
    team = make_team()
    question = sample(team, yes=2, no=1)["yes_no"]
    evidence = factories.EvidenceActivityFactory(inspection=team.inspection)
    lead = team.lead
    plain = services.finding_create(
        inspection=team.inspection,
        by=team.member,
        kind="strength",
        text="Plain.",
        quality_indicators=team.indicators[:1],
    )
    full = services.finding_create(
        inspection=team.inspection,
        by=team.member,
        kind="recommendation",
        text="With everything.",
        quality_indicators=team.indicators[:2],
        evidence_activities=[evidence],
        cited_questions=[question],
        national_outcomes=NationalOutcome.objects.order_by("number")[:2],
    )
    services.finding_agree(finding=full, by=lead, expected_version=full.version)
    services.finding_archive(finding=plain, by=lead, reason="Repeated", expected_version=1)

    admin = factories.administrator()
    evidence_shown = {}
    for viewer in (lead, admin):  # with the evidence, and without
        response = api(viewer).get(FINDINGS, {"archived": "true"})
        assert response.status_code == 200, response.data
        fast = {f["id"]: f for f in response.data["results"]}
        request = Request(APIRequestFactory().get(FINDINGS))
        request.user = viewer
        serializer = report_api.FindingSerializer(context={"request": request})
        for finding in report_selectors.finding_list(user=viewer, include_archived=True):
            slow = serializers.ModelSerializer.to_representation(serializer, finding)
            assert fast[finding.pk] == slow
            assert JSONRenderer().render(fast[finding.pk]) == JSONRenderer().render(slow)
        evidence_shown[viewer.pk] = fast[full.pk]["evidence_activities"]
    assert evidence_shown == {
        lead.pk: [{"id": evidence.pk, "title": evidence.title, "kind": evidence.kind}],
        admin.pk: None,
    }
    assert fast[full.pk]["agreed_by"] == {"id": lead.pk, "full_name": lead.full_name}
    assert fast[full.pk]["cited_questions"][0]["figure"].startswith("67% yes")
    assert fast[plain.pk]["archived_at"] is not None


# Evaluations ---------------------------------------------------------------------------------


def chains_with_every_step():
    """An inspection whose first indicator went through every step (proposed, changed by a
    panel with members and a date, final, reopened, proposed again), the second proposed, the
    rest not started."""
    team = make_team()
    first, second = team.indicators[:2]
    lead, member = team.lead, team.member
    common = {"inspection": team.inspection}
    services.evaluation_propose(
        **common, quality_indicator=first, by=member, level=team.level(4), rationale="Solid."
    )
    services.evaluation_panel(
        **common,
        quality_indicator=first,
        by=lead,
        outcome="changed",
        level=team.level(3),
        reason="Too generous.",
        panel_members=[lead, member],
        panel_date=PANEL_DAY,
    )
    services.evaluation_finalise(**common, quality_indicator=first, by=lead)
    services.evaluation_reopen(**common, quality_indicator=first, by=lead, reason="New evidence.")
    services.evaluation_propose(
        **common, quality_indicator=first, by=member, level=team.level(5), rationale="Better."
    )
    services.evaluation_propose(
        **common, quality_indicator=second, by=member, level=team.level(2), rationale="Weak."
    )
    return team


def test_evaluations_are_serialised_exactly_as_their_declared_fields_give_them():
    team = chains_with_every_step()
    chains = report_selectors.evaluation_chains(user=team.lead, inspection=team.inspection)
    assert any(c.links for c in chains) and any(not c.links for c in chains)

    fast = report_api.EvaluationSerializer(chains, many=True).data
    # DRF's own field-by-field serialising, which the written-out version must match.
    link_serializer = report_api.EvaluationLinkSerializer()
    chain_serializer = report_api.EvaluationSerializer()
    for chain, data in zip(chains, fast, strict=True):
        slow = serializers.Serializer.to_representation(chain_serializer, chain)
        slow["chain"] = [
            serializers.ModelSerializer.to_representation(link_serializer, link)
            for link in chain.links
        ]
        assert data == slow
        assert JSONRenderer().render(data) == JSONRenderer().render(slow)  # byte for byte
    panel = next(link for link in fast[0]["chain"] if link["stage"] == "panel")
    assert panel["panel_date"] == PANEL_DAY.isoformat()
    assert [m["full_name"] for m in panel["panel_members"]] == sorted(
        [team.lead.full_name, team.member.full_name]
    )


def test_the_evaluations_list_takes_the_same_queries_however_many_inspections():
    admin = factories.administrator()
    client = api(admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(EVALUATIONS, {"page_size": 200})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    chains_with_every_step()
    few = count()
    for _ in range(3):
        chains_with_every_step()
    assert count() == few
