"""The admin site: every model registered, audited edits, archive instead of delete."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerships.models import AreaAssignment, HealthBoard, LocalAuthority, Partnership
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = (
    ["accounts.agency", "accounts.user"]
    + [
        f"inspections.{m}"
        for m in (
            "programme",
            "qualityindicator",
            "evaluationscale",
            "evaluationlevel",
            "milestonetemplate",
            "inspection",
            "teammember",
            "milestone",
            "evidenceactivity",
            "attachment",
            "statuschange",
            "attachmentdownload",
        )
    ]
    + [
        f"partnerships.{m}"
        for m in ("healthboard", "localauthority", "partnership", "contact", "areaassignment")
    ]
)


@pytest.mark.parametrize("label", MODELS)
def test_every_model_has_a_searchable_changelist(admin_client, label):
    app, model = label.split(".")
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_every_case_model_is_registered():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert set(MODELS) <= registered


def test_inspector_cannot_use_the_admin_site(inspector_client):
    response = inspector_client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_edit_is_audited_with_its_author_and_version_checked(admin_client, admin_user):
    board = HealthBoard.objects.get(name="Fife")
    url = reverse("admin:partnerships_healthboard_change", args=[board.pk])
    data = {"gss_code": board.gss_code, "name": "Fife (renamed)", "seen_version": board.version}
    assert admin_client.post(url, data).status_code == 302
    board.refresh_from_db()
    assert board.name == "Fife (renamed)"
    assert board.version == 2
    assert board.history.first().history_user == admin_user
    # A second save from the same, now stale, form is refused.
    response = admin_client.post(url, dict(data, name="Stale"))
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    board.refresh_from_db()
    assert board.name == "Fife (renamed)"


def test_admin_cannot_delete_but_can_archive(admin_client, admin_user):
    council = LocalAuthority.objects.get(name="Fife")
    assert admin_client.get(
        reverse("admin:partnerships_localauthority_delete", args=[council.pk])
    ).status_code in (302, 403)
    partnership = Partnership.objects.get(kind="hscp", name="Fife")
    response = admin_client.post(
        reverse("admin:partnerships_partnership_changelist"),
        {"action": "archive_selected", "_selected_action": [partnership.pk]},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.archived_by == admin_user


def test_admin_refuses_a_second_current_link_inspector(admin_client):
    council = LocalAuthority.objects.get(name="Fife")
    factories.AreaAssignmentFactory(local_authority=council)
    newcomer = factories.inspector()
    response = admin_client.post(
        reverse("admin:partnerships_areaassignment_add"),
        {
            "user": newcomer.pk,
            "local_authority": council.pk,
            "role": "link_inspector",
            "started_on": "2026-01-05",
            "ended_on": "",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "already has a link inspector" in response.content.decode()
    assert AreaAssignment.objects.filter(local_authority=council).count() == 1


def test_team_changes_in_the_admin_grant_and_revoke_access(admin_client):
    from inspections.models import TeamMember
    from inspections.policies import inspection_policy

    inspection = factories.InspectionFactory()
    newcomer = factories.inspector()
    response = admin_client.post(
        reverse("admin:inspections_teammember_add"),
        {
            "inspection": inspection.pk,
            "user": newcomer.pk,
            "role": "inspector",
            "conflict": "none",
            "conflict_details": "",
            "decision": "not_needed",
            "decision_notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert inspection_policy.can_view_evidence(newcomer, inspection)
    member = TeamMember.objects.get(inspection=inspection, user=newcomer)
    admin_client.post(
        reverse("admin:inspections_teammember_changelist"),
        {"action": "archive_members", "_selected_action": [member.pk]},
    )
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert not inspection_policy.can_view_evidence(newcomer, inspection)
