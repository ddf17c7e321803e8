"""The improvement models in the admin site: support providers are reference data
administrators edit; progress reviews and improvement support are case records; a plan's
revisions are shown read-only on the plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement import services
from improvement.models import SupportProvider
from inspections.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["progressreview", "supportprovider", "improvementsupport", "improvementplan"]
)
def test_administrators_see_the_changelists(admin_client, model):
    response = admin_client.get(reverse(f"admin:improvement_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_administrator_adds_a_support_provider_with_its_author_in_history(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:improvement_supportprovider_add"),
        {"name": "Regional collaborative", "description": "", "active": "on"},
    )
    assert response.status_code == 302
    provider = SupportProvider.objects.get(name="Regional collaborative")
    assert provider.active
    assert provider.history.first().history_user == admin_user
    changelist = admin_client.get(reverse("admin:improvement_supportprovider_changelist"))
    assert "Regional collaborative" in changelist.content.decode()


def test_plan_revisions_are_read_only_on_the_plan(admin_client, inspection, lead, partnership):
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()
    plan = services.plan_create(
        by=lead, partnership=partnership, inspection=inspection, title="Joint plan"
    )
    services.action_create(
        by=lead,
        plan=plan,
        description="Audit case files",
        owner_name="Ann",
        owner_organisation="Council",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    plan = services.plan_agree(
        plan=plan,
        by=lead,
        expected_version=plan.version,
        agreed_on=timezone.localdate(),
        agreed_by="Chair",
    )
    services.plan_update(
        plan=plan,
        by=lead,
        expected_version=plan.version,
        title="Joint plan (revised)",
        revision_reason="The board asked for a clearer title",
    )
    response = admin_client.get(reverse("admin:improvement_improvementplan_change", args=[plan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "The board asked for a clearer title" in body
    assert 'name="revisions-0-reason"' not in body  # shown, not editable
    assert 'name="revisions-MAX_NUM_FORMS" value="0"' in body  # none can be added here


def test_inspector_cannot_edit_support_providers(inspector_client):
    response = inspector_client.get(reverse("admin:improvement_supportprovider_changelist"))
    assert response.status_code == 302
