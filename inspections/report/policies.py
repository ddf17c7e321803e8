"""Who may read and write the report's drafts. The inspection's own policy decides; these name
the report's uses of it.

- Drafts (findings, the evaluation chain, factual accuracy comments) are read by those who may
  see the inspection's unpublished work; anyone else gets a 404 and lists leave them out.
- Team members who may change the inspection and see its evidence draft findings and propose
  grades; team members record the partnership's factual accuracy comments.
- The lead inspector or an administrator agrees findings, records the panel's decision and the
  final grade, reopens moderation, responds to comments and publishes corrections.
- Everyone signed in reads what was published, from the frozen published versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..policies import inspection_policy

if TYPE_CHECKING:
    from accounts.models import User

    from ..models import Inspection


def can_read_drafts(user: User, inspection: Inspection) -> bool:
    return inspection_policy.can_see_drafts(user, inspection)


def can_draft(user: User, inspection: Inspection) -> bool:
    """Draft and edit findings, propose grades."""
    return inspection_policy.can_change(user, inspection) and inspection_policy.can_view_evidence(
        user, inspection
    )


def can_record_comments(user: User, inspection: Inspection) -> bool:
    """Enter what the partnership sent at the factual accuracy check."""
    return inspection_policy.can_change(user, inspection)


def can_decide(user: User, inspection: Inspection) -> bool:
    """Agree findings, moderate, finalise, reopen, respond to comments, publish corrections."""
    return inspection_policy.can_lead(user, inspection)


def with_drafts(user: User, queryset: QuerySet) -> QuerySet:
    """Rows of `queryset` (each with an `inspection`) whose inspection's drafts the user reads."""
    return queryset.filter(inspection__in=inspection_policy.with_drafts(user).values("pk"))
