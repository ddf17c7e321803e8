"""/api/v1/ for the duty of co-operation: meetings and their actions, no-surprises notices,
escalations (with `escalate`, `resolve` and `withdraw`), shared risks and meeting gaps.

Reads go through cooperation.selectors and cooperation.policies, so the API lists what the
pages list, with the same derived values, and a record the caller may not see is a 404. Writes
go through cooperation.services, which check permission (403), validate (400, with field
errors) and audit with the acting user; a stale `version` is a 409 with `current_version`.
DELETE archives and never deletes a row."""

from .escalations import EscalationViewSet
from .gaps import MeetingGapsView
from .meetings import MeetingActionViewSet, MeetingViewSet
from .notices import NoticeViewSet
from .risks import SharedRiskViewSet

__all__ = [
    "EscalationViewSet",
    "MeetingActionViewSet",
    "MeetingGapsView",
    "MeetingViewSet",
    "NoticeViewSet",
    "SharedRiskViewSet",
]
