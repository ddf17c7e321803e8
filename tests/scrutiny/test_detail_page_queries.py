"""The partnership and inspection pages ask each permission question once per request (see
scrutiny.permissions.per_request): their queries do not grow with the number of inspections the
viewer works on, nor with the number of reports, and stay well under what rebuilding the
visibility filters in every panel cost (45 and 44 queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.services import inspection_permissions_sync
from reports.models import GeneratedReport
from tests import factories

pytestmark = pytest.mark.django_db

PARTNERSHIP_PAGE_MOST = 28
INSPECTION_PAGE_MOST = 28


@pytest.fixture
def setting():
    """A lead inspector leading an unpublished inspection of a partnership (so the page shows
    its team, milestones, next steps and evidence)."""
    partnership = factories.PartnershipFactory(kind="health_and_social_care")
    inspection, lead = factories.inspection_with_team(partnership=partnership, status="planned")
    factories.EvidenceActivityFactory(inspection=inspection)
    return partnership, inspection, lead


def _more_work(partnership, lead, n: int) -> None:
    """n more inspections the lead leads (half of them of this partnership), each with reports
    of every audience; and n more partnership profiles."""
    for k in range(n):
        inspection = factories.InspectionFactory(
            partnership=partnership if k % 2 else factories.PartnershipFactory(),
            status="fieldwork" if k % 3 else "published",
        )
        factories.TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
        inspection_permissions_sync(inspection=inspection)
        for audience in ("general", "unpublished", "evidence"):
            GeneratedReport.objects.create(
                kind="inspection_report",
                inspection=inspection,
                audience=audience,
                status="failed",
                message="Lost.",
                requested_by=lead,
            )
        GeneratedReport.objects.create(
            kind="partnership_profile",
            partnership=partnership,
            audience="general" if k % 2 else "unpublished",
            status="failed",
            message="Lost.",
            requested_by=lead,
        )


def _queries(client, url: str) -> int:
    client.get(url)  # caches that last beyond a request (content types) are warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["partnership", "inspection"])
def test_a_detail_page_costs_the_same_queries_however_much_the_viewer_works_on(
    client, setting, page
):
    partnership, inspection, lead = setting
    client.force_login(lead)
    url = (
        reverse("partnerships:detail", args=[partnership.pk])
        if page == "partnership"
        else reverse("inspections:detail", args=[inspection.pk])
    )
    _more_work(partnership, lead, 1)
    few = _queries(client, url)
    _more_work(partnership, lead, 8)
    many = _queries(client, url)
    assert many == few
    most = PARTNERSHIP_PAGE_MOST if page == "partnership" else INSPECTION_PAGE_MOST
    assert many <= most


def test_the_inspection_page_shows_the_next_steps_from_what_it_has_read(client, setting):
    """The stage gates of the next steps read the team and evidence the page already has."""
    _, inspection, lead = setting
    client.force_login(lead)
    response = client.get(reverse("inspections:detail", args=[inspection.pk]))
    overview = response.context["overview"]
    assert overview.can_lead and overview.next_steps
    assert [m.user for m in overview.team if m.role == "lead_inspector"] == [lead]
    assert len(overview.evidence) == 1
