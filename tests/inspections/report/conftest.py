"""Fixtures for the report's tests: an inspection with a team (a lead inspector and a member
cleared to see the evidence), people around it, and helpers that move it along."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from accounts.models import User
from inspections.models import (
    EvaluationLevel,
    Inspection,
    QualityIndicator,
    RecordAnswer,
)
from inspections.services import inspection_permissions_sync
from tests import factories

PROGRAMME = "justice_cpo"  # five indicators on the six-point scale
PANEL_DAY = datetime.date(2026, 3, 20)


@dataclass
class Team:
    inspection: Inspection
    lead: User
    member: User
    indicators: list[QualityIndicator]

    def level(self, value: int) -> EvaluationLevel:
        return self.inspection.programme.evaluation_scale.levels.get(value=value)

    def reload(self) -> Inspection:
        self.inspection = Inspection.objects.select_related("programme").get(pk=self.inspection.pk)
        return self.inspection


def fresh(user: User) -> User:
    """The user as a new request would load them (no permission caches)."""
    return User.objects.get(pk=user.pk)


def make_team(status: str = "evaluation", programme: str = PROGRAMME, **kwargs) -> Team:
    inspection = factories.InspectionFactory(
        programme=factories.programme(programme), status=status, **kwargs
    )
    lead = factories.lead_inspector(full_name="Lesley Lead", agency=inspection.lead_agency)
    member = factories.inspector(full_name="Morven Member", agency=inspection.lead_agency)
    factories.TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
    factories.TeamMemberFactory(inspection=inspection, user=member, role="inspector")
    inspection_permissions_sync(inspection=inspection)
    indicators = list(inspection.quality_indicators.order_by("order", "number", "pk"))
    return Team(inspection, fresh(lead), fresh(member), indicators)


@pytest.fixture
def team(db) -> Team:
    return make_team()


@pytest.fixture
def outsider(db) -> User:
    return factories.inspector(full_name="Olive Outsider")


def figures_for(inspection: Inspection, yes: int, no: int):
    """A record review template for the inspection's programme, and `yes + no` complete
    records answering its yes/no question. Returns (yes/no question, text question)."""
    template, questions = factories.record_template(inspection.programme)
    for n in range(yes + no):
        record = factories.ReviewedRecordFactory(
            inspection=inspection, template=template, status="complete"
        )
        RecordAnswer.objects.create(
            record=record, question=questions["yes_no"], value="yes" if n < yes else "no"
        )
    return questions["yes_no"], questions["text"]


def add_answers(inspection: Inspection, question, values: list[str]) -> None:
    template = question.section.template
    for value in values:
        record = factories.ReviewedRecordFactory(
            inspection=inspection, template=template, status="complete"
        )
        RecordAnswer.objects.create(record=record, question=question, value=value)
