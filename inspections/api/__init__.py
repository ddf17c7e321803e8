"""/api/v1/ for joint inspections: programmes and their frameworks (read-only), inspections
with their lifecycle and milestones, evidence activities and their attachments.

Reads go through inspections.selectors and inspections.policies, so the API lists what the
pages list and an object the caller may not see is a 404, never a 403. Writes go through
inspections.services, which check permission (403), validate (400, with field errors) and
audit with the acting user; a stale `version` is a 409 with `current_version`. DELETE archives
and never deletes a row."""

from .evidence import AttachmentViewSet, EvidenceActivityViewSet
from .inspections import InspectionViewSet
from .programmes import ProgrammeViewSet, QualityIndicatorViewSet

__all__ = [
    "AttachmentViewSet",
    "EvidenceActivityViewSet",
    "InspectionViewSet",
    "ProgrammeViewSet",
    "QualityIndicatorViewSet",
]
