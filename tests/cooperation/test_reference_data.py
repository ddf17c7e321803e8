"""The meeting types loaded from reference/cooperation_meetings.csv, and the admin site."""

import pytest
from django.urls import reverse

from accounts.roles import ROLE_GROUP_NAMES, Role
from cooperation.models import MeetingType
from scrutiny.reference import read_reference
from tests.cooperation import factories

pytestmark = pytest.mark.django_db


def test_the_framework_meeting_types_are_loaded_with_their_frequency():
    types = {t.code: t for t in MeetingType.objects.all()}
    assert {code: (t.name, t.frequency, t.gap_period) for code, t in types.items()} == {
        "chairs_and_chief_executives": ("Chairs and chief executives", "quarterly", "quarter"),
        "senior_executive_teams": ("Senior executive teams", "more_often", None),
        "boards": ("Boards", "annual", "year"),
        "directors": ("Directors", "regular", None),
    }
    assert types["chairs_and_chief_executives"].source_paragraph == "23"
    assert "horizon scan" in types["senior_executive_teams"].purpose
    assert len(read_reference("cooperation_meetings.csv")) == len(types)


def test_the_loaded_meeting_types_have_history():
    record = MeetingType.objects.get(code="boards").history.get()
    assert record.history_change_reason == "Loaded from reference data"


def test_roles_that_keep_the_log_hold_its_permissions():
    from django.contrib.auth.models import Group

    def perms(role):
        group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
        return {p.codename for p in group.permissions.all()}

    assert {"add_meeting", "change_escalation"} <= perms(Role.DIRECTOR)
    assert "add_logreview" in perms(Role.CHIEF_EXECUTIVE)
    assert "add_logreview" not in perms(Role.DIRECTOR)
    assert {"delete_sharedrisk", "change_meetingtype"} <= perms(Role.ADMINISTRATOR)
    assert not {p for p in perms(Role.INSPECTOR) if "meeting" in p}


@pytest.mark.parametrize(
    "model",
    [
        "meetingtype",
        "meeting",
        "meetingaction",
        "meetingattachment",
        "meetingattachmentdownload",
        "nosurprisesnotice",
        "escalation",
        "logreview",
        "sharedrisk",
    ],
)
def test_every_model_has_a_searchable_changelist(admin_client, model):
    factories.escalation()
    factories.MitigationFactory()
    factories.MeetingActionFactory()
    response = admin_client.get(reverse(f"admin:cooperation_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_an_administrator_changes_a_meeting_types_frequency(admin_client, admin_user):
    meeting_type = MeetingType.objects.get(code="directors")
    url = reverse("admin:cooperation_meetingtype_change", args=[meeting_type.pk])
    data = {
        "code": meeting_type.code,
        "name": meeting_type.name,
        "who": meeting_type.who,
        "frequency": "quarterly",
        "purpose": meeting_type.purpose,
        "source_paragraph": meeting_type.source_paragraph,
        "order": meeting_type.order,
        "seen_version": meeting_type.version,
    }
    assert admin_client.post(url, data).status_code == 302
    meeting_type.refresh_from_db()
    assert meeting_type.gap_period == "quarter"
    assert meeting_type.history.first().history_user == admin_user
