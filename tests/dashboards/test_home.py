"""The site's home sends each user to their own dashboard; the navigation's Home does too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from partnerships.models import AreaRole
from tests import factories
from tests.dashboards.conftest import area_partnership, days

pytestmark = pytest.mark.django_db


def lands_on(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert client.get(reverse("dashboards:home")).url == response.url
    return response.url


def test_directors_and_chief_executives_land_on_the_overview(client):
    for role in (Role.DIRECTOR, Role.CHIEF_EXECUTIVE):
        assert lands_on(client, factories.senior(role)) == reverse("dashboards:overview")


def test_link_inspectors_and_relationship_managers_with_areas_land_on_my_areas(client, people):
    area_partnership(people, 1)
    assert lands_on(client, people.link) == reverse("dashboards:my_areas")
    manager = factories.UserFactory(roles=[Role.RELATIONSHIP_MANAGER])
    area_partnership(people, 2, follower=manager, role=AreaRole.RELATIONSHIP_MANAGER)
    assert lands_on(client, manager) == reverse("dashboards:my_areas")


def test_a_link_inspector_whose_areas_ended_lands_on_my_work(client):
    user = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    factories.AreaAssignmentFactory(user=user, started_on=days(-100), ended_on=days(-1))
    assert lands_on(client, user) == reverse("dashboards:my_work")


def test_inspectors_land_on_my_work(client):
    assert lands_on(client, factories.inspector()) == reverse("dashboards:my_work")
    assert lands_on(client, factories.lead_inspector()) == reverse("dashboards:my_work")


def test_everyone_else_lands_on_the_partnerships(client):
    assert lands_on(client, factories.administrator()) == reverse("partnerships:list")
    nobody = factories.UserFactory()
    nobody.save()  # the factory saves the password only when it gives roles
    assert lands_on(client, nobody) == reverse("partnerships:list")


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_navigation_has_home_marked_current_on_the_dashboards(client, people):
    area_partnership(people, 1)
    client.force_login(people.link)
    response = client.get(reverse("dashboards:my_areas"))
    items = {item["label"]: item for item in response.context["navigation"]}
    assert items["Home"]["url"] == reverse("dashboards:home")
    assert items["Home"]["current"] is True
    assert not items["Partnerships"]["current"]
    body = response.content.decode()
    # The dashboards' own navigation lists the user's dashboards: My areas and My work.
    assert 'aria-label="Your dashboards"' in body
    assert f'href="{reverse("dashboards:my_work")}"' in body
    assert f'href="{reverse("dashboards:overview")}"' not in body
    response = client.get(reverse("partnerships:list"))
    items = {item["label"]: item for item in response.context["navigation"]}
    assert not items["Home"]["current"] and items["Partnerships"]["current"]
