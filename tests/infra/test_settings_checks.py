"""Production mode refuses unsafe settings: scrutiny.checks and scrutiny.settings.production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from scrutiny.checks import production_settings_check

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_SECRET = secrets.token_urlsafe(64)
GOOD_PRODUCTION = {
    "SCRUTINY_PRODUCTION": True,
    "DEBUG": False,
    "SECRET_KEY": STRONG_SECRET,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
}


def scrutiny_ids(**overrides: object) -> list[str]:
    with override_settings(**{**GOOD_PRODUCTION, **overrides}):
        return sorted(error.id for error in production_settings_check())


def test_a_good_production_configuration_passes() -> None:
    assert scrutiny_ids() == []


def test_debug_in_production_is_refused() -> None:
    assert scrutiny_ids(DEBUG=True) == ["scrutiny.E001"]


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "insecure-development-key-not-for-production",
        "test-secret-key-used-only-by-the-test-suite",
        "change-me",
        "django-insecure-" + "x" * 60 + "abcdef",
        "short-but-random-Q7f9",  # under 50 characters
        "ab" * 40,  # long but only two different characters
    ],
    ids=["empty", "local", "tests", "placeholder", "django-insecure", "short", "repetitive"],
)
def test_a_default_or_weak_secret_key_is_refused(secret: str) -> None:
    assert scrutiny_ids(SECRET_KEY=secret) == ["scrutiny.E002"]


@pytest.mark.parametrize(
    "setting", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY"]
)
def test_insecure_cookies_are_refused(setting: str) -> None:
    with override_settings(**{**GOOD_PRODUCTION, setting: False}):
        errors = production_settings_check()

    assert [error.id for error in errors] == ["scrutiny.E003"]
    assert setting in errors[0].msg


def test_every_problem_is_reported_at_once() -> None:
    assert scrutiny_ids(DEBUG=True, SECRET_KEY="secret", CSRF_COOKIE_SECURE=False) == [
        "scrutiny.E001",
        "scrutiny.E002",
        "scrutiny.E003",
    ]


def test_outside_production_mode_nothing_is_refused() -> None:
    assert scrutiny_ids(SCRUTINY_PRODUCTION=False, DEBUG=True, SECRET_KEY="secret") == []


def test_the_check_is_registered_with_django() -> None:
    with override_settings(**{**GOOD_PRODUCTION, "DEBUG": True}):
        ids = {message.id for message in run_checks()}
    assert "scrutiny.E001" in ids

    with override_settings(**GOOD_PRODUCTION):
        ids = {message.id for message in run_checks()}
    assert not {i for i in ids if i.startswith("scrutiny.")}


# The real production settings module, in a fresh interpreter each time.


def production_env(**extra: str) -> dict[str, str]:
    """The environment a deployment gives, keeping DATABASE_URL/REDIS_URL from this one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="scrutiny.settings.production",
        ALLOWED_HOSTS="scrutiny.example",
        # Explicit, so a developer's .env (read without overwriting) cannot switch DEBUG on.
        DEBUG="false",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings_and_a_strong_secret() -> None:
    completed = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY=STRONG_SECRET)
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_check_deploy_fails_with_debug_on_in_production() -> None:
    completed = manage(
        "check", "--deploy", env=production_env(SECRET_KEY=STRONG_SECRET, DEBUG="true")
    )

    assert completed.returncode != 0
    assert "scrutiny.E001" in completed.stderr


def test_check_deploy_fails_with_a_weak_secret_in_production() -> None:
    completed = manage("check", "--deploy", env=production_env(SECRET_KEY="change-me"))

    assert completed.returncode != 0
    assert "scrutiny.E002" in completed.stderr


def test_production_settings_refuse_to_load_without_a_secret_key() -> None:
    # Stop base.py reading a developer's .env, which might hold a SECRET_KEY.
    script = "import environ; environ.Env.read_env = lambda *a, **k: None; "
    script += "import scrutiny.settings.production"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert "SECRET_KEY" in completed.stderr


def test_production_keeps_database_connections_and_checks_them_before_reuse() -> None:
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    default = manage("shell", "-v", "0", "-c", code, env=production_env(SECRET_KEY=STRONG_SECRET))
    chosen = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        env=production_env(SECRET_KEY=STRONG_SECRET, CONN_MAX_AGE="5"),
    )

    assert default.stdout.split() == ["60", "True"], default.stderr
    assert chosen.stdout.split() == ["5", "True"], chosen.stderr
