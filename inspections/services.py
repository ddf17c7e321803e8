"""Writes for inspections. Each takes the acting user, runs in one transaction, is audited,
and checks permission itself so pages, API, admin, commands and tasks behave alike."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from accounts.roles import Role
from scrutiny.services import archive, audited_save, versioned_update

from . import lifecycle
from .models import (
    Attachment,
    AttachmentDownload,
    ConflictDecision,
    ConflictKind,
    EvidenceActivity,
    Inspection,
    InspectionStatus,
    Milestone,
    Programme,
    QualityIndicator,
    StatusChange,
    TeamMember,
    TeamRole,
)
from .policies import CHANGE, VIEW, VIEW_EVIDENCE, evidence_policy, inspection_policy

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from partnerships.models import Partnership

NOT_ALLOWED = "You do not have permission to do this."
ONLY_LEAD = "Only the lead inspector or an administrator can do this."
NOT_ALLOWED_TRANSITION = "An inspection cannot move from {current} to {target}."
REASON_NEEDED = "Give a reason for this change."
INDICATOR_NOT_IN_PROGRAMME = "{indicator} is not in the {programme} framework."
PARTNERSHIP_ARCHIVED = "This partnership is archived."
CLOSED_INSPECTION = "This inspection is {status}: it can no longer be changed."
DATE_IN_FUTURE = "The date of a status change cannot be in the future."
DATE_BEFORE_LAST = "The date cannot be before the last status change ({date})."
MOVE_REASON_NEEDED = "Say why the milestone is moving."
DECISION_NOT_ALLOWED = "Choose cleared, cleared with restrictions, or not to take part."
NO_DECLARATION = "This team member has not declared a connection, so there is nothing to decide."
ARCHIVED_INSPECTION = "This inspection is archived: it can no longer be changed."
MEMBER_LEFT = "This person has left the team."
DECISION_IS_THE_LEADS = (
    "Ask the lead inspector: only they can withdraw a declared connection, or change it once "
    "they have decided you are not to take part."
)

# Set only by the version check and the archive: never by a create or an edit.
BOOKKEEPING_FIELDS = (
    "id",
    "pk",
    "version",
    "created_at",
    "updated_at",
    "archived_at",
    "archived_by",
)
# An inspection's status and its dates are set only by the lifecycle (inspection_transition).
LIFECYCLE_FIELDS = (
    "status",
    "status_changed_on",
    "suspended_from",
    "status_reason",
    "notified_on",
    "published_on",
)


class TransitionRefused(ValidationError):
    """A transition that is not allowed, or whose gate is not met. Lists every reason."""

    def __init__(self, messages: list[str]):
        super().__init__(messages)


def _require(allowed: bool, message: str = NOT_ALLOWED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_open(inspection: Inspection) -> None:
    if inspection.archived_at is not None:
        raise ValidationError(ARCHIVED_INSPECTION)
    if inspection.status in lifecycle.TERMINAL:
        raise ValidationError(CLOSED_INSPECTION.format(status=inspection.get_status_display()))


def _require_on_team(member: TeamMember) -> None:
    if member.archived_at is not None:
        raise ValidationError(MEMBER_LEFT)


def _editable(changes: dict[str, Any], *locked: str) -> dict[str, Any]:
    """The changes without bookkeeping and `locked` fields (the caller's dict is left alone)."""
    refused = {*BOOKKEEPING_FIELDS, *locked}
    return {field: value for field, value in changes.items() if field not in refused}


def _check_indicators(programme: Programme, indicators: list[QualityIndicator]) -> None:
    wrong = [qi for qi in indicators if qi.programme_id != programme.pk]
    if wrong:
        raise ValidationError(
            {
                "quality_indicators": [
                    INDICATOR_NOT_IN_PROGRAMME.format(indicator=qi, programme=programme)
                    for qi in wrong
                ]
            }
        )


# Permissions ---------------------------------------------------------------------------------


def inspection_permissions_sync(*, inspection: Inspection) -> None:
    """Grant exactly the active team view and change, and evidence to those cleared to see it.
    Called in the same transaction as every team change."""
    team = list(inspection.team.filter(archived_at__isnull=True).select_related("user"))
    wanted = {
        VIEW: {m.user for m in team if m.decision != ConflictDecision.EXCLUDED},
        CHANGE: {m.user for m in team if m.may_see_evidence},
        VIEW_EVIDENCE: {m.user for m in team if m.may_see_evidence},
    }
    for perm, users in wanted.items():
        codename = perm.split(".")[1]
        holders = set(
            get_users_with_perms(inspection, only_with_perms_in=[codename], with_group_users=False)
        )
        for user in users - holders:
            assign_perm(perm, user, inspection)
        for user in holders - users:
            remove_perm(perm, user, inspection)


# Inspections ---------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    by: User,
    programme: Programme,
    partnership: Partnership,
    title: str,
    lead_inspector: User | None = None,
    quality_indicators: list[QualityIndicator] | None = None,
    **fields: Any,
) -> Inspection:
    _require(inspection_policy.can_add(by))
    if partnership.archived_at is not None:
        raise ValidationError({"partnership": [PARTNERSHIP_ARCHIVED]})
    indicators = list(quality_indicators or [])
    _check_indicators(programme, indicators)
    fields = _editable(fields, *LIFECYCLE_FIELDS)  # every inspection starts planned
    inspection = Inspection(
        programme=programme,
        partnership=partnership,
        title=title,
        lead_agency=fields.pop("lead_agency", None) or programme.lead_agency,
        theme=fields.pop("theme", "") or programme.theme,
        status_changed_on=timezone.localdate(),
        **fields,
    )
    if lead_inspector is None and by.has_role(Role.LEAD_INSPECTOR):
        lead_inspector = by  # a lead inspector who names no one else leads it themselves
    audited_save(inspection, by=by, reason="Inspection planned")
    inspection.quality_indicators.set(indicators)
    if lead_inspector is not None:
        member = TeamMember(
            inspection=inspection, user=lead_inspector, role=TeamRole.LEAD_INSPECTOR
        )
        audited_save(member, by=by, reason="Lead inspector")
    inspection_permissions_sync(inspection=inspection)
    return inspection


@transaction.atomic
def inspection_update(
    *,
    inspection: Inspection,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    quality_indicators: list[QualityIndicator] | None = None,
) -> Inspection:
    _require(inspection_policy.can_change(by, inspection))
    _require_open(inspection)
    partnership = changes.get("partnership")
    if (
        partnership is not None
        and getattr(partnership, "pk", partnership) != inspection.partnership_id
        and getattr(partnership, "archived_at", None) is not None
    ):
        raise ValidationError({"partnership": [PARTNERSHIP_ARCHIVED]})
    updated = versioned_update(
        inspection,
        by=by,
        expected_version=expected_version,
        changes=_editable(changes, *LIFECYCLE_FIELDS, "programme"),
    )
    if quality_indicators is not None:
        _check_indicators(updated.programme, quality_indicators)
        updated.quality_indicators.set(quality_indicators)
    return updated


def _copy_milestones(inspection: Inspection, notified_on: datetime.date, by: User) -> None:
    """Notifying copies the programme's template: later template edits never touch it."""
    for template in inspection.programme.milestone_templates.filter(archived_at__isnull=True):
        due = notified_on + datetime.timedelta(weeks=template.offset_weeks)
        milestone = Milestone(
            inspection=inspection,
            stage=template.stage,
            name=template.name,
            offset_weeks=template.offset_weeks,
            planned_due_on=due,
            due_on=due,
            order=template.order,
        )
        audited_save(milestone, by=by, reason="Copied from the programme's template")


@transaction.atomic
def inspection_transition(
    *,
    inspection: Inspection,
    by: User,
    to_status: str,
    on: datetime.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Inspection:
    """Move an inspection to its next status, if allowed and every gate is met."""
    current = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _require(inspection_policy.can_lead(by, current), ONLY_LEAD)
    if current.archived_at is not None:
        raise TransitionRefused([ARCHIVED_INSPECTION])
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if to_status not in lifecycle.next_statuses(current):
        target = dict(InspectionStatus.choices).get(to_status, to_status)
        raise TransitionRefused(
            [NOT_ALLOWED_TRANSITION.format(current=current.get_status_display(), target=target)]
        )
    unmet = lifecycle.unmet_conditions(current, to_status)
    if to_status in lifecycle.NEEDS_REASON and not reason:
        unmet.append(REASON_NEEDED)
    if on > timezone.localdate():
        unmet.append(DATE_IN_FUTURE)
    last = current.status_changes.order_by("-changed_on").first()
    if last is not None and on < last.changed_on:
        unmet.append(DATE_BEFORE_LAST.format(date=f"{last.changed_on:%-d %B %Y}"))
    if unmet:
        raise TransitionRefused(unmet)

    from_status = current.status
    changes: dict[str, Any] = {"status": to_status, "status_changed_on": on}
    if to_status == InspectionStatus.SUSPENDED:
        changes["suspended_from"] = from_status
    elif from_status == InspectionStatus.SUSPENDED:
        changes["suspended_from"] = ""
    if to_status in lifecycle.NEEDS_REASON:
        changes["status_reason"] = reason
    elif from_status == InspectionStatus.SUSPENDED:
        changes["status_reason"] = ""  # resumed: the suspension's reason stays in StatusChange
    if to_status == InspectionStatus.NOTIFIED:
        changes["notified_on"] = on
    if to_status == InspectionStatus.PUBLISHED:
        changes["published_on"] = on
    updated = versioned_update(
        current,
        by=by,
        expected_version=expected_version if expected_version is not None else current.version,
        changes=changes,
        reason=reason or f"Moved to {dict(InspectionStatus.choices)[to_status]}",
    )
    StatusChange.objects.create(
        inspection=updated,
        from_status=from_status,
        to_status=to_status,
        changed_on=on,
        changed_by=by,
        reason=reason,
    )
    if to_status == InspectionStatus.NOTIFIED and not updated.milestones.exists():
        _copy_milestones(updated, on, by)
    if from_status != InspectionStatus.SUSPENDED:  # resuming re-enters nothing
        for action in lifecycle.entry_actions(to_status):
            action(updated, by=by, on=on)
    return updated


@transaction.atomic
def inspection_archive(*, inspection: Inspection, by: User, reason: str) -> Inspection:
    _require(inspection_policy.can_lead(by, inspection), ONLY_LEAD)
    return archive(inspection, by=by, reason=reason)


# Team ----------------------------------------------------------------------------------------


def _decision_for(conflict: str) -> str:
    return (
        ConflictDecision.NOT_NEEDED if conflict == ConflictKind.NONE else ConflictDecision.PENDING
    )


@transaction.atomic
def team_member_add(
    *,
    inspection: Inspection,
    by: User,
    user: User,
    role: str,
    conflict: str = ConflictKind.NONE,
    conflict_details: str = "",
) -> TeamMember:
    _require(inspection_policy.can_lead(by, inspection), ONLY_LEAD)
    _require_open(inspection)
    member = TeamMember(
        inspection=inspection,
        user=user,
        role=role,
        conflict=conflict,
        conflict_details=conflict_details,
        decision=_decision_for(conflict),
    )
    audited_save(member, by=by, reason="Joined the team")
    inspection_permissions_sync(inspection=inspection)
    return member


@transaction.atomic
def team_member_declare(
    *, member: TeamMember, by: User, conflict: str, conflict_details: str = ""
) -> TeamMember:
    """A member (or the lead) records the member's connection with the partnership. A declared
    connection waits for the lead's decision, and evidence is closed to them until then."""
    leads = inspection_policy.can_lead(by, member.inspection)
    _require(by.pk == member.user_id or leads)
    _require_on_team(member)
    _require_open(member.inspection)
    if not leads and (
        member.decision == ConflictDecision.EXCLUDED
        or (conflict == ConflictKind.NONE and member.conflict != ConflictKind.NONE)
    ):
        # Otherwise a member could undo the lead's decision by declaring again.
        raise ValidationError(DECISION_IS_THE_LEADS)
    updated = versioned_update(
        member,
        by=by,
        expected_version=member.version,
        changes={
            "conflict": conflict,
            "conflict_details": conflict_details,
            "decision": _decision_for(conflict),
            "decision_notes": "",
            "decided_by": None,
            "decided_at": None,
        },
        reason="Declared a connection with the partnership",
    )
    inspection_permissions_sync(inspection=member.inspection)
    return updated


@transaction.atomic
def conflict_decide(*, member: TeamMember, by: User, decision: str, notes: str = "") -> TeamMember:
    _require(inspection_policy.can_lead(by, member.inspection), ONLY_LEAD)
    _require_on_team(member)
    _require_open(member.inspection)
    if member.conflict == ConflictKind.NONE:
        raise ValidationError(NO_DECLARATION)
    if decision not in (
        ConflictDecision.CLEARED,
        ConflictDecision.RESTRICTED,
        ConflictDecision.EXCLUDED,
    ):
        raise ValidationError({"decision": [DECISION_NOT_ALLOWED]})
    updated = versioned_update(
        member,
        by=by,
        expected_version=member.version,
        changes={
            "decision": decision,
            "decision_notes": notes,
            "decided_by": by,
            "decided_at": timezone.now(),
        },
        reason="Lead inspector's decision on a declared connection",
    )
    inspection_permissions_sync(inspection=member.inspection)
    return updated


@transaction.atomic
def team_member_remove(*, member: TeamMember, by: User, reason: str = "") -> TeamMember:
    _require(inspection_policy.can_lead(by, member.inspection), ONLY_LEAD)
    removed = archive(member, by=by, reason=reason or "Left the team")
    inspection_permissions_sync(inspection=member.inspection)
    return removed


# Milestones ----------------------------------------------------------------------------------


@transaction.atomic
def milestone_move(
    *,
    milestone: Milestone,
    by: User,
    due_on: datetime.date,
    reason: str,
    expected_version: int | None,
) -> Milestone:
    _require(inspection_policy.can_lead(by, milestone.inspection), ONLY_LEAD)
    _require_open(milestone.inspection)
    if not (reason or "").strip():
        raise ValidationError({"reason": [MOVE_REASON_NEEDED]})
    return versioned_update(
        milestone,
        by=by,
        expected_version=expected_version,
        changes={"due_on": due_on},
        reason=reason.strip(),
    )


@transaction.atomic
def milestone_complete(
    *,
    milestone: Milestone,
    by: User,
    completed_on: datetime.date | None,
    expected_version: int | None,
) -> Milestone:
    """Mark done (or, with no date, not done)."""
    _require(inspection_policy.can_change(by, milestone.inspection))
    _require_open(milestone.inspection)
    return versioned_update(
        milestone,
        by=by,
        expected_version=expected_version,
        changes={"completed_on": completed_on},
        reason="Marked done" if completed_on else "Marked not done",
    )


# Evidence ------------------------------------------------------------------------------------


@transaction.atomic
def evidence_activity_create(
    *,
    inspection: Inspection,
    by: User,
    carried_out_by: list[User] | None = None,
    **fields: Any,
) -> EvidenceActivity:
    _require(
        inspection_policy.can_view_evidence(by, inspection)
        and inspection_policy.can_change(by, inspection)
    )
    _require_open(inspection)
    activity = EvidenceActivity(inspection=inspection, **fields)
    audited_save(activity, by=by, reason="Evidence activity recorded")
    activity.carried_out_by.set(carried_out_by or [by])
    return activity


@transaction.atomic
def evidence_activity_update(
    *,
    activity: EvidenceActivity,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    carried_out_by: list[User] | None = None,
) -> EvidenceActivity:
    _require(evidence_policy.can_change(by, activity))
    _require_open(activity.inspection)
    updated = versioned_update(
        activity,
        by=by,
        expected_version=expected_version,
        changes=_editable(changes, "inspection"),  # evidence stays with its inspection
    )
    if carried_out_by is not None:
        updated.carried_out_by.set(carried_out_by)
    return updated


def evidence_activity_archive(
    *, activity: EvidenceActivity, by: User, reason: str, expected_version: int | None = None
) -> EvidenceActivity:
    _require(evidence_policy.can_change(by, activity))
    return archive(activity, by=by, reason=reason, expected_version=expected_version)


@transaction.atomic
def attachment_upload(
    *, activity: EvidenceActivity, by: User, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Store a checked file against an evidence activity (type checked by its content)."""
    from scrutiny.uploads import inspect_upload, store_checked_upload

    _require(evidence_policy.can_change(by, activity))
    _require_open(activity.inspection)
    checked = inspect_upload(upload)
    attachment = Attachment(
        evidence_activity=activity,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=by,
    )
    return store_checked_upload(
        attachment, checked=checked, upload=upload, by=by, reason="Attachment uploaded"
    )


def attachment_archive(*, attachment: Attachment, by: User, reason: str) -> Attachment:
    _require(evidence_policy.can_change(by, attachment.evidence_activity))
    return archive(attachment, by=by, reason=reason)


def attachment_download_record(*, attachment: Attachment, by: User, via: str = "page") -> None:
    """Audit a read of an attachment. Callers have already checked that `by` may see it."""
    AttachmentDownload.objects.create(attachment=attachment, user=by, via=via)
