"""The audit trail: every write records who and what, whatever the entry point."""

import pytest
from django.core.management import call_command

from accounts.models import User
from partnerships.models import AreaAssignment, Contact
from scrutiny.history import history_entries
from scrutiny.services import archive, versioned_update
from tests import factories

pytestmark = pytest.mark.django_db


def test_history_lists_old_and_new_values_with_the_author(admin_user):
    contact = factories.ContactFactory(name="Before")
    versioned_update(contact, by=admin_user, expected_version=1, changes={"name": "After"})
    archive(Contact.objects.get(pk=contact.pk), by=admin_user, reason="Left post")
    entries = history_entries(contact)
    assert [e.action for e in entries] == ["Archived", "Changed", "Created"]
    changed = entries[1]
    assert changed.who.startswith("Ada Administrator")
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("Name", "Before", "After")]
    assert entries[0].reason == "Left post"


def test_foreign_keys_and_choices_show_names_not_ids(admin_user):
    contact = factories.ContactFactory(role="chief_officer")
    versioned_update(contact, by=admin_user, expected_version=1, changes={"role": "lead_officer"})
    change = history_entries(contact)[0].changes[0]
    assert (change.old, change.new) == ("Chief officer", "Lead officer")
    created = history_entries(contact)[-1]
    partnership_row = next(c for c in created.changes if c.field == "Partnership")
    assert partnership_row.new == str(contact.partnership)


def test_commands_record_their_acting_user():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    actor = User.objects.get(email="admin@ci.demo.example")
    assignment = AreaAssignment.objects.filter(user__email="link@ci.demo.example").first()
    assert assignment.history.first().history_user == actor


def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), AreaAssignment.objects.count(), Contact.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), AreaAssignment.objects.count(), Contact.objects.count()) == counts
    assert counts[0] >= 14
    from inspections.models import Inspection

    statuses = sorted(Inspection.objects.values_list("status", flat=True))
    assert statuses == ["fieldwork", "planned", "published"]
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Inspection.objects.count() == 3
    from cooperation.models import Escalation, Meeting

    assert Meeting.objects.count() == 4
    assert Escalation.objects.get().level == "directors"


def test_council_areas_of_a_partnership_are_kept_in_history(admin_user, fife):
    from partnerships.models import LocalAuthority
    from partnerships.services import partnership_update

    kirkcaldy = factories.LocalAuthorityFactory(name="Kirkcaldy (test)")
    partnership_update(
        partnership=fife,
        by=admin_user,
        expected_version=fife.version,
        changes={},
        local_authorities=[LocalAuthority.objects.get(name="Fife"), kirkcaldy],
    )
    entries = history_entries(fife)
    change = next(c for e in entries for c in e.changes if c.field == "Council areas")
    assert (change.old, change.new) == ("Fife", "Fife, Kirkcaldy (test)")
    assert [e.action for e in entries][-1] == "Created"
    assert entries[-1].reason == "Loaded from reference data"
    assert all(e.who.startswith("Ada Administrator") for e in entries[:-1])
