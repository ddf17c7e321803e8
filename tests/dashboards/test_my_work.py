"""My work: the inspections an inspector is on, their milestones due and records to read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards import selectors
from inspections.models import Inspection
from tests import factories
from tests.dashboards.conftest import area_partnership, days, live_inspection, team

pytestmark = pytest.mark.django_db


def test_inspections_milestones_and_records_of_the_inspector(client, people):
    partnership = area_partnership(people, 1)
    live_inspection(partnership, people, 1)
    closed = factories.InspectionFactory(
        partnership=partnership, status="closed", title="Closed inspection"
    )
    team(closed, people)

    client.force_login(people.worker)
    response = client.get(reverse("dashboards:my_work"))
    assert response.status_code == 200
    work = response.context["work"]

    (row,) = work.inspections  # not the closed one
    assert row.inspection.title == "Inspection of partnership 1"
    assert row.membership.get_role_display() == "Inspector"
    assert (row.next_milestone.name, row.next_state) == ("Fieldwork ends 1", "overdue")
    assert row.records_to_read == 1
    # Overdue, and due within six weeks; not the one due in two months.
    assert [(m.milestone.name, m.state) for m in work.milestones] == [
        ("Fieldwork ends 1", "overdue"),
        ("Report drafted 1", "due"),
    ]
    # Only the record not yet complete.
    assert [r.reference for r in work.records] == ["SW/00101"]

    body = response.content.decode()
    assert "Inspection of partnership 1" in body and "Closed inspection" not in body
    assert "Fieldwork ends 1" in body and "Report published 1" not in body
    record = work.records[0]
    assert f'href="{reverse("inspections:record_reading_record", args=[record.pk])}"' in body
    assert 'class="ds_tag ds_tag--red">Overdue</strong>' in body


def test_records_of_another_reader_and_milestones_done_are_left_out(people):
    partnership = area_partnership(people, 1)
    inspection = live_inspection(partnership, people, 1)
    someone = factories.inspector()
    factories.TeamMemberFactory(inspection=inspection, user=someone, role="inspector")
    factories.ReviewedRecordFactory(inspection=inspection, reader=someone, reference="SW/999")
    inspection.milestones.filter(name="Fieldwork ends 1").update(completed_on=days(-1))

    work = selectors.my_work(user=people.worker)
    assert [r.reference for r in work.records] == ["SW/00101"]
    assert [m.milestone.name for m in work.milestones] == ["Report drafted 1"]
    assert work.inspections[0].next_state == "due"


def test_a_member_removed_from_the_team_no_longer_sees_the_inspection(people):
    partnership = area_partnership(people, 1)
    inspection = live_inspection(partnership, people, 1)
    from inspections.services import inspection_permissions_sync

    member = inspection.team.get(user=people.worker)
    member.archived_at = member.created_at
    member.save()
    inspection_permissions_sync(inspection=inspection)
    work = selectors.my_work(user=people.worker)
    assert work.inspections == [] and work.milestones == [] and work.records == []


def test_someone_on_no_team_is_told_so(client, people):
    client.force_login(people.outsider)
    response = client.get(reverse("dashboards:my_work"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "You are not on the team of any open inspection." in body
    assert "You have no records to read." in body
    assert Inspection.objects.count() == 0
