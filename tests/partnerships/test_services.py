"""Partnership services: link-inspector assignments, contact permissions, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import AreaAssignment, AreaRole, LocalAuthority
from partnerships.policies import contact_policy
from partnerships.services import (
    OVERLAPPING_LINK_INSPECTOR_MESSAGE,
    area_assignment_create,
    area_assignment_end,
    area_permissions_sync_all,
    contact_create,
    partnership_update,
)
from scrutiny.services import ConflictError
from tests import factories

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 4, 1)


@pytest.fixture
def fife_council():
    return LocalAuthority.objects.get(name="Fife")


def test_a_council_area_has_one_current_link_inspector(admin_user, fife_council):
    first, second = factories.inspector(), factories.inspector(full_name="Second Person")
    area_assignment_create(
        by=admin_user,
        user=first,
        local_authority=fife_council,
        role="link_inspector",
        started_on=START,
    )
    with pytest.raises(ValidationError) as exc:
        area_assignment_create(
            by=admin_user,
            user=second,
            local_authority=fife_council,
            role="link_inspector",
            started_on=START + datetime.timedelta(days=30),
        )
    assert exc.value.messages == [
        OVERLAPPING_LINK_INSPECTOR_MESSAGE.format(area="Fife", name=first)
    ]


def test_the_database_also_refuses_two_open_link_inspectors(fife_council):
    factories.AreaAssignmentFactory(local_authority=fife_council)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AreaAssignmentFactory(local_authority=fife_council)


def test_handover_keeps_history(admin_user, fife_council):
    first, second = factories.inspector(), factories.inspector()
    old = area_assignment_create(
        by=admin_user,
        user=first,
        local_authority=fife_council,
        role="link_inspector",
        started_on=START,
    )
    area_assignment_end(assignment=old, by=admin_user, ended_on=datetime.date(2025, 9, 30))
    area_assignment_create(
        by=admin_user,
        user=second,
        local_authority=fife_council,
        role="link_inspector",
        started_on=datetime.date(2025, 10, 1),
    )
    assignments = AreaAssignment.objects.filter(local_authority=fife_council)
    assert assignments.count() == 2
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2025, 9, 30)
    assert [h.history_user for h in old.history.all()] == [admin_user, admin_user]


def test_several_relationship_managers_may_follow_one_area(admin_user, fife_council):
    for _ in range(2):
        area_assignment_create(
            by=admin_user,
            user=factories.inspector(),
            local_authority=fife_council,
            role=AreaRole.RELATIONSHIP_MANAGER,
            started_on=START,
        )
    assert fife_council.assignments.count() == 2


def test_inspector_cannot_assign(inspector_user, fife_council):
    with pytest.raises(PermissionDenied):
        area_assignment_create(
            by=inspector_user,
            user=inspector_user,
            local_authority=fife_council,
            role="link_inspector",
            started_on=START,
        )


def test_link_inspector_gets_and_loses_contact_management_through_guardian(
    admin_user, fife, fife_council
):
    link = factories.inspector()
    outsider = factories.inspector()
    assert not contact_policy.can_add(link, fife)
    assignment = area_assignment_create(
        by=admin_user,
        user=link,
        local_authority=fife_council,
        role="link_inspector",
        started_on=START,
    )
    link = type(link).objects.get(pk=link.pk)  # fresh permission cache
    assert contact_policy.can_add(link, fife)
    assert not contact_policy.can_add(outsider, fife)
    contact = contact_create(partnership=fife, by=link, role="chief_officer", name="A Person")
    assert contact.history.first().history_user == link

    other = factories.PartnershipFactory()
    with pytest.raises(PermissionDenied):
        contact_create(partnership=other, by=link, role="chief_officer", name="Elsewhere")

    area_assignment_end(assignment=assignment, by=admin_user, ended_on=START)
    area_permissions_sync_all(on=START + datetime.timedelta(days=1))
    link = type(link).objects.get(pk=link.pk)
    assert not contact_policy.can_add(link, fife)


def test_stale_update_raises_conflict_and_changes_nothing(admin_user, fife):
    partnership_update(partnership=fife, by=admin_user, expected_version=1, changes={"notes": "a"})
    with pytest.raises(ConflictError) as exc:
        partnership_update(
            partnership=fife, by=admin_user, expected_version=1, changes={"notes": "b"}
        )
    assert exc.value.current_version == 2
    fife.refresh_from_db()
    assert fife.notes == "a"


def test_non_administrator_cannot_update_reference_data(inspector_user, fife):
    with pytest.raises(PermissionDenied):
        partnership_update(
            partnership=fife, by=inspector_user, expected_version=1, changes={"name": "X"}
        )
