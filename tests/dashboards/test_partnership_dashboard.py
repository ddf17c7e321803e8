"""The partnership dashboard: one partnership on one page, showing only what the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboards import selectors
from inspections.models import Inspection
from partnerships.models import AreaRole
from tests import factories
from tests.dashboards.conftest import (
    area_partnership,
    days,
    engage,
    partnership_with_data,
)

pytestmark = pytest.mark.django_db


def dashboard_url(partnership) -> str:
    return reverse("dashboards:partnership", args=[partnership.pk])


def page(client, user, partnership):
    client.force_login(user)
    response = client.get(dashboard_url(partnership))
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "dashboards/partnership.html"
    return response, response.content.decode()


def test_the_link_inspector_sees_everything_about_their_partnership(client, people):
    partnership = partnership_with_data(people, 1, overdue_actions=2)
    response, body = page(client, people.link, partnership)
    d = response.context["dashboard"]

    # Level of support: the agreed decision.
    assert d.support.current.level.name == "Assisted improvement support"
    assert "Assisted improvement support" in body
    # Latest evaluations: the published grade of the published inspection's first indicator.
    assert [(e.value, e.label, e.published) for e in d.evaluations] == [(4, "Good", True)]
    assert "<strong>Good</strong> (4)" in body
    # Inspections, each with its next milestone (the overdue one first).
    rows = {r.inspection.title: r for r in d.inspections}
    live = rows["Inspection of partnership 1"]
    assert (live.next_milestone.name, live.next_state) == ("Fieldwork ends 1", "overdue")
    assert rows["Published inspection of partnership 1"].next_milestone is None
    # Improvement: plan progress, overdue actions and reviews, the next review.
    (plan,) = d.plans
    assert (plan.actions_total, plan.actions_complete, plan.actions_overdue) == (4, 1, 2)
    assert "1 of 4" in body
    assert [a.description for a in d.overdue_actions] == [
        "Overdue action 1.2",
        "Overdue action 1.1",
    ]
    assert [r.due_on for r in d.overdue_reviews] == [days(-7)]
    assert [r.due_on for r in d.upcoming_reviews] == [days(30)]
    # The MSG round counted by level.
    assert d.msg.latest_submitted is not None
    assert d.msg.counts == [
        ("Not yet established", 1),
        ("Partly established", 1),
        ("Established", 2),
        ("Exemplary", 0),
    ]
    # Engagement: the open risk and the engagement; the contact.
    assert [r.title for r in d.open_risks] == ["Risk 1: waiting lists for assessment growing"]
    assert [e.engaged_on for e in d.engagements] == [days(-10)]
    assert "Chief Officer 1" in body
    assert "Lorna Link" in body  # the link inspector, under contacts


def test_an_outsider_sees_only_what_everyone_may_see(client, people):
    partnership = partnership_with_data(people, 1)
    response, body = page(client, people.outsider, partnership)
    d = response.context["dashboard"]

    # Published work and reference data are for everyone signed in.
    assert [i.inspection.title for i in d.inspections] == ["Published inspection of partnership 1"]
    assert [(e.value, e.published) for e in d.evaluations] == [(4, True)]
    assert "Chief Officer 1" in body
    assert d.msg.latest_submitted is not None  # the MSG self-evaluation is national
    # Nothing else: unpublished inspections, support, plans, reviews, the engagement log.
    assert "Inspection of partnership 1" not in body
    assert "Fieldwork ends" not in body
    assert d.support.current is None
    assert "No level of support has been agreed that you can see." in body
    assert d.plans == [] and d.overdue_actions == [] and d.overdue_reviews == []
    assert d.upcoming_reviews == []
    assert "Improvement plan 1<" not in body and "Overdue action 1" not in body
    assert d.open_risks == [] and d.engagements == []
    assert "Risk 1" not in body and "Met the chief officer" not in body


def test_a_final_grade_not_yet_published_shows_to_draft_readers_only(client, people):
    partnership = partnership_with_data(people, 1)
    live = Inspection.objects.get(title="Inspection of partnership 1")
    indicator = live.quality_indicators.order_by("order", "pk").last()
    factories.final_evaluation(live, indicator, people.lead, value=2)

    d = selectors.partnership_dashboard(user=people.link, pk=partnership.pk)
    assert (2, "Weak", False) in [(e.value, e.label, e.published) for e in d.evaluations]
    body = page(client, people.link, partnership)[1]
    assert "Final, not yet published" in body

    d = selectors.partnership_dashboard(user=people.outsider, pk=partnership.pk)
    assert [e.value for e in d.evaluations] == [4]


def test_the_latest_grade_of_an_indicator_wins(client, people):
    """A later inspection's final grade replaces an earlier published one for the same
    indicator; a reopened grade is no longer final."""
    partnership = partnership_with_data(people, 1)
    published = Inspection.objects.get(title="Published inspection of partnership 1")
    indicator = published.quality_indicators.order_by("order", "pk").first()
    later = factories.InspectionFactory(
        partnership=partnership, status="evaluation", title="Later inspection"
    )
    factories.TeamMemberFactory(inspection=later, user=people.lead, role="lead_inspector")
    factories.final_evaluation(later, indicator, people.lead, value=5)

    d = selectors.partnership_dashboard(user=people.link, pk=partnership.pk)
    ((row),) = [e for e in d.evaluations if e.indicator_id == indicator.pk]
    assert (row.value, row.label, row.inspection_title) == (5, "Very good", "Later inspection")


def test_a_missing_partnership_is_not_found(client, people):
    client.force_login(people.link)
    assert client.get(reverse("dashboards:partnership", args=[999999])).status_code == 404


def test_signing_in_is_required(client, people):
    partnership = area_partnership(people, 1)
    response = client.get(dashboard_url(partnership))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_partnership_page_links_to_its_dashboard(client, people):
    partnership = area_partnership(people, 1)
    client.force_login(people.outsider)
    body = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert f'href="{dashboard_url(partnership)}"' in body


def test_engagement_with_a_council_area_counts_for_its_partnerships(client, people):
    partnership = area_partnership(people, 1)
    area = partnership.local_authorities.get()
    from partnerships import engagement_services
    from partnerships.models import EngagementKind, LinkActivityArea

    engagement_services.engagement_create(
        by=people.link,
        local_authority=area,
        engaged_on=days(-3),
        kind=EngagementKind.VISIT,
        areas=LinkActivityArea.objects.filter(number=2),
    )
    engage(partnership, people, 1, days_ago=8, risk=False)
    d = selectors.partnership_dashboard(user=people.link, pk=partnership.pk)
    assert [(e.engaged_on, e.local_authority_id) for e in d.engagements] == [
        (days(-3), area.pk),
        (days(-8), None),
    ]


def test_a_relationship_manager_sees_the_log_but_not_the_improvement_records(client, people):
    partnership = partnership_with_data(people, 1)
    manager = factories.UserFactory(roles=["relationship_manager"])
    factories.AreaAssignmentFactory(
        user=manager,
        local_authority=partnership.local_authorities.get(),
        role=AreaRole.RELATIONSHIP_MANAGER,
        started_on=days(-30),
    )
    d = selectors.partnership_dashboard(user=manager, pk=partnership.pk)
    assert [r.title for r in d.open_risks] == ["Risk 1: waiting lists for assessment growing"]
    assert len(d.engagements) == 1
    assert d.plans == [] and d.overdue_actions == [] and d.support.current is None
