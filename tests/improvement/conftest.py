"""Fixtures for the improvement tests: an inspection with its team, the partnership's link
inspector, a director and an outsider, and a helper to record assessments."""

import pytest

from accounts.roles import Role
from improvement import services
from improvement.models import ImprovementCriterion
from tests import factories


@pytest.fixture
def inspection(db):
    inspection, _lead = factories.inspection_with_team()
    return inspection


@pytest.fixture
def partnership(inspection):
    return inspection.partnership


@pytest.fixture
def lead(inspection):
    return inspection.team.get(role="lead_inspector").user


@pytest.fixture
def team_member(inspection):
    return inspection.team.filter(role="inspector").first().user


@pytest.fixture
def link_inspector(partnership):
    user = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    factories.AreaAssignmentFactory(
        user=user, local_authority=partnership.local_authorities.first()
    )
    return user


@pytest.fixture
def director(db):
    return factories.senior(Role.DIRECTOR, "CI")


@pytest.fixture
def outsider(db):
    return factories.inspector(full_name="Olive Outsider")


def judgements_for(met_per_condition: list[int]) -> dict[int, tuple[bool, str]]:
    """Judgements with this many criteria met in conditions 1 to 5."""
    result = {}
    for number, met in enumerate(met_per_condition, start=1):
        criteria = ImprovementCriterion.objects.filter(condition__number=number).order_by("order")
        for i, criterion in enumerate(criteria):
            result[criterion.pk] = (i < met, f"Evidence for {criterion.number}")
    return result


@pytest.fixture
def record_assessment(partnership, inspection, lead):
    def record(met_per_condition=(3, 3, 3, 3, 3), *, with_inspection=True, by=None):
        return services.assessment_create(
            by=by or lead,
            partnership=partnership,
            inspection=inspection if with_inspection else None,
            assessed_on=factories._today(),
            judgements=judgements_for(list(met_per_condition)),
        )

    return record
