"""Fixtures for the API tests: clients signed in by session or by knox token."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient


@pytest.fixture
def inspector_api(inspector_user) -> APIClient:
    client = APIClient()
    client.force_login(inspector_user)
    return client


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    client = APIClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def admin_token_api(admin_user) -> APIClient:
    """An administrator calling with `Authorization: Token ...` and no session."""
    _, token = AuthToken.objects.create(admin_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
