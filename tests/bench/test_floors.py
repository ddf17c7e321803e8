"""The benchmark's floors (bench/floors.py), mounted only by bench.urls: the base page for a
signed-in user, and a bare API view behind the API's token authentication."""

import pytest
from django.test import override_settings
from knox.models import AuthToken

from bench.timing import percentile
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_page_floor_is_the_base_page_for_the_signed_in_user(client):
    user = factories.inspector(full_name="Fiona Floor")
    client.force_login(user)
    response = client.get("/__bench__/floor/")
    assert response.status_code == 200
    assert b"Scrutiny" in response.content and b"<h1>Floor</h1>" in response.content
    client.logout()
    assert client.get("/__bench__/floor/").status_code == 302  # sign in first, like every page


def test_the_api_floor_answers_an_empty_object_to_a_token(client):
    user = factories.inspector()
    _, token = AuthToken.objects.create(user)
    response = client.get("/__bench__/api-floor/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    assert response.json() == {}
    assert client.get("/__bench__/api-floor/").status_code == 401


def test_the_site_is_still_there_under_the_bench_urlconf(admin_client):
    assert admin_client.get("/partnerships/").status_code == 200


@override_settings(ROOT_URLCONF="scrutiny.urls")
def test_the_site_itself_has_no_floors(admin_client):
    assert admin_client.get("/__bench__/floor/").status_code == 404


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 50) == 10.0
    assert percentile(values, 95) == 19.0
    assert percentile([5.0], 95) == 5.0
