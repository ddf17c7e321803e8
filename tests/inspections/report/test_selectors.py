"""The report's selectors: who reads drafts, the chains and their states, the summaries by
quality indicator (drafts or as published), each in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from inspections import services as inspection_services
from inspections.models import PublishedVersion
from inspections.report import selectors, services
from tests import factories

from .conftest import PANEL_DAY, fresh, make_team

pytestmark = pytest.mark.django_db


def test_drafts_are_read_only_by_those_who_see_unpublished_work(team, outsider):
    finding = factories.FindingFactory(inspection=team.inspection)
    director = factories.senior(code=team.inspection.lead_agency.code)
    for user in (team.lead, team.member, director, factories.administrator()):
        assert list(selectors.findings_for(user=fresh(user), inspection=team.inspection)) == [
            finding
        ]
    assert list(selectors.findings_for(user=outsider, inspection=team.inspection)) == []
    assert list(selectors.finding_list(user=outsider)) == []
    with pytest.raises(Http404):
        selectors.finding_get(user=outsider, pk=finding.pk)
    with pytest.raises(Http404):
        selectors.evaluation_chains(user=outsider, inspection=team.inspection)


def test_findings_are_listed_strengths_first(team):
    kinds = ["good_practice", "recommendation", "strength", "area_for_improvement"]
    for kind in kinds:
        factories.FindingFactory(inspection=team.inspection, kind=kind)
    listed = [f.kind for f in selectors.findings_for(user=team.lead, inspection=team.inspection)]
    assert listed == ["strength", "area_for_improvement", "recommendation", "good_practice"]


def test_each_chain_says_where_it_stands(team):
    first, second, third, *_ = team.indicators
    factories.final_evaluation(team.inspection, first, team.lead, value=5)
    services.evaluation_propose(
        inspection=team.inspection,
        quality_indicator=second,
        by=team.member,
        level=team.level(3),
        rationale="x",
    )
    factories.final_evaluation(team.inspection, third, team.lead, value=4)
    services.evaluation_reopen(
        inspection=team.inspection, quality_indicator=third, by=team.lead, reason="y"
    )

    with CaptureQueriesContext(connection) as ctx:
        chains = selectors.evaluation_chains(user=team.lead, inspection=team.inspection)
        states = [(c.indicator, c.state, c.level and c.level.value) for c in chains]
    assert len(ctx.captured_queries) <= 5
    assert states[:4] == [
        (first, "final", 5),
        (second, "proposed", 3),
        (third, "reopened", None),
        (team.indicators[3], "none", None),
    ]
    assert [c.next_step for c in chains[:4]] == ["reopen", "panel", "propose", "propose"]
    assert chains[0].final_level.value == 5 and chains[1].final_level is None
    assert chains[1].proposal.rationale == "x"


def test_the_summary_is_drafts_for_the_team_and_as_published_for_everyone_else(outsider):
    team = make_team(status="factual_accuracy")
    factories.FindingFactory(inspection=team.inspection, kind="strength")
    factories.FindingFactory(inspection=team.inspection, kind="recommendation")
    assert selectors.report_summary(user=outsider, inspection=team.inspection) is None

    factories.satisfy_report_gates(team.inspection, team.lead)
    inspection_services.inspection_transition(
        inspection=team.inspection, by=team.lead, to_status="published", on=PANEL_DAY
    )
    team.reload()
    # After publication a new draft finding appears: the team sees it, others do not.
    factories.FindingFactory(inspection=team.inspection, kind="good_practice")

    drafts = selectors.report_summary(user=team.member, inspection=team.inspection)
    published = selectors.report_summary(user=outsider, inspection=team.inspection)
    assert (drafts.source, published.source) == ("drafts", "published")
    assert drafts.rows[0].counts == [1, 0, 1, 1]
    assert published.rows[0].counts == [1, 0, 1, 0]
    assert published.rows[0].grade == "4: Good"
    assert published.version == PublishedVersion.objects.get()
    assert drafts.kinds == [
        "Strengths",
        "Areas for improvement",
        "Recommendations",
        "Good practice",
    ]


def test_the_partnership_summary_is_its_latest_published_inspection(outsider):
    older = make_team(status="factual_accuracy")
    factories.satisfy_report_gates(older.inspection, older.lead)
    inspection_services.inspection_transition(
        inspection=older.inspection,
        by=older.lead,
        to_status="published",
        on=datetime.date(2025, 6, 2),
    )
    newer = make_team(status="factual_accuracy", partnership=older.inspection.partnership)
    factories.satisfy_report_gates(newer.inspection, newer.lead)
    inspection_services.inspection_transition(
        inspection=newer.inspection,
        by=newer.lead,
        to_status="published",
        on=datetime.date(2026, 5, 25),
    )
    # A correction of the older one does not make it the latest.
    services.published_correction(inspection=older.inspection, by=older.lead, reason="Typo")

    with CaptureQueriesContext(connection) as ctx:
        summary = selectors.partnership_summary(
            user=outsider, partnership=older.inspection.partnership
        )
    assert len(ctx.captured_queries) == 1
    assert summary.version.inspection == newer.inspection
    assert (
        selectors.partnership_summary(user=outsider, partnership=factories.PartnershipFactory())
        is None
    )
