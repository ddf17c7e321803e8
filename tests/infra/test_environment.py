"""Guards that CI runs on the real services, not quietly on SQLite and in-process tasks.

Under CI=true every check here must hold (require() fails instead of skipping); locally
each skips when its service is absent.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import IN_CI, require
from tests.infra.conftest import redis_reachable

CHROMIUM = Path("/usr/bin/chromium")


def test_ci_flag_is_read_the_way_ci_sets_it() -> None:
    assert (os.environ.get("CI", "").lower() == "true") is IN_CI


def test_database_is_postgresql() -> None:
    require(
        connection.vendor == "postgresql",
        f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)",
    )
    assert connection.vendor == "postgresql"


def test_redis_is_the_broker_and_answers() -> None:
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set: tasks run in-process")
    assert os.environ["REDIS_URL"] == settings.REDIS_URL
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    require(redis_reachable(settings.REDIS_URL), f"Redis at {settings.REDIS_URL} does not answer")


def test_chromium_is_installed_for_the_browser_tests() -> None:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    assert os.access(CHROMIUM, os.X_OK)
