"""What the link-inspector engagement tests share: a council area with a partnership covering
it, the people following the area, and log entries made through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.roles import Role
from partnerships import engagement_services as services
from partnerships.models import AreaRole, EngagementKind, LinkActivityArea
from tests import factories


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def activity_areas(*numbers: int) -> list[LinkActivityArea]:
    return list(LinkActivityArea.objects.filter(number__in=numbers or [1]).order_by("number"))


def area_and_partnership(name: str = "Testshire"):
    """A council area and a partnership covering it."""
    area = factories.LocalAuthorityFactory(name=f"{name} Council")
    partnership = factories.PartnershipFactory(name=name, local_authorities=[area])
    return area, partnership


def follower(area, role: str = AreaRole.LINK_INSPECTOR, **kwargs):
    """A user currently following the council area (link inspector by default)."""
    roles = [Role.INSPECTOR, Role.LINK_INSPECTOR] if role == AreaRole.LINK_INSPECTOR else []
    if role != AreaRole.LINK_INSPECTOR:
        roles = [Role.RELATIONSHIP_MANAGER]
    user = factories.UserFactory(roles=roles, **kwargs)
    factories.AreaAssignmentFactory(
        user=user, local_authority=area, role=role, started_on=days_ago(200)
    )
    return user


def engagement(by, *, local_authority=None, partnership=None, **kwargs):
    values = {
        "engaged_on": days_ago(10),
        "kind": EngagementKind.MEETING,
        "areas": activity_areas(1, 4),
        "notes": "Met the chief social work officer.",
    }
    values.update(kwargs)
    return services.engagement_create(
        by=by, local_authority=local_authority, partnership=partnership, **values
    )


def risk(by, found_by, **kwargs):
    values = {
        "title": "Waiting lists for assessment growing",
        "likely_impact": "People wait longer for support.",
    }
    values.update(kwargs)
    return services.link_risk_create(by=by, engagement=found_by, **values)


def good_practice(by, found_by, **kwargs):
    values = {
        "title": "Peer mentoring for newly qualified social workers",
        "description": "Experienced workers mentor new staff through their first year.",
        "service_area": "children",
    }
    values.update(kwargs)
    return services.good_practice_create(by=by, engagement=found_by, **values)
