"""Shared fixtures. Under CI=true, anything that would skip for want of PostgreSQL, Redis,
the Celery worker or the browser fails instead (see `require`)."""

import os

import pytest

from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing locally; fail it under CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires this and it is missing: {reason}")
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skip, however it arose, is reported as a failure."""
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test's data left there (record-reading
    tallies keyed by ids and versions, which SQLite reuses after a rollback) must not answer
    for another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def admin_user(db):
    return factories.administrator(full_name="Ada Administrator")


@pytest.fixture
def inspector_user(db):
    return factories.inspector(full_name="Iain Inspector")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def inspector_client(client, inspector_user):
    client.force_login(inspector_user)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def fife(db):
    from partnerships.models import Partnership, PartnershipKind

    return Partnership.objects.get(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE, name="Fife")
