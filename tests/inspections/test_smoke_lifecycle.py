import datetime

import pytest

from inspections import services
from inspections.models import Milestone
from tests import factories

pytestmark = pytest.mark.django_db


def test_smoke(admin_user):
    inspection, lead = factories.inspection_with_team()
    factories.EvidenceActivityFactory(inspection=inspection, status="complete")
    on = datetime.date(2026, 1, 5)
    inspection = services.inspection_transition(
        inspection=inspection, by=lead, to_status="notified", on=on
    )
    assert Milestone.objects.filter(inspection=inspection).count() == 11
    inspection = services.inspection_transition(
        inspection=inspection, by=lead, to_status="evidence_gathering", on=on
    )
    inspection.fieldwork_starts_on = on
    inspection.save()
    for status in (
        "fieldwork",
        "evaluation",
        "report_drafting",
        "factual_accuracy",
        "published",
        "improvement_plan_agreed",
        "closed",
    ):
        inspection = services.inspection_transition(
            inspection=inspection, by=lead, to_status=status, on=on
        )
    assert inspection.status == "closed"
