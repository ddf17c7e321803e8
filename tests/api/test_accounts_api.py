"""/api/v1/users/me/: the signed-in user, their agency and roles."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def test_me_shows_the_inspectors_agency_and_roles(inspector_api, inspector_user):
    response = inspector_api.get(ME)

    assert response.status_code == 200
    assert response.data == {
        "id": inspector_user.pk,
        "email": inspector_user.email,
        "full_name": "Iain Inspector",
        "agency": {"code": "CI", "name": "Care Inspectorate"},
        "roles": ["Inspector"],
        "is_staff": False,
    }


def test_me_shows_an_administrator_by_token(admin_user):
    _, token = AuthToken.objects.create(admin_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get(ME)

    assert response.status_code == 200
    assert response.data["email"] == admin_user.email
    assert response.data["roles"] == ["Administrator"]
    assert response.data["is_staff"] is True


def test_me_lists_every_role_and_another_agency():
    user = factories.UserFactory(
        agency=factories.agency("HIS"),
        roles=[Role.LEAD_INSPECTOR, Role.INSPECTOR],
    )
    client = APIClient()
    client.force_login(user)

    response = client.get(ME)

    assert response.data["agency"] == {"code": "HIS", "name": "Healthcare Improvement Scotland"}
    assert response.data["roles"] == ["Inspector", "Lead inspector"]


def test_me_cannot_be_changed(inspector_api):
    response = inspector_api.patch(ME, {"full_name": "Someone else"})

    assert response.status_code == 405
