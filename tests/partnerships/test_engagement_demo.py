"""The demo data for the engagement log: a few engagements with Fife, one open risk followed up
once and one item of good practice shared; loading it again adds nothing."""

import io

import pytest

from partnerships.engagement_demo import DEMO_LINK_INSPECTOR, load_engagement_demo
from partnerships.models import Engagement, GoodPractice, LinkRisk, LocalAuthority
from tests import factories
from tests.partnerships.engagement_helpers import days_ago

pytestmark = pytest.mark.django_db


def test_the_demo_is_loaded_once_through_the_services():
    link = factories.UserFactory(email=DEMO_LINK_INSPECTOR, roles=["inspector", "link_inspector"])
    factories.AreaAssignmentFactory(
        user=link, local_authority=LocalAuthority.objects.get(name="Fife"), started_on=days_ago(400)
    )
    load_engagement_demo(io.StringIO())
    load_engagement_demo(io.StringIO())

    assert Engagement.objects.filter(recorded_by=link).count() == 4
    risk = LinkRisk.objects.get()
    assert risk.status == "open" and risk.engagements.count() == 2
    practice = GoodPractice.objects.get()
    assert practice.status == "shared" and practice.shared_on is not None


def test_without_the_demo_link_inspector_nothing_is_loaded():
    out = io.StringIO()
    load_engagement_demo(out)
    assert "skipped" in out.getvalue()
    assert not Engagement.objects.exists()
