"""The report's models in the admin site: findings and comments audited and archived, the
evaluation chain and published versions read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import Finding
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = ["finding", "factualaccuracycomment", "evaluationlink", "publishedversion"]


@pytest.mark.parametrize("model", MODELS)
def test_administrators_search_the_report_models(admin_client, model):
    response = admin_client.get(reverse(f"admin:inspections_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_the_chain_is_read_only_in_the_admin_site(admin_client, team):
    final = factories.final_evaluation(team.inspection, team.indicators[0], team.lead)
    url = reverse("admin:inspections_evaluationlink_change", args=[final.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url, {"stage": "proposed"}).status_code == 403
    assert admin_client.get(reverse("admin:inspections_evaluationlink_add")).status_code == 403


def test_changing_an_agreed_finding_in_the_admin_site_returns_it_to_draft(
    admin_client, admin_user, team
):
    finding = factories.FindingFactory(inspection=team.inspection, text="Before")
    factories.satisfy_report_gates(team.inspection, team.lead)
    finding.refresh_from_db()
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    data = {
        "kind": finding.kind,
        "text": "After",
        "quality_indicators": [qi.pk for qi in finding.quality_indicators.all()],
        "seen_version": finding.version,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    finding = Finding.objects.get(pk=finding.pk)
    assert (finding.text, finding.status, finding.agreed_by) == ("After", "draft", None)
    assert finding.history.latest().history_user == admin_user
