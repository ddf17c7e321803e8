"""An inspection with a team, a record review template with one question of each type, a
reader on the team and someone who is not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from accounts.roles import Role
from inspections.models import Inspection, RecordReviewTemplate, TemplateQuestion
from inspections.record_reading import services
from tests import factories


@dataclass
class Setting:
    inspection: Inspection
    lead: User
    reader: User
    other_member: User
    outsider: User
    template: RecordReviewTemplate
    questions: dict[str, TemplateQuestion]

    @property
    def choices(self):
        return list(self.questions["choice"].choices.order_by("order"))

    def add_record(self, reference: str = "SW/0001", agency: str = "social_work", reader=None):
        return services.record_add(
            inspection=self.inspection,
            by=self.lead,
            template=self.template,
            reference=reference,
            agency=agency,
            reader=reader if reader is not None else self.reader,
        )

    def full_answers(self, *, yes_no="yes", choice=0, grade=5, text="") -> dict:
        q = self.questions
        return {
            q["yes_no"].pk: yes_no,
            q["choice"].pk: str(self.choices[choice].pk) if isinstance(choice, int) else choice,
            q["six_point"].pk: str(grade),
            q["text"].pk: text,
        }


def fresh(user: User) -> User:
    """The user as a new request loads them (no permission caches)."""
    return User.objects.get(pk=user.pk)


def make_setting() -> Setting:
    inspection, lead = factories.inspection_with_team()
    reader = factories.UserFactory(roles=[Role.INSPECTOR], full_name="Rhona Reader")
    other = factories.UserFactory(roles=[Role.INSPECTOR], full_name="Olly Other")
    from inspections import services as inspection_services

    inspection_services.team_member_add(
        inspection=inspection, by=lead, user=reader, role="record_reader"
    )
    inspection_services.team_member_add(
        inspection=inspection, by=lead, user=other, role="inspector"
    )
    template, questions = factories.record_template(inspection.programme)
    return Setting(
        inspection=inspection,
        lead=fresh(lead),
        reader=fresh(reader),
        other_member=fresh(other),
        outsider=factories.inspector(full_name="Otto Outsider"),
        template=template,
        questions=questions,
    )


@pytest.fixture
def setting(db) -> Setting:
    return make_setting()
