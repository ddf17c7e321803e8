"""What the dashboards read from the link-inspector engagement log (partnerships'
engagement_selectors): the date of each partnership's last engagement, its open risks and its
recent engagements, only those the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from partnerships.engagement_selectors import engagement_list, with_last_engagement
from partnerships.engagement_selectors import open_risks as _open_risks

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Engagement, LinkRisk, Partnership

__all__ = ["open_risks", "recent_engagements", "with_last_engagement"]


def open_risks(*, user: User, partnership: Partnership) -> list[LinkRisk]:
    """Risks not yet closed about the partnership or a council area it covers (one query)."""
    return list(_open_risks(partnership, user=user))


def recent_engagements(*, user: User, partnership: Partnership, limit: int) -> list[Engagement]:
    """The latest engagements with the partnership or a council area it covers, newest first
    (two queries: the engagements and the areas of activity they covered)."""
    areas = [area.pk for area in partnership.local_authorities.all()]
    engagements: QuerySet = engagement_list(user=user).filter(
        Q(partnership=partnership) | Q(local_authority__in=areas)
    )
    return list(engagements[:limit])
