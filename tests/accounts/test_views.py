"""Signing in and out, password reset, throttling, and the profile page's API tokens."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from knox.models import AuthToken

from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")


def test_sign_in_by_email_is_case_insensitive(client):
    user = factories.inspector(email="isla@ci.example.org")
    response = client.post(
        SIGN_IN, {"username": "Isla@CI.example.org", "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("partnerships:list")).context["user"] == user


def test_wrong_password_shows_the_error_summary(client):
    factories.inspector(email="isla@ci.example.org")
    response = client.post(SIGN_IN, {"username": "isla@ci.example.org", "password": "nope"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a correct email address and password" in body


def test_failed_sign_ins_are_throttled(client, settings):
    factories.inspector(email="isla@ci.example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "isla@ci.example.org", "password": "wrong"})
    response = client.post(
        SIGN_IN, {"username": "isla@ci.example.org", "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_sign_out_needs_post_and_ends_the_session(inspector_client):
    assert inspector_client.get(reverse("accounts:logout")).status_code == 405
    response = inspector_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert inspector_client.get(reverse("partnerships:list")).status_code == 302


def test_password_reset_by_email(client):
    factories.inspector(email="isla@ci.example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "isla@ci.example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a much better passphrase 42",
            "new_password2": "a much better passphrase 42",
        },
    )
    assert response.status_code == 302
    assert (
        client.post(
            SIGN_IN, {"username": "isla@ci.example.org", "password": "a much better passphrase 42"}
        ).status_code
        == 302
    )


def test_password_reset_for_unknown_address_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_creates_shows_once_and_revokes_a_token(inspector_client, inspector_user):
    response = inspector_client.post(reverse("accounts:token_create"), {"expires_in_days": "30"})
    assert response.status_code == 302
    page = inspector_client.get(reverse("accounts:profile")).content.decode()
    secret = re.search(r'id="new-token">([^<]+)<', page).group(1)
    token = AuthToken.objects.get(user=inspector_user)
    assert secret.startswith(token.token_key)
    assert token.expiry is not None
    # The secret is not shown again.
    assert secret not in inspector_client.get(reverse("accounts:profile")).content.decode()

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/users/me/").status_code == 200

    revoke = reverse("accounts:token_revoke", args=[token.token_key])
    assert inspector_client.post(revoke).status_code == 302
    assert not AuthToken.objects.filter(user=inspector_user).exists()
    assert api.get("/api/v1/users/me/").status_code in (401, 403)


def test_cannot_revoke_someone_elses_token(inspector_client):
    other = factories.inspector()
    token, _ = AuthToken.objects.create(user=other)
    inspector_client.post(reverse("accounts:token_revoke", args=[token.token_key]))
    assert AuthToken.objects.filter(user=other).exists()


def test_profile_lists_roles_and_areas(client):
    user = factories.UserFactory(roles=["inspector", "link_inspector"])
    factories.AreaAssignmentFactory(user=user)
    client.force_login(user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Inspector, Link inspector" in body
    assert "Test council" in body
