"""Fixtures for the co-operation tests: people of each body in the roles that keep and read
the log."""

import pytest

from tests import factories as base
from tests.cooperation import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory that pytest removes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def director(db):
    return factories.director("CI", full_name="Dana Director")


@pytest.fixture
def his_director(db):
    return factories.director("HIS", full_name="Hugh Director")


@pytest.fixture
def chief_executive(db):
    return factories.chief_executive("HIS", full_name="Carol Chief")


@pytest.fixture
def reader(db):
    """A CI inspector: reads the log, writes nothing."""
    return factories.staff("CI", full_name="Rory Reader")


@pytest.fixture
def outsider(db):
    """An HMICS inspector: not staff of either body, so sees none of the log."""
    return base.UserFactory(roles=["inspector"], agency=base.agency("HMICS"))


@pytest.fixture
def ci(db):
    return factories.body("CI")


@pytest.fixture
def his(db):
    return factories.body("HIS")
