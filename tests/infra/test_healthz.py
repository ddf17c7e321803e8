"""/healthz: 200 with the state of the database and the broker, 503 when either is down."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import require
from tests.infra.conftest import redis_reachable

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def anonymous() -> Client:
    return Client()  # never signed in: the load balancer has no account


def get_health(client: Client) -> tuple[int, dict]:
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthz_is_at_the_documented_address() -> None:
    assert reverse("healthz") == "/healthz"


@pytest.mark.django_db
def test_healthy_without_sign_in_when_redis_answers(anonymous: Client) -> None:
    require(bool(settings.REDIS_URL), "REDIS_URL is not set")
    require(redis_reachable(settings.REDIS_URL), f"Redis at {settings.REDIS_URL} does not answer")

    status, body = get_health(anonymous)

    assert (status, body) == (200, {"status": "ok", "database": "ok", "broker": "ok"})


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_healthy_without_sign_in_when_tasks_run_in_process(anonymous: Client) -> None:
    status, body = get_health(anonymous)

    assert (status, body) == (200, {"status": "ok", "database": "ok", "broker": "not configured"})


@pytest.mark.django_db
@override_settings(REDIS_URL=CLOSED_PORT)
def test_503_when_the_broker_is_down(anonymous: Client) -> None:
    status, body = get_health(anonymous)

    assert (status, body) == (503, {"status": "unavailable", "database": "ok", "broker": "down"})


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_503_when_the_database_is_down(anonymous: Client) -> None:
    failure = OperationalError("connection to server at 127.0.0.1 failed")
    with mock.patch.object(connection, "cursor", side_effect=failure) as cursor:
        status, body = get_health(anonymous)

    assert cursor.called
    assert (status, body) == (
        503,
        {"status": "unavailable", "database": "down", "broker": "not configured"},
    )


@pytest.mark.django_db
def test_the_reason_for_a_failure_is_logged_not_shown(
    anonymous: Client, caplog: pytest.LogCaptureFixture
) -> None:
    failure = OperationalError("password authentication failed for user scrutiny")
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response = anonymous.get(reverse("healthz"))

    assert response.status_code == 503
    assert b"password" not in response.content
    assert "password authentication failed" in caplog.text


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_head_is_answered_for_load_balancers(anonymous: Client) -> None:
    assert anonymous.head(reverse("healthz")).status_code == 200


def test_other_methods_are_refused(anonymous: Client) -> None:
    assert anonymous.post(reverse("healthz")).status_code == 405


@pytest.mark.django_db
@override_settings(
    REDIS_URL="",
    ALLOWED_HOSTS=["scrutiny.example"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_REDIRECT_EXEMPT=[r"^healthz$"],
)
def test_answers_the_compose_healthcheck_behind_production_https(anonymous: Client) -> None:
    """Load balancers probe over plain HTTP inside the network; production exempts /healthz
    from the HTTPS redirect, and the compose healthcheck also works through the proxy header."""
    plain = anonymous.get(reverse("healthz"), headers={"host": "scrutiny.example"})
    assert plain.status_code == 200
    other = anonymous.get(reverse("partnerships:list"), headers={"host": "scrutiny.example"})
    assert other.status_code == 301  # everything else is redirected to HTTPS

    response = anonymous.get(
        reverse("healthz"), headers={"host": "scrutiny.example", "x-forwarded-proto": "https"}
    )
    assert response.status_code == 200
