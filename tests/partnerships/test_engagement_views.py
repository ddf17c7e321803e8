"""Link-inspector engagement pages: the log with its filters, sorting, pagination and CSV; the
forms with their error summary and version checks; closing a risk; History; who gets 404 and
403; the link from the partnership page and the navigation; bounded queries."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from partnerships import engagement_services as services
from partnerships.models import Engagement, GoodPractice, LinkRisk
from tests import factories
from tests.partnerships import engagement_helpers as h

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:engagement_list")
ADD = reverse("partnerships:engagement_create")
RISKS = reverse("partnerships:link_risk_list")
GOOD_PRACTICE = reverse("partnerships:good_practice_list")


def url(name: str, obj) -> str:
    return reverse(f"partnerships:{name}", args=[obj.pk])


def body(response) -> str:
    return html.unescape(response.content.decode())


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def area():
    return h.area_and_partnership("Northshire")


@pytest.fixture
def link(area):
    return h.follower(area[0], full_name="Lorna Link")


@pytest.fixture
def recorded(area, link):
    """An engagement with the partnership that found a risk and good practice."""
    engagement = h.engagement(link, partnership=area[1], notes="Visited the carers' centre.")
    return {
        "engagement": engagement,
        "risk": h.risk(link, engagement, title="Carers' assessments delayed"),
        "good_practice": h.good_practice(link, engagement, title="Carers' centre outreach"),
    }


def test_the_link_inspector_records_an_engagement(client, area, link):
    partnership = area[1]
    client.force_login(link)
    page = client.get(f"{ADD}?with=partnership-{partnership.pk}")
    assert page.status_code == 200
    text = body(page)
    assert "Record an engagement" in text
    assert "Monitoring the performance and quality of social work services" in text
    assert "Elsewhere" not in text  # only the areas and partnerships they keep the log of

    response = client.post(
        ADD,
        {
            "subject": f"partnership-{partnership.pk}",
            "engaged_on": h.days_ago(3).isoformat(),
            "kind": "visit",
            "areas": [a.pk for a in h.activity_areas(2, 4)],
            "notes": "Saw the duty team.",
        },
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "engagement_detail", engagement
    )
    assert (engagement.partnership, engagement.kind, engagement.recorded_by) == (
        partnership,
        "visit",
        link,
    )
    detail = body(client.get(response["Location"]))
    assert "The engagement has been recorded." in detail
    assert "Monitoring the performance of partnership public protection arrangements" in detail
    assert "Record a risk found" in detail and "Record good practice found" in detail


def test_a_form_with_mistakes_shows_the_error_summary_and_keeps_the_input(client, area, link):
    client.force_login(link)
    response = client.post(
        ADD,
        {"subject": "", "engaged_on": h.days_ago(-3).isoformat(), "notes": "Kept notes."},
    )
    assert response.status_code == 400
    text = body(response)
    assert "There is a problem" in text
    assert "Choose the council area or partnership the engagement was with." in text
    assert "Choose at least one area of link-inspector activity." in text
    assert "Kept notes." in text
    assert not Engagement.objects.exists()


def test_someone_who_follows_no_area_may_not_open_the_form(client):
    client.force_login(factories.inspector())
    assert client.get(ADD).status_code == 403


def test_the_log_lists_filters_sorts_and_exports(client, area, link, recorded):
    council, partnership = area
    h.engagement(
        link,
        local_authority=council,
        kind="data_review",
        engaged_on=h.days_ago(60),
        notes="Quarterly figures.",
    )
    client.force_login(link)
    text = body(client.get(f"{LIST}?local_authority={council.pk}"))
    assert "Engagement log: Northshire Council" in text
    assert "2 engagements" in text
    assert "1 risk" in text and "1 good practice" in text
    assert f"{ADD}?with=area-{council.pk}" in text

    only_reviews = body(client.get(f"{LIST}?kind=data_review"))
    assert "1 engagement" in only_reviews

    oldest = client.get(f"{LIST}?sort=date")
    rows = oldest.context["rows"]
    assert [r.kind for r in rows] == ["data_review", "meeting"]

    exported = csv_rows(client.get(f"{LIST}?sort=date&format=csv"))
    assert exported[0][:4] == ["Date", "Kind", "Council area", "Partnership"]
    assert exported[1][1] == "Data review" and exported[1][2] == "Northshire Council"
    assert exported[2][3] == str(partnership) and exported[2][7] == "1"


def test_the_log_is_paginated(client, area, link):
    for i in range(27):
        h.engagement(link, local_authority=area[0], notes=f"Engagement {i}")
    client.force_login(link)
    first = client.get(LIST)
    assert len(first.context["rows"]) == 25
    assert "page=2" in body(first)
    assert len(client.get(f"{LIST}?page=2").context["rows"]) == 2


def test_a_risk_found_is_recorded_then_closed_with_a_date_and_a_note(client, area, link):
    engagement = h.engagement(link, partnership=area[1])
    client.force_login(link)
    response = client.post(
        url("link_risk_create", engagement),
        {
            "title": "Delays in adult protection inquiries",
            "description": "",
            "likely_impact": "Adults at risk wait longer for protection.",
            "status": "open",
        },
    )
    risk = LinkRisk.objects.get()
    assert response["Location"] == url("link_risk_detail", risk)
    detail = body(client.get(url("link_risk_detail", risk)))
    assert "Delays in adult protection inquiries" in detail
    assert url("engagement_detail", engagement) in detail  # the engagement that found it
    assert "Close the risk" in detail

    close = url("link_risk_close", risk)
    refused = client.post(close, {"version": risk.version, "closed_on": "", "closing_note": ""})
    assert refused.status_code == 400
    assert "Enter the date the risk was closed." in body(refused)
    assert "Say why the risk can be closed." in body(refused)
    done = client.post(
        close,
        {
            "version": risk.version,
            "closed_on": h.today().isoformat(),
            "closing_note": "Inquiries back within timescale.",
        },
    )
    assert done.status_code == 302
    risk.refresh_from_db()
    assert risk.status == "closed" and risk.closing_note == "Inquiries back within timescale."
    closed = body(client.get(url("link_risk_detail", risk)))
    assert "Reopen the risk" in closed and "Inquiries back within timescale." in closed
    assert client.get(url("link_risk_edit", risk)).status_code == 403
    history = body(client.get(url("link_risk_history", risk)))
    assert "Risk closed" in history and "Lorna Link" in history


def test_a_later_engagement_follows_up_an_earlier_risk(client, area, link, recorded):
    later = h.engagement(link, local_authority=area[0], notes="Follow-up call.")
    client.force_login(link)
    assert "Follow up an earlier risk" in body(client.get(url("engagement_detail", later)))
    response = client.post(url("engagement_follow_risk", later), {"risk": recorded["risk"].pk})
    assert response.status_code == 302
    detail = body(client.get(url("link_risk_detail", recorded["risk"])))
    assert url("engagement_detail", later) in detail


def test_editing_is_version_checked_and_keeps_what_the_user_typed(client, area, link):
    engagement = h.engagement(link, local_authority=area[0])
    services.engagement_update(
        engagement=engagement, by=link, expected_version=1, changes={"notes": "Someone else."}
    )
    client.force_login(link)
    response = client.post(
        url("engagement_edit", engagement),
        {
            "version": 1,
            "engaged_on": engagement.engaged_on.isoformat(),
            "kind": "meeting",
            "areas": [a.pk for a in h.activity_areas(1)],
            "notes": "My version of the notes.",
        },
    )
    assert response.status_code == 400
    text = body(response)
    assert "Someone else changed this record" in text
    assert "My version of the notes." in text and "Someone else." in text
    engagement.refresh_from_db()
    assert engagement.notes == "Someone else."


def test_archive_and_history_of_an_engagement(client, area, link):
    engagement = h.engagement(link, local_authority=area[0])
    client.force_login(link)
    response = client.post(
        url("engagement_archive", engagement), {"version": 1, "reason": "Recorded twice."}
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.archived_at is not None
    assert "0 engagements" in body(client.get(LIST))
    assert "1 engagement" in body(client.get(f"{LIST}?archived=on"))
    history = body(client.get(url("engagement_history", engagement)))
    assert "Archived by Lorna Link" in history and "Recorded twice." in history


def test_others_get_page_not_found_and_see_empty_lists(client, recorded):
    outsider = factories.inspector()
    client.force_login(outsider)
    for name, obj in [
        ("engagement_detail", recorded["engagement"]),
        ("engagement_edit", recorded["engagement"]),
        ("engagement_history", recorded["engagement"]),
        ("link_risk_detail", recorded["risk"]),
        ("link_risk_close", recorded["risk"]),
        ("good_practice_detail", recorded["good_practice"]),
    ]:
        assert client.get(url(name, obj)).status_code == 404, name
    assert "0 engagements" in body(client.get(LIST))
    assert "0 risks" in body(client.get(RISKS))
    assert "0 items of good practice" in body(client.get(GOOD_PRACTICE))


def test_directors_read_but_do_not_change(client, recorded):
    client.force_login(factories.senior(Role.DIRECTOR))
    detail = client.get(url("engagement_detail", recorded["engagement"]))
    assert detail.status_code == 200
    assert "Record a risk found" not in body(detail)
    assert client.get(url("engagement_edit", recorded["engagement"])).status_code == 403
    assert client.get(url("link_risk_close", recorded["risk"])).status_code == 403
    assert "1 engagement" in body(client.get(LIST))


def test_good_practice_once_shared_is_found_nationally(client, area, link, recorded):
    item = recorded["good_practice"]
    client.force_login(link)
    response = client.post(
        url("good_practice_edit", item),
        {
            "version": item.version,
            "title": item.title,
            "description": item.description,
            "service_area": "adults",
            "theme": "Unpaid carers",
            "status": "shared",
            "shared_on": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.shared_on == h.today()
    history = body(client.get(url("good_practice_history", item)))
    assert "Good practice shared" in history, history[history.find("<main") :][:3000]

    client.force_login(factories.inspector())
    found = body(client.get(f"{GOOD_PRACTICE}?q=carers+outreach"))
    assert "1 item of good practice" in found and "Unpaid carers" in found
    assert "0 items" in body(client.get(f"{GOOD_PRACTICE}?q=mentoring"))
    rows = csv_rows(client.get(f"{GOOD_PRACTICE}?format=csv"))
    assert rows[1][0] == "Carers' centre outreach" and rows[1][5] == "Shared"
    assert client.get(url("good_practice_detail", item)).status_code == 200


def test_the_partnership_page_links_to_its_council_areas_logs(client, area, link):
    council, partnership = area
    client.force_login(link)
    text = body(client.get(reverse("partnerships:detail", args=[partnership.pk])))
    assert f"{LIST}?local_authority={council.pk}" in text
    assert "Engagement log: Northshire Council" in text


def test_good_practice_is_in_the_navigation_and_only_it_is_current(client, link):
    client.force_login(link)
    navigation = client.get(GOOD_PRACTICE).context["navigation"]
    current = [item["label"] for item in navigation if item["current"]]
    assert current == ["Good practice"]
    on_partnerships = client.get(reverse("partnerships:list")).context["navigation"]
    assert [i["label"] for i in on_partnerships if i["current"]] == ["Partnerships"]


@pytest.mark.parametrize("page", [LIST, RISKS, GOOD_PRACTICE])
def test_list_pages_run_the_same_number_of_queries_whatever_their_length(client, area, page):
    admin = factories.administrator()
    client.force_login(admin)

    def grow(count: int) -> None:
        for i in range(count):
            engagement = h.engagement(admin, partnership=area[1], notes=f"Engagement {i}")
            h.risk(admin, engagement, title=f"Risk {i}")
            h.good_practice(admin, engagement, title=f"Practice {i}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    small = queries()
    grow(6)
    assert queries() == small
    assert GoodPractice.objects.count() == 8
