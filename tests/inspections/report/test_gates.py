"""The report's stage gates: into report drafting (every indicator in scope has a final grade,
every finding is agreed) and into publication (every factual accuracy comment answered, and
the grades and findings still final and agreed). A refused step lists what is missing."""

from __future__ import annotations

import datetime

import pytest

from inspections import lifecycle
from inspections import services as inspection_services
from inspections.models import InspectionStatus, PublishedVersion
from inspections.report import gates, services
from tests import factories

from .conftest import make_team

pytestmark = pytest.mark.django_db

S = InspectionStatus
ON = datetime.date(2026, 4, 6)


def move(team, status):
    return inspection_services.inspection_transition(
        inspection=team.inspection, by=team.lead, to_status=status, on=ON
    )


def refused(team, status) -> list[str]:
    with pytest.raises(inspection_services.TransitionRefused) as exc:
        move(team, status)
    return list(exc.value.messages)


def test_the_gates_are_registered():
    assert lifecycle.gates_for(S.REPORT_DRAFTING) == [
        gates.evaluations_final,
        gates.findings_agreed,
    ]
    assert lifecycle.gates_for(S.PUBLISHED) == [
        gates.comments_answered,
        gates.evaluations_still_final,
        gates.findings_still_agreed,
    ]


def test_report_drafting_lists_indicators_without_a_final_grade_and_draft_findings():
    team = make_team(status="evaluation")
    first, second, *rest = team.indicators
    factories.final_evaluation(team.inspection, first, team.lead)
    # One half-way through moderation: proposed and moderated, not final.
    services.evaluation_propose(
        inspection=team.inspection,
        quality_indicator=second,
        by=team.member,
        level=team.level(4),
        rationale="x",
    )
    drafts = [
        factories.FindingFactory(inspection=team.inspection, text=f"Draft {n}") for n in (1, 2)
    ]
    agreed = factories.FindingFactory(inspection=team.inspection, text="Agreed")
    services.finding_agree(finding=agreed, by=team.lead, expected_version=1)
    gone = factories.FindingFactory(inspection=team.inspection, text="Archived draft")
    services.finding_archive(finding=gone, by=team.lead, reason="Duplicate")

    missing = [second, *rest]
    expected = [
        gates.NEEDS_FINAL_EVALUATIONS.format(
            count=len(missing), indicators=gates.listed(str(qi) for qi in missing)
        ),
        gates.FINDINGS_IN_DRAFT.format(count=2, findings=gates.listed(str(f) for f in drafts)),
    ]
    assert lifecycle.unmet_conditions(team.inspection, S.REPORT_DRAFTING) == expected
    assert refused(team, S.REPORT_DRAFTING) == expected
    assert "Achieving outcomes" not in expected[0]  # the graded indicator is not listed
    team.reload()
    assert team.inspection.status == S.EVALUATION

    factories.satisfy_report_gates(team.inspection, team.lead)
    assert move(team, S.REPORT_DRAFTING).status == S.REPORT_DRAFTING


def test_long_lists_name_five_and_count_the_rest():
    assert gates.listed(["a", "b", "c", "d", "e", "f", "g"]) == "a; b; c; d; e and 2 more"
    assert gates.listed(["a"]) == "a"


def test_publication_lists_comments_without_a_response():
    team = make_team(status="factual_accuracy")
    factories.satisfy_report_gates(team.inspection, team.lead)
    open_ = [
        services.fa_comment_create(
            inspection=team.inspection, by=team.member, report_reference=ref, comment="Wrong"
        )
        for ref in ("Page 3", "Page 7")
    ]
    answered = services.fa_comment_create(
        inspection=team.inspection, by=team.member, report_reference="Page 9", comment="Wrong"
    )
    services.fa_comment_respond(
        comment=answered, by=team.lead, expected_version=1, response="accepted"
    )
    withdrawn = services.fa_comment_create(
        inspection=team.inspection, by=team.member, report_reference="Page 11", comment="x"
    )
    services.fa_comment_archive(comment=withdrawn, by=team.lead, reason="Withdrawn by them")

    assert refused(team, S.PUBLISHED) == [
        gates.COMMENTS_WITHOUT_RESPONSE.format(count=2, references="Page 3; Page 7")
    ]
    assert not PublishedVersion.objects.exists()

    for comment in open_:
        services.fa_comment_respond(
            comment=comment,
            by=team.lead,
            expected_version=comment.version,
            response="not_accepted",
            response_text="The figure is right.",
        )
    assert move(team, S.PUBLISHED).status == S.PUBLISHED
    assert PublishedVersion.objects.get().number == 1


def test_publication_also_needs_the_grades_and_findings_still_final_and_agreed():
    team = make_team(status="factual_accuracy")
    factories.satisfy_report_gates(team.inspection, team.lead)
    qi = team.indicators[0]
    services.evaluation_reopen(
        inspection=team.inspection, quality_indicator=qi, by=team.lead, reason="New evidence"
    )
    finding = factories.FindingFactory(inspection=team.inspection, text="Late finding")

    assert refused(team, S.PUBLISHED) == [
        gates.NEEDS_FINAL_EVALUATIONS.format(count=1, indicators=str(qi)),
        gates.FINDINGS_IN_DRAFT.format(count=1, findings=str(finding)),
    ]


def test_an_inspection_with_nothing_in_scope_has_nothing_to_grade():
    team = make_team(status="evaluation", quality_indicators=[])
    assert lifecycle.unmet_conditions(team.inspection, S.REPORT_DRAFTING) == []


def test_the_overview_shows_the_unmet_report_conditions(client):
    team = make_team(status="evaluation")
    client.force_login(team.lead)
    response = client.get(f"/inspections/{team.inspection.pk}/")
    step = next(s for s, _ in response.context["steps"].main if s.status == S.REPORT_DRAFTING)
    assert step.unmet[0].startswith("Finalise the evaluation of every quality indicator")


def test_the_factual_accuracy_check_may_send_a_report_in_rework_back_to_drafting():
    team = make_team(status="factual_accuracy")
    factories.satisfy_report_gates(team.inspection, team.lead)
    finding = factories.FindingFactory(inspection=team.inspection, text="Being reworked")
    assert move(team, S.REPORT_DRAFTING).status == S.REPORT_DRAFTING
    assert move(team, S.FACTUAL_ACCURACY).status == S.FACTUAL_ACCURACY
    assert refused(team, S.PUBLISHED) == [
        gates.FINDINGS_IN_DRAFT.format(count=1, findings=str(finding))
    ]
    services.finding_agree(finding=finding, by=team.lead, expected_version=1)
    assert move(team, S.PUBLISHED).status == S.PUBLISHED
