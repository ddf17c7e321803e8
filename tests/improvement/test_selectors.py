"""The recommendation of an assessment: conditions at each boundary, the evaluation signal and
where the two differ."""

import pytest

from improvement import selectors
from inspections.models import InspectionStatus
from tests import factories


@pytest.mark.parametrize(
    ("met_per_condition", "conditions_met", "level"),
    [
        ((0, 0, 0, 0, 0), 0, "Directed improvement support"),
        ((3, 1, 1, 1, 0), 1, "Directed improvement support"),
        ((3, 2, 1, 1, 0), 2, "Assisted improvement support"),
        ((2, 2, 2, 1, 1), 3, "Commissioned improvement support"),
        ((3, 3, 2, 2, 1), 4, "Local partnership led improvement"),
        ((3, 3, 3, 3, 3), 5, "Local partnership led improvement"),
    ],
)
def test_recommended_level_at_each_boundary(
    record_assessment, met_per_condition, conditions_met, level
):
    assessment = selectors._assessments().get(pk=record_assessment(met_per_condition).pk)
    rec = selectors.recommendation(assessment)
    assert rec.conditions_met == conditions_met
    assert rec.level.name == level
    assert rec.complete


def test_exactly_two_of_three_criteria_meet_a_condition(record_assessment):
    assessment = selectors._assessments().get(pk=record_assessment((2, 1, 0, 0, 0)).pk)
    rec = selectors.recommendation(assessment)
    first, second = rec.conditions[0], rec.conditions[1]
    assert (first.criteria_met, first.met) == (2, True)
    assert (second.criteria_met, second.met) == (1, False)
    assert "Met: 1. Self-assess accurately." in rec.reasons


def _grade(inspection, lead, values):
    for indicator, value in zip(inspection.quality_indicators.all(), values, strict=False):
        factories.final_evaluation(inspection, indicator, lead, value=value)


def test_evaluation_signal_and_disagreement(record_assessment, inspection, lead):
    _grade(inspection, lead, [2, 5, 4])
    assessment = selectors._assessments().get(pk=record_assessment().pk)
    rec = selectors.recommendation(assessment)
    assert rec.level.name == "Local partnership led improvement"
    assert rec.evaluation_level.name == "Assisted improvement support"
    assert rec.differs
    assert "assisted improvement support" in rec.disagreement


def test_unsatisfactory_or_suspended_signals_directed(record_assessment, inspection, lead):
    _grade(inspection, lead, [5, 4])
    assessment = selectors._assessments().get(pk=record_assessment().pk)
    assert selectors.recommendation(assessment).evaluation_level.name.startswith("Local")
    inspection.status = InspectionStatus.SUSPENDED
    inspection.save()
    assessment = selectors._assessments().get(pk=assessment.pk)
    assert selectors.recommendation(assessment).evaluation_level.name.startswith("Directed")


def test_without_a_linked_inspection_the_latest_published_one_signals(
    record_assessment, inspection, lead
):
    _grade(inspection, lead, [3, 4])
    assessment = selectors._assessments().get(pk=record_assessment(with_inspection=False).pk)
    assert selectors.recommendation(assessment).evaluation_level is None
    inspection.status = InspectionStatus.PUBLISHED
    inspection.published_on = factories._today()
    inspection.save()
    rec = selectors.recommendation(selectors._assessments().get(pk=assessment.pk))
    assert rec.evaluation_inspection == inspection
    assert rec.evaluation_level.name == "Commissioned improvement support"


def test_unpublished_grades_are_not_used_for_those_who_may_not_see_drafts(
    record_assessment, inspection, lead
):
    from accounts.roles import Role

    _grade(inspection, lead, [2, 5])
    assessment = selectors._assessments().get(pk=record_assessment().pk)
    assert selectors.recommendation(assessment, user=lead).evaluation_level is not None
    hmics_director = factories.senior(Role.DIRECTOR, "HMICS")
    rec = selectors.recommendation(assessment, user=hmics_director)
    assert rec.evaluation_level is None
    assert rec.evaluation_reasons == [selectors.HIDDEN_GRADES_REASON]
