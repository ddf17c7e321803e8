"""The pages that change one link-inspector risk (edit, close, reopen) share one helper, and
archive confirmation is shared by every app: what a user sees on each, after a mistake and
after someone else saved first."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from partnerships import engagement_services as services
from partnerships.models import LinkRisk
from tests.partnerships import engagement_helpers as h

pytestmark = pytest.mark.django_db


def url(name: str, obj) -> str:
    return reverse(f"partnerships:{name}", args=[obj.pk])


def body(response) -> str:
    return html.unescape(response.content.decode())


def hidden_version(response) -> str:
    match = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert match, "the form carries the version it is based on"
    return match.group(1)


@pytest.fixture
def area():
    return h.area_and_partnership("Westshire")


@pytest.fixture
def link(area):
    return h.follower(area[0], full_name="Lorna Link")


@pytest.fixture
def risk(area, link):
    engagement = h.engagement(link, partnership=area[1])
    return h.risk(link, engagement, title="Waiting lists growing")


def _close(risk: LinkRisk, by) -> LinkRisk:
    return services.link_risk_close(
        risk=risk,
        by=by,
        expected_version=risk.version,
        closed_on=h.today(),
        closing_note="Lists back to normal.",
    )


def test_editing_a_risk_says_so_and_returns_to_it(client, link, risk):
    client.force_login(link)
    page = client.get(url("link_risk_edit", risk))
    assert page.status_code == 200
    assert page.context["page_title"] == "Edit the risk: Waiting lists growing"
    response = client.post(
        url("link_risk_edit", risk),
        {
            "version": risk.version,
            "title": "Waiting lists still growing",
            "description": "",
            "likely_impact": "People wait longer for care.",
            "status": "open",
        },
        follow=True,
    )
    assert response.redirect_chain == [(url("link_risk_detail", risk), 302)]
    assert "“Waiting lists still growing” has been updated." in body(response)


def test_closing_after_someone_else_saved_keeps_the_input_and_saving_again_closes(
    client, link, risk
):
    services.link_risk_update(
        risk=risk, by=link, expected_version=risk.version, changes={"likely_impact": "Worse."}
    )
    client.force_login(link)
    data = {"version": 1, "closed_on": h.today().isoformat(), "closing_note": "All fine now."}
    refused = client.post(url("link_risk_close", risk), data)
    assert refused.status_code == 400
    assert "Someone else changed this record" in body(refused)
    assert "All fine now." in body(refused)
    assert hidden_version(refused) == "2"  # saving again is a deliberate choice
    risk.refresh_from_db()
    assert risk.status == "open"

    done = client.post(url("link_risk_close", risk), {**data, "version": 2}, follow=True)
    assert "“Waiting lists growing” has been closed." in body(done)
    risk.refresh_from_db()
    assert risk.status == "closed"


def test_a_closed_risk_is_reopened_with_a_reason(client, link, risk):
    risk = _close(risk, link)
    client.force_login(link)
    reopen = url("link_risk_reopen", risk)
    page = client.get(reopen)
    assert page.status_code == 200
    assert "Reopen the risk" in body(page)
    assert "Lists back to normal." in body(page)  # the closing note, to weigh before reopening

    refused = client.post(reopen, {"version": risk.version, "reason": ""})
    assert refused.status_code == 400
    assert "Say why the risk is being reopened." in body(refused)

    done = client.post(
        reopen, {"version": risk.version, "reason": "Lists grew again."}, follow=True
    )
    assert done.redirect_chain == [(url("link_risk_detail", risk), 302)]
    assert "“Waiting lists growing” has been reopened." in body(done)
    risk.refresh_from_db()
    assert risk.status == "open"


def test_an_open_risk_cannot_be_reopened_nor_a_closed_one_closed(client, link, risk):
    client.force_login(link)
    assert client.get(url("link_risk_reopen", risk)).status_code == 403
    risk = _close(risk, link)
    assert client.get(url("link_risk_close", risk)).status_code == 403
    assert client.get(url("link_risk_edit", risk)).status_code == 403


def test_archiving_after_someone_else_saved_is_refused_then_confirmed_on_the_new_version(
    client, link, risk
):
    services.link_risk_update(
        risk=risk, by=link, expected_version=risk.version, changes={"likely_impact": "Worse."}
    )
    client.force_login(link)
    refused = client.post(url("link_risk_archive", risk), {"version": 1, "reason": "Duplicate."})
    assert refused.status_code == 400
    assert "Someone else changed this record" in body(refused)
    assert hidden_version(refused) == "2"  # confirming again is a deliberate choice
    assert "Duplicate." in body(refused)  # the reason given is kept
    risk.refresh_from_db()
    assert risk.archived_at is None

    done = client.post(
        url("link_risk_archive", risk),
        {"version": hidden_version(refused), "reason": "Duplicate."},
        follow=True,
    )
    assert done.redirect_chain == [(reverse("partnerships:link_risk_list"), 302)]
    assert "Waiting lists growing has been archived." in body(done)
