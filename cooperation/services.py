"""Writes for the co-operation log. Each takes the acting user `by` (keyword-only), checks
permission itself, runs in one transaction and is audited, so pages, the API, the admin site
and commands behave alike. Messages are module constants so tests can match them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny.services import ConflictError, archive, audited_save, versioned_update

from .models import (
    BODY_CODES,
    ActionStatus,
    Escalation,
    EscalationLevel,
    EscalationStatus,
    EscalationStep,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingAttachmentDownload,
    MeetingAttendee,
    MeetingStatus,
    Mitigation,
    NoSurprisesNotice,
    NoticeKind,
    SharedRisk,
)
from .policies import (
    action_policy,
    attachment_policy,
    escalation_policy,
    meeting_policy,
    mitigation_policy,
    notice_policy,
    review_policy,
    risk_policy,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import Agency, User

NOT_ALLOWED = "You do not have permission to do this."
NOT_A_BODY = "Choose the Care Inspectorate or Healthcare Improvement Scotland."
HELD_IN_FUTURE = "A meeting in the future cannot have been held yet: mark it booked."
DATE_IN_FUTURE = "The date cannot be in the future."
TOLD_IN_FUTURE = "The date the other body was told cannot be in the future."
ACKNOWLEDGED_IN_FUTURE = "The date of acknowledgement cannot be in the future."
ACKNOWLEDGED_BEFORE_TOLD = "A notice is acknowledged on or after the day it is told."
ACKNOWLEDGED_NOT_TOLD = "Enter the date the other body was told before the acknowledgement."
TOLD_WHOM_NEEDED = "Say who at the other body was told."
URGENT_REASON_NEEDED = "Say why it was urgent."
COMMITMENT_TYPE_NEEDED = "Say which kind of commitment it is."
COMMITMENT_TYPE_ONLY = "Only commitments have a kind of commitment."
CLOSED_ESCALATION = "This escalation is {status}: it can no longer change."
OUT_OF_ORDER = (
    "An escalation moves to the next level only, in order: from {current} the next level is "
    "{expected}."
)
AT_TOP_LEVEL = "This escalation is already with the chief executives: it cannot go higher."
STEP_BEFORE_LAST = "The date it reached this level cannot be before {date}."
TARGET_BEFORE_REACHED = "The target date cannot be before the date it reached this level."
RESOLUTION_NEEDED = "Say how it was resolved."
WITHDRAWAL_REASON_NEEDED = "Say why it is withdrawn."
CLOSED_BEFORE_RAISED = "The date cannot be before the escalation was raised ({date})."
DONE_IN_FUTURE = "The date done cannot be in the future."

# Set only by version checks and archiving, never by a create or an edit.
BOOKKEEPING_FIELDS = ("id", "pk", "version", "created_at", "updated_at", "archived_at")
# An escalation's level and status change only by escalating, resolving or withdrawing.
ESCALATION_STATE_FIELDS = ("level", "status", "resolution", "resolved_on")


def _require(allowed: bool, message: str = NOT_ALLOWED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _editable(changes: dict[str, Any], *locked: str) -> dict[str, Any]:
    refused = {*BOOKKEEPING_FIELDS, "archived_by", *locked}
    return {name: value for name, value in changes.items() if name not in refused}


def _today() -> datetime.date:
    return timezone.localdate()


def _check_body(field: str, body: Agency | None) -> None:
    if body is not None and body.code not in BODY_CODES:
        raise ValidationError({field: [NOT_A_BODY]})


def _merged(instance, changes: dict[str, Any]):
    """A copy of the record with the changes applied, to check rules before saving."""
    candidate = type(instance)._default_manager.get(pk=instance.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    return candidate


# Meetings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    agency: Agency
    name: str
    role: str = ""

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.agency.pk, self.name.strip().lower(), self.role.strip().lower())


def _check_meeting(meeting: Meeting) -> None:
    _check_body("raised_by", meeting.raised_by)
    if meeting.status == MeetingStatus.HELD and meeting.held_on > _today():
        raise ValidationError({"status": [HELD_IN_FUTURE]})


def _set_attendees(meeting: Meeting, attendees: list[Attendee], by: User) -> str:
    """Archive those no longer listed and add the new ones. Returns a summary for the
    meeting's History, empty if nothing changed."""
    for attendee in attendees:
        _check_body("attendees", attendee.agency)
    current = list(meeting.attendees.filter(archived_at__isnull=True).select_related("agency"))
    wanted = {a.key: a for a in attendees}
    have = {(a.agency_id, a.name.strip().lower(), a.role.strip().lower()): a for a in current}
    removed = [row for key, row in have.items() if key not in wanted]
    added = [a for key, a in wanted.items() if key not in have]
    for row in removed:
        archive(row, by=by, reason="No longer listed as attending")
    for attendee in added:
        audited_save(
            MeetingAttendee(
                meeting=meeting,
                agency=attendee.agency,
                name=attendee.name.strip(),
                role=attendee.role.strip(),
            ),
            by=by,
            reason="Listed as attending",
        )
    parts = []
    if added:
        parts.append("added " + "; ".join(f"{a.name} ({a.agency.code})" for a in added))
    if removed:
        parts.append("removed " + "; ".join(f"{r.name} ({r.agency.code})" for r in removed))
    return ("Attendees " + ", ".join(parts)) if parts else ""


@transaction.atomic
def meeting_create(
    *,
    by: User,
    meeting_type,
    held_on: datetime.date,
    status: str,
    raised_by: Agency,
    attendees: list[Attendee] | None = None,
    risks: list[SharedRisk] | None = None,
    **fields: Any,
) -> Meeting:
    _require(meeting_policy.can_add(by))
    meeting = Meeting(
        meeting_type=meeting_type,
        held_on=held_on,
        status=status,
        raised_by=raised_by,
        **_editable(fields, "risks"),
    )
    _check_meeting(meeting)
    audited_save(meeting, by=by, reason="Meeting recorded")
    if risks:
        meeting.risks.set(risks)
    if attendees:
        _set_attendees(meeting, attendees, by)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    attendees: list[Attendee] | None = None,
    risks: list[SharedRisk] | None = None,
) -> Meeting:
    _require(meeting_policy.can_change(by, meeting))
    changes = _editable(changes, "risks")
    _check_meeting(_merged(meeting, changes))
    reason = ""
    if attendees is not None:
        # Check the version before touching the attendees (versioned_update checks it again).
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if expected_version is None or current.version != int(expected_version):
            raise ConflictError(current)
        reason = _set_attendees(meeting, attendees, by)
    updated = versioned_update(
        meeting, by=by, expected_version=expected_version, changes=changes, reason=reason
    )
    if risks is not None:
        updated.risks.set(risks)
    return updated


def meeting_archive(
    *, meeting: Meeting, by: User, reason: str = "", expected_version: int | None = None
) -> Meeting:
    _require(meeting_policy.can_archive(by, meeting))
    return archive(meeting, by=by, reason=reason, expected_version=expected_version)


@transaction.atomic
def meeting_attachment_upload(
    *, meeting: Meeting, by: User, upload: UploadedFile, description: str = ""
) -> MeetingAttachment:
    """Store a file (minutes or papers) checked by its content, as evidence files are."""
    from scrutiny.uploads import inspect_upload, store_checked_upload

    _require(attachment_policy.can_add(by) and meeting.archived_at is None)
    checked = inspect_upload(upload)
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=by,
    )
    return store_checked_upload(
        attachment, checked=checked, upload=upload, by=by, reason="File uploaded"
    )


def meeting_attachment_archive(
    *, attachment: MeetingAttachment, by: User, reason: str = ""
) -> MeetingAttachment:
    _require(attachment_policy.can_archive(by, attachment))
    return archive(attachment, by=by, reason=reason)


def meeting_attachment_download_record(
    *, attachment: MeetingAttachment, by: User, via: str = "page"
) -> None:
    """Audit a read of a file. Callers have already checked that `by` may see it."""
    MeetingAttachmentDownload.objects.create(attachment=attachment, user=by, via=via)


# Meeting actions -----------------------------------------------------------------------------


def _completion(status: str, completed_on: datetime.date | None) -> datetime.date | None:
    if status != ActionStatus.DONE:
        return None
    completed_on = completed_on or _today()
    if completed_on > _today():
        raise ValidationError({"completed_on": [DONE_IN_FUTURE]})
    return completed_on


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    by: User,
    description: str,
    owner: User,
    due_on: datetime.date,
    status: str = ActionStatus.OPEN,
    notes: str = "",
    completed_on: datetime.date | None = None,
) -> MeetingAction:
    _require(action_policy.can_add(by) and meeting.archived_at is None)
    action = MeetingAction(
        meeting=meeting,
        description=description,
        owner=owner,
        due_on=due_on,
        status=status,
        notes=notes,
        completed_on=_completion(status, completed_on),
    )
    return audited_save(action, by=by, reason="Action agreed")


@transaction.atomic
def action_update(
    *,
    action: MeetingAction,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str = "",
) -> MeetingAction:
    """Change an action; its date done follows its status (today if not given)."""
    _require(action_policy.can_change(by, action))
    changes = _editable(changes, "meeting")
    status = changes.get("status", action.status)
    completed_on = changes.get("completed_on", action.completed_on)
    changes["completed_on"] = _completion(status, completed_on)
    return versioned_update(
        action, by=by, expected_version=expected_version, changes=changes, reason=reason
    )


def action_set_status(
    *,
    action: MeetingAction,
    by: User,
    status: str,
    expected_version: int | None,
    completed_on: datetime.date | None = None,
) -> MeetingAction:
    label = ActionStatus(status).label
    return action_update(
        action=action,
        by=by,
        expected_version=expected_version,
        changes={"status": status, "completed_on": completed_on},
        reason=f"Marked {label.lower()}",
    )


def action_archive(
    *, action: MeetingAction, by: User, reason: str = "", expected_version: int | None = None
) -> MeetingAction:
    _require(action_policy.can_archive(by, action))
    return archive(action, by=by, reason=reason, expected_version=expected_version)


# No-surprises notices ------------------------------------------------------------------------


def _check_notice(notice: NoSurprisesNotice) -> None:
    """Rules across fields, as field errors. A notice recorded after the event is allowed
    (urgent action is never blocked); it is flagged, not refused."""
    errors: dict[str, list[str]] = {}
    today = _today()
    _check_body("raised_by", notice.raised_by)
    if notice.kind == NoticeKind.COMMITMENT and not notice.commitment_type:
        errors["commitment_type"] = [COMMITMENT_TYPE_NEEDED]
    if notice.kind != NoticeKind.COMMITMENT and notice.commitment_type:
        errors["commitment_type"] = [COMMITMENT_TYPE_ONLY]
    if notice.told_on and notice.told_on > today:
        errors["told_on"] = [TOLD_IN_FUTURE]
    if notice.told_on and not notice.told_whom.strip():
        errors["told_whom"] = [TOLD_WHOM_NEEDED]
    if notice.acknowledged_on:
        if not notice.told_on:
            errors["acknowledged_on"] = [ACKNOWLEDGED_NOT_TOLD]
        elif notice.acknowledged_on < notice.told_on:
            errors["acknowledged_on"] = [ACKNOWLEDGED_BEFORE_TOLD]
        elif notice.acknowledged_on > today:
            errors["acknowledged_on"] = [ACKNOWLEDGED_IN_FUTURE]
    if notice.urgent and not notice.urgent_reason.strip():
        errors["urgent_reason"] = [URGENT_REASON_NEEDED]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_create(*, by: User, **fields: Any) -> NoSurprisesNotice:
    """Record a notice, before or after the event. One recorded after the event and marked
    urgent counts as urgent action, not as a late notice."""
    _require(notice_policy.can_add(by))
    notice = NoSurprisesNotice(**_editable(fields))
    if not notice.urgent:
        notice.urgent_reason = ""
    _check_notice(notice)
    reason = "Urgent notice recorded after the event" if notice.urgent else "Notice recorded"
    return audited_save(notice, by=by, reason=reason)


@transaction.atomic
def notice_update(
    *,
    notice: NoSurprisesNotice,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> NoSurprisesNotice:
    _require(notice_policy.can_change(by, notice))
    changes = _editable(changes)
    if changes.get("urgent") is False:
        changes["urgent_reason"] = ""
    _check_notice(_merged(notice, changes))
    reason = ""
    if changes.get("acknowledged_on") and not notice.acknowledged_on:
        reason = "Acknowledged"
    return versioned_update(
        notice, by=by, expected_version=expected_version, changes=changes, reason=reason
    )


def notice_archive(
    *,
    notice: NoSurprisesNotice,
    by: User,
    reason: str = "",
    expected_version: int | None = None,
) -> NoSurprisesNotice:
    _require(notice_policy.can_archive(by, notice))
    return archive(notice, by=by, reason=reason, expected_version=expected_version)


# Escalations ---------------------------------------------------------------------------------


def _require_open(escalation: Escalation) -> None:
    if escalation.status != EscalationStatus.OPEN:
        raise ValidationError(
            CLOSED_ESCALATION.format(status=escalation.get_status_display().lower())
        )
    if escalation.archived_at is not None:
        raise ValidationError(CLOSED_ESCALATION.format(status="archived"))


def _check_step(step: EscalationStep) -> None:
    if step.reached_on > _today():
        raise ValidationError({"reached_on": [DATE_IN_FUTURE]})
    if step.target_on < step.reached_on:
        raise ValidationError({"target_on": [TARGET_BEFORE_REACHED]})


@transaction.atomic
def escalation_raise(
    *,
    by: User,
    subject: str,
    raised_by: Agency,
    raised_on: datetime.date,
    raising_body_position: str,
    held_by: str,
    target_on: datetime.date,
    other_body_position: str = "",
    description: str = "",
    notes: str = "",
) -> Escalation:
    """Record a disagreement with the relevant senior managers: the first level."""
    _require(escalation_policy.can_add(by))
    _check_body("raised_by", raised_by)
    if raised_on > _today():
        raise ValidationError({"raised_on": [DATE_IN_FUTURE]})
    escalation = Escalation(
        subject=subject,
        description=description,
        raised_by=raised_by,
        raised_on=raised_on,
        raising_body_position=raising_body_position,
        other_body_position=other_body_position,
        level=EscalationLevel.SENIOR_MANAGERS,
        status=EscalationStatus.OPEN,
    )
    audited_save(escalation, by=by, reason="Raised with the relevant senior managers")
    step = EscalationStep(
        escalation=escalation,
        level=EscalationLevel.SENIOR_MANAGERS,
        reached_on=raised_on,
        held_by=held_by,
        target_on=target_on,
        notes=notes,
    )
    _check_step(step)
    audited_save(step, by=by, reason="Raised with the relevant senior managers")
    return escalation


@transaction.atomic
def escalation_update(
    *,
    escalation: Escalation,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> Escalation:
    """Change what the disagreement is about and the bodies' positions (not its level or
    status: those change by escalating, resolving or withdrawing)."""
    _require(escalation_policy.can_change(by, escalation))
    changes = _editable(changes, *ESCALATION_STATE_FIELDS, "raised_on")
    if "raised_by" in changes:
        _check_body("raised_by", changes["raised_by"])
    return versioned_update(escalation, by=by, expected_version=expected_version, changes=changes)


@transaction.atomic
def escalation_escalate(
    *,
    escalation: Escalation,
    by: User,
    to_level: str,
    reached_on: datetime.date,
    held_by: str,
    target_on: datetime.date,
    notes: str = "",
    expected_version: int | None = None,
) -> Escalation:
    """Move an open escalation to the next level, and only the next one, in order. Refused
    (ValidationError on `level`) for a level out of order; audited on the escalation."""
    _require(escalation_policy.can_change(by, escalation))
    current = Escalation.objects.select_for_update().get(pk=escalation.pk)
    _require_open(current)
    level = EscalationLevel(current.level)
    expected = level.next_level
    if expected is None:
        raise ValidationError({"level": [AT_TOP_LEVEL]})
    if to_level != expected:
        raise ValidationError(
            {"level": [OUT_OF_ORDER.format(current=level.label, expected=expected.label)]}
        )
    last = current.steps.filter(archived_at__isnull=True).order_by("-reached_on", "-pk").first()
    if last is not None and reached_on < last.reached_on:
        raise ValidationError(
            {"reached_on": [STEP_BEFORE_LAST.format(date=f"{last.reached_on:%-d %B %Y}")]}
        )
    step = EscalationStep(
        escalation=current,
        level=expected,
        reached_on=reached_on,
        held_by=held_by,
        target_on=target_on,
        notes=notes,
    )
    _check_step(step)
    reason = f"Escalated to {expected.label.lower()}"
    updated = versioned_update(
        current,
        by=by,
        expected_version=expected_version if expected_version is not None else current.version,
        changes={"level": expected.value},
        reason=reason,
    )
    audited_save(step, by=by, reason=reason)
    return updated


@transaction.atomic
def escalation_step_update(
    *,
    step: EscalationStep,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> EscalationStep:
    """Change who holds a step, its target date or notes (the current step of an open one)."""
    _require(escalation_policy.can_change(by, step.escalation))
    _require_open(step.escalation)
    changes = _editable(changes, "escalation", "level")
    candidate = _merged(step, changes)
    _check_step(candidate)
    return versioned_update(step, by=by, expected_version=expected_version, changes=changes)


def _close(
    *,
    escalation: Escalation,
    by: User,
    status: str,
    text: str,
    on: datetime.date | None,
    expected_version: int | None,
    missing: str,
    reason: str,
    fields: tuple[str, str],
) -> Escalation:
    """Resolve or withdraw. `fields` names the text and date inputs, for error messages."""
    text_field, date_field = fields
    _require(escalation_policy.can_change(by, escalation))
    current = Escalation.objects.select_for_update().get(pk=escalation.pk)
    _require_open(current)
    on = on or _today()
    if not (text or "").strip():
        raise ValidationError({text_field: [missing]})
    if on > _today():
        raise ValidationError({date_field: [DATE_IN_FUTURE]})
    if on < current.raised_on:
        raise ValidationError(
            {date_field: [CLOSED_BEFORE_RAISED.format(date=f"{current.raised_on:%-d %B %Y}")]}
        )
    return versioned_update(
        current,
        by=by,
        expected_version=expected_version if expected_version is not None else current.version,
        changes={"status": status, "resolution": text.strip(), "resolved_on": on},
        reason=reason,
    )


@transaction.atomic
def escalation_resolve(
    *,
    escalation: Escalation,
    by: User,
    resolution: str,
    resolved_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Escalation:
    return _close(
        escalation=escalation,
        by=by,
        status=EscalationStatus.RESOLVED,
        text=resolution,
        on=resolved_on,
        expected_version=expected_version,
        missing=RESOLUTION_NEEDED,
        reason="Resolved",
        fields=("resolution", "resolved_on"),
    )


@transaction.atomic
def escalation_withdraw(
    *,
    escalation: Escalation,
    by: User,
    reason: str,
    withdrawn_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Escalation:
    return _close(
        escalation=escalation,
        by=by,
        status=EscalationStatus.WITHDRAWN,
        text=reason,
        on=withdrawn_on,
        expected_version=expected_version,
        missing=WITHDRAWAL_REASON_NEEDED,
        reason="Withdrawn",
        fields=("reason", "withdrawn_on"),
    )


def escalation_archive(
    *, escalation: Escalation, by: User, reason: str = "", expected_version: int | None = None
) -> Escalation:
    _require(escalation_policy.can_archive(by, escalation))
    return archive(escalation, by=by, reason=reason, expected_version=expected_version)


@transaction.atomic
def log_review_record(*, by: User, reviewed_on: datetime.date | None = None, notes: str = ""):
    """A chief executive records that they reviewed the co-operation log on a date."""
    _require(review_policy.can_add(by), "Only chief executives record a review of the log.")
    reviewed_on = reviewed_on or _today()
    if reviewed_on > _today():
        raise ValidationError({"reviewed_on": [DATE_IN_FUTURE]})
    review = LogReview(reviewed_by=by, reviewed_on=reviewed_on, notes=notes)
    return audited_save(review, by=by, reason="Reviewed the co-operation log")


# Shared risks --------------------------------------------------------------------------------


def _check_risk(risk: SharedRisk) -> None:
    _check_body("owner_body", risk.owner_body)
    _check_body("raised_by", risk.raised_by)


@transaction.atomic
def risk_create(*, by: User, **fields: Any) -> SharedRisk:
    _require(risk_policy.can_add(by))
    risk = SharedRisk(**_editable(fields))
    _check_risk(risk)
    return audited_save(risk, by=by, reason="Added to the joint risk register")


@transaction.atomic
def risk_update(
    *, risk: SharedRisk, by: User, expected_version: int | None, changes: dict[str, Any]
) -> SharedRisk:
    _require(risk_policy.can_change(by, risk))
    changes = _editable(changes)
    _check_risk(_merged(risk, changes))
    return versioned_update(risk, by=by, expected_version=expected_version, changes=changes)


def risk_archive(
    *, risk: SharedRisk, by: User, reason: str = "", expected_version: int | None = None
) -> SharedRisk:
    _require(risk_policy.can_archive(by, risk))
    return archive(risk, by=by, reason=reason, expected_version=expected_version)


@transaction.atomic
def mitigation_create(*, risk: SharedRisk, by: User, **fields: Any) -> Mitigation:
    _require(mitigation_policy.can_add(by) and risk.archived_at is None)
    mitigation = Mitigation(risk=risk, **_editable(fields, "risk"))
    return audited_save(mitigation, by=by, reason="Mitigation agreed")


@transaction.atomic
def mitigation_update(
    *, mitigation: Mitigation, by: User, expected_version: int | None, changes: dict[str, Any]
) -> Mitigation:
    _require(mitigation_policy.can_change(by, mitigation))
    return versioned_update(
        mitigation,
        by=by,
        expected_version=expected_version,
        changes=_editable(changes, "risk"),
    )


def mitigation_archive(
    *, mitigation: Mitigation, by: User, reason: str = "", expected_version: int | None = None
) -> Mitigation:
    _require(mitigation_policy.can_archive(by, mitigation))
    return archive(mitigation, by=by, reason=reason, expected_version=expected_version)
