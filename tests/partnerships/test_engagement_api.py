"""/api/v1/engagements/, /api/v1/link-risks/ and /api/v1/good-practice/: writes through the
API (201/200), field errors (400), stale versions (409), outsiders (404 and empty lists), readers
who may not write (403), filters, and list queries that do not grow with the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from partnerships.models import Engagement, LinkRisk
from tests import factories
from tests.partnerships import engagement_helpers as h

pytestmark = pytest.mark.django_db

ENGAGEMENTS = "/api/v1/engagements/"
RISKS = "/api/v1/link-risks/"
GOOD_PRACTICE = "/api/v1/good-practice/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def area():
    return h.area_and_partnership("Northshire")


@pytest.fixture
def link(area):
    return h.follower(area[0])


def test_the_link_inspector_records_an_engagement_a_risk_and_closes_it(area, link):
    partnership = area[1]
    client = api(link)
    created = client.post(
        ENGAGEMENTS,
        {
            "partnership": partnership.pk,
            "engaged_on": h.days_ago(4).isoformat(),
            "kind": "meeting",
            "areas": [a.pk for a in h.activity_areas(1, 4)],
            "notes": "Met the chief officer.",
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    engagement = created.data
    assert engagement["partnership"] == partnership.pk and engagement["local_authority"] is None
    assert [a["number"] for a in engagement["areas"]] == [1, 4]
    assert engagement["recorded_by"] == link.pk and engagement["version"] == 1

    risk = client.post(
        RISKS,
        {
            "engagement": engagement["id"],
            "title": "Care at home capacity",
            "likely_impact": "People stay in hospital longer than they need to.",
        },
        format="json",
    )
    assert risk.status_code == 201, risk.data
    assert risk.data["status"] == "open" and risk.data["engagements"] == [engagement["id"]]
    assert risk.data["identified_on"] == h.days_ago(4).isoformat()

    incomplete = client.post(
        f"{RISKS}{risk.data['id']}/close/", {"version": risk.data["version"]}, format="json"
    )
    assert incomplete.status_code == 400
    assert set(incomplete.data) >= {"closed_on", "closing_note"}
    closed = client.post(
        f"{RISKS}{risk.data['id']}/close/",
        {
            "version": risk.data["version"],
            "closed_on": h.today().isoformat(),
            "closing_note": "New providers commissioned.",
        },
        format="json",
    )
    assert closed.status_code == 200 and closed.data["status"] == "closed"
    stale = client.post(
        f"{RISKS}{risk.data['id']}/reopen/",
        {"version": risk.data["version"], "reason": "Providers withdrew."},
        format="json",
    )
    assert stale.status_code == 409 and stale.data["current_version"] == closed.data["version"]


def test_bad_input_is_a_400_with_field_errors(area, link):
    response = api(link).post(
        ENGAGEMENTS,
        {
            "local_authority": area[0].pk,
            "partnership": area[1].pk,
            "engaged_on": "yesterday",
            "kind": "lunch",
            "areas": [],
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"engaged_on", "kind"} <= set(response.data)
    both = api(link).post(
        ENGAGEMENTS,
        {
            "local_authority": area[0].pk,
            "partnership": area[1].pk,
            "engaged_on": h.today().isoformat(),
            "kind": "visit",
            "areas": [h.activity_areas(1)[0].pk],
        },
        format="json",
    )
    assert both.status_code == 400 and "subject" in both.data


def test_updates_need_the_version_and_a_stale_one_is_a_409(area, link):
    engagement = h.engagement(link, local_authority=area[0])
    client = api(link)
    missing = client.patch(f"{ENGAGEMENTS}{engagement.pk}/", {"notes": "x"}, format="json")
    assert missing.status_code == 400 and "version" in missing.data
    ok = client.patch(
        f"{ENGAGEMENTS}{engagement.pk}/",
        {"version": 1, "notes": "Revised.", "areas": [h.activity_areas(6)[0].pk]},
        format="json",
    )
    assert ok.status_code == 200 and ok.data["notes"] == "Revised."
    assert [a["number"] for a in ok.data["areas"]] == [6]
    stale = client.patch(
        f"{ENGAGEMENTS}{engagement.pk}/", {"version": 1, "notes": "Old."}, format="json"
    )
    assert stale.status_code == 409 and stale.data["current_version"] == 2


def test_delete_archives(area, link):
    engagement = h.engagement(link, local_authority=area[0])
    response = api(link).delete(f"{ENGAGEMENTS}{engagement.pk}/?version=1&reason=Duplicate")
    assert response.status_code == 200 and response.data["archived_at"]
    assert Engagement.objects.filter(pk=engagement.pk).exists()
    assert api(link).get(ENGAGEMENTS).data["count"] == 0
    assert api(link).get(f"{ENGAGEMENTS}?archived=true").data["count"] == 1


def test_outsiders_get_404_and_empty_lists_readers_get_403_on_writes(area, link):
    engagement = h.engagement(link, partnership=area[1])
    risk = h.risk(link, engagement)
    outsider = api(factories.inspector())
    assert outsider.get(ENGAGEMENTS).data["count"] == 0
    assert outsider.get(f"{ENGAGEMENTS}{engagement.pk}/").status_code == 404
    assert outsider.get(f"{RISKS}{risk.pk}/").status_code == 404
    naming_hidden = outsider.post(
        RISKS,
        {"engagement": engagement.pk, "title": "T", "likely_impact": "I"},
        format="json",
    )
    assert naming_hidden.status_code == 400 and "engagement" in naming_hidden.data

    director = api(factories.senior(Role.DIRECTOR))
    assert director.get(f"{RISKS}{risk.pk}/").status_code == 200
    refused = director.patch(f"{RISKS}{risk.pk}/", {"version": 1, "title": "X"}, format="json")
    assert refused.status_code == 403
    assert LinkRisk.objects.get(pk=risk.pk).title == risk.title


def test_filters_are_checked_and_applied(area, link):
    h.engagement(link, local_authority=area[0], kind="visit")
    h.engagement(link, partnership=area[1], kind="meeting")
    client = api(link)
    assert client.get(f"{ENGAGEMENTS}?kind=visit").data["count"] == 1
    assert client.get(f"{ENGAGEMENTS}?local_authority={area[0].pk}").data["count"] == 2
    assert client.get(f"{ENGAGEMENTS}?partnership={area[1].pk}").data["count"] == 1
    assert client.get(f"{ENGAGEMENTS}?kind=lunch").status_code == 400
    assert client.get(f"{ENGAGEMENTS}?archived=perhaps").status_code == 400
    oldest = client.get(f"{ENGAGEMENTS}?ordering=date").data["results"]
    assert len(oldest) == 2


def test_good_practice_search_and_sharing(area, link):
    item = h.good_practice(link, h.engagement(link, local_authority=area[0]))
    client = api(link)
    shared = client.patch(
        f"{GOOD_PRACTICE}{item.pk}/", {"version": item.version, "status": "shared"}, format="json"
    )
    assert shared.status_code == 200 and shared.data["shared_on"] == h.today().isoformat()
    everyone = api(factories.inspector())
    found = everyone.get(f"{GOOD_PRACTICE}?q=peer+mentoring").data
    assert found["count"] == 1 and found["results"][0]["engagements"] == []
    assert everyone.get(f"{GOOD_PRACTICE}?q=peer+outreach").data["count"] == 0
    assert everyone.get(f"{GOOD_PRACTICE}?service_area=adults").data["count"] == 0


@pytest.mark.parametrize("endpoint", [ENGAGEMENTS, RISKS, GOOD_PRACTICE])
def test_lists_run_the_same_number_of_queries_whatever_their_length(area, endpoint):
    admin = factories.administrator()
    client = api(admin)

    def grow(count: int) -> None:
        for i in range(count):
            engagement = h.engagement(admin, partnership=area[1], notes=f"Engagement {i}")
            h.risk(admin, engagement, title=f"Risk {i}")
            h.good_practice(admin, engagement, title=f"Practice {i}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(endpoint).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    small = queries()
    grow(6)
    assert queries() == small
