"""This app's stage gates. Later apps add theirs with the same decorator."""

from __future__ import annotations

from .lifecycle import gate
from .models import ConflictDecision, EvidenceStatus, Inspection, InspectionStatus, TeamRole

NEEDS_LEAD = "Add a lead inspector to the team."
NEEDS_AGENCY_MEMBER = "Add at least one team member from {agency}."
NEEDS_INDICATORS = "Choose the quality indicators this inspection will evaluate."
NEEDS_EVIDENCE = "Record at least one evidence activity."
EVIDENCE_INCOMPLETE = "Mark every evidence activity complete ({count} not complete: {titles})."
NEEDS_FIELDWORK_DATES = "Set the fieldwork start date."
UNDECIDED_CONFLICTS = "Decide on the declared connections of: {names}."


def _active_team(inspection: Inspection):
    return [m for m in inspection.team.all() if m.archived_at is None]


@gate(InspectionStatus.NOTIFIED)
def team_is_ready(inspection: Inspection) -> list[str]:
    team = _active_team(inspection)
    # Someone the lead has decided is not to take part does not make up the team.
    taking_part = [m for m in team if m.decision != ConflictDecision.EXCLUDED]
    unmet = []
    if not any(m.role == TeamRole.LEAD_INSPECTOR for m in taking_part):
        unmet.append(NEEDS_LEAD)
    agencies_on_team = {m.user.agency_id for m in taking_part}
    involved = [inspection.lead_agency, *inspection.programme.partner_agencies.all()]
    for agency in dict.fromkeys(involved):
        if agency.pk not in agencies_on_team:
            unmet.append(NEEDS_AGENCY_MEMBER.format(agency=agency.name))
    pending = [str(m.user) for m in team if m.decision == ConflictDecision.PENDING]
    if pending:
        unmet.append(UNDECIDED_CONFLICTS.format(names=", ".join(pending)))
    return unmet


@gate(InspectionStatus.NOTIFIED)
def indicators_chosen(inspection: Inspection) -> list[str]:
    if (
        inspection.programme.quality_indicators.filter(archived_at__isnull=True).exists()
        and not inspection.quality_indicators.filter(archived_at__isnull=True).exists()
    ):
        return [NEEDS_INDICATORS]
    return []


@gate(InspectionStatus.FIELDWORK)
def fieldwork_dates_set(inspection: Inspection) -> list[str]:
    return [] if inspection.fieldwork_starts_on else [NEEDS_FIELDWORK_DATES]


@gate(InspectionStatus.EVALUATION)
def evidence_complete(inspection: Inspection) -> list[str]:
    activities = [a for a in inspection.evidence_activities.all() if a.archived_at is None]
    if not activities:
        return [NEEDS_EVIDENCE]
    open_ = [a.title for a in activities if a.status != EvidenceStatus.COMPLETE]
    if open_:
        return [EVIDENCE_INCOMPLETE.format(count=len(open_), titles=", ".join(open_))]
    return []
