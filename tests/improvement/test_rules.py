"""The framework's rules and the reference data loaded by migration."""

import pytest

from improvement import rules, selectors
from improvement.models import (
    ImprovementCondition,
    ImprovementCriterion,
    SupportLevel,
    SupportLevelAspect,
)


@pytest.mark.parametrize(
    ("conditions_met", "level"),
    [
        (0, rules.DIRECTED),
        (1, rules.DIRECTED),
        (2, rules.ASSISTED),
        (3, rules.COMMISSIONED),
        (4, rules.LOCAL_LED),
        (5, rules.LOCAL_LED),
    ],
)
def test_level_for_each_number_of_conditions_met(conditions_met, level):
    assert rules.level_for_conditions(conditions_met) == level


@pytest.mark.parametrize(("criteria", "met"), [(0, False), (1, False), (2, True), (3, True)])
def test_a_condition_is_met_with_two_of_three_criteria(criteria, met):
    assert rules.condition_met(criteria) is met


@pytest.mark.parametrize(
    ("values", "suspended", "level"),
    [
        ([5, 4, 1], False, rules.DIRECTED),
        ([5, 5], True, rules.DIRECTED),
        ([], True, rules.DIRECTED),
        ([4, 2, 3], False, rules.ASSISTED),
        ([3, 4], False, rules.COMMISSIONED),
        ([4, 6, 5], False, rules.LOCAL_LED),
        ([], False, None),
    ],
)
def test_level_signalled_by_evaluations(values, suspended, level):
    assert rules.level_for_evaluations(values, suspended=suspended) == level


def test_reference_data_is_loaded(db):
    assert ImprovementCondition.objects.count() == 5
    assert ImprovementCriterion.objects.count() == 15
    assert [c.criteria.count() for c in ImprovementCondition.objects.all()] == [3, 3, 3, 3, 3]
    assert list(SupportLevel.objects.values_list("order", "name")) == [
        (1, "Local partnership led improvement"),
        (2, "Commissioned improvement support"),
        (3, "Assisted improvement support"),
        (4, "Directed improvement support"),
    ]
    assert SupportLevelAspect.objects.count() == 57
    situations = SupportLevelAspect.objects.filter(kind="situation")
    assert situations.count() == 13
    assert not situations.filter(layout_reading=False).exists()
    assert not SupportLevelAspect.objects.exclude(kind="situation").filter(layout_reading=True)
    assert ImprovementCondition.objects.first().history.count() == 1
    assert set(selectors.levels_by_order()) == {1, 2, 3, 4}
