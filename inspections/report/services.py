"""Writes for the report. Each takes the acting user as `by`, checks permission itself, runs in
one transaction and is audited: findings and factual accuracy comments through their History,
evaluations as a chain of links that are never edited, publication as frozen versions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny.services import ConflictError, archive, audited_save, versioned_update

from .. import lifecycle
from ..models import (
    PUBLISHED_STATUSES,
    EvaluationLevel,
    EvaluationLink,
    EvaluationStage,
    EvidenceActivity,
    FactualAccuracyComment,
    FactualAccuracyResponse,
    Finding,
    FindingKind,
    FindingStatus,
    Inspection,
    InspectionStatus,
    PanelOutcome,
    PublishedVersion,
    QualityIndicator,
    TemplateQuestion,
)
from ..services import ARCHIVED_INSPECTION, CLOSED_INSPECTION, NOT_ALLOWED, ONLY_LEAD
from . import content, figures, gates, policies

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import NationalOutcome

# Findings
TEXT_NEEDED = "Enter the finding."
KIND_NEEDED = "Choose what kind of finding this is."
INDICATOR_NEEDED = "Choose at least one quality indicator in scope."
INDICATOR_NOT_IN_SCOPE = "{indicator} is not in this inspection's scope."
EVIDENCE_NOT_OF_INSPECTION = "{activity} is not an evidence activity of this inspection."
QUESTION_NOT_CITABLE = (
    "{question} is not a counted question of this programme's record review template."
)
OUTCOME_ARCHIVED = "{outcome} is archived."
ALREADY_AGREED = "This finding is already agreed."
FINDING_ARCHIVED = "This finding is archived."
BACK_TO_DRAFT = "Changed after it was agreed: back to draft"
AGREED_ARCHIVE_IS_THE_LEADS = (
    "Only the lead inspector or an administrator can archive an agreed finding."
)

# Evaluations
LEVEL_NEEDED = "Choose a grade."
LEVEL_NOT_ON_SCALE = "Choose a grade on the {scale}."
RATIONALE_NEEDED = "Give the team's rationale for this grade."
OUTCOME_NEEDED = "Say whether the panel confirmed or changed the grade."
PANEL_REASON_NEEDED = "Give the panel's reason for changing the grade."
PANEL_LEVEL_NEEDED = "Choose the grade the panel changed it to."
PANEL_SAME_LEVEL = (
    "The panel changed the grade: choose a grade other than the team's proposal ({level})."
)
PANEL_CONFIRMED_OTHER_LEVEL = (
    "A confirmed grade is the team's proposal ({level}): to give another, say the panel changed it."
)
PANEL_MEMBERS_NEEDED = "Name the members of the panel."
PANEL_DATE_NEEDED = "Give the date of the panel."
PANEL_DATE_IN_FUTURE = "The panel's date cannot be in the future."
FINAL_IS_READ_ONLY = "The final grade for {indicator} is read-only: reopen moderation to change it."
NOTHING_PROPOSED = "The team has not proposed a grade for {indicator} yet."
ALREADY_PROPOSED = "The team's proposal for {indicator} is waiting for the panel's decision."
NOT_MODERATED = "The panel has not decided on {indicator} yet."
ALREADY_MODERATED = "The panel has decided on {indicator}: the next step is the final grade."
ONLY_FINAL_REOPENS = "Only a final grade can be reopened ({indicator} has none)."
REOPEN_REASON_NEEDED = "Say why moderation is being reopened."
CHAIN_MOVED_ON = (
    "Someone else recorded a step on this evaluation while you were working on it. "
    "Nothing has been saved: check the evaluation as it is now, then try again."
)

# Factual accuracy
COMMENT_NOT_NOW = (
    "Factual accuracy comments are recorded and answered during report drafting and the "
    "factual accuracy check."
)
REFERENCE_NEEDED = "Say where in the draft report the comment is about."
COMMENT_NEEDED = "Enter the partnership's comment."
RESPONSE_NEEDED = "Choose the team's response."
RESPONSE_TEXT_NEEDED = "Say why the comment is not accepted, or which part is accepted."
COMMENT_ARCHIVED = "This comment is archived."

# Publication
NOT_PUBLISHED = "Only a published inspection can have a correction published."
CORRECTION_REASON_NEEDED = "Say why this correction is published."

COMMENT_STAGES = (InspectionStatus.REPORT_DRAFTING, InspectionStatus.FACTUAL_ACCURACY)


def _require(allowed: bool, message: str = NOT_ALLOWED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_open(inspection: Inspection) -> None:
    if inspection.archived_at is not None:
        raise ValidationError(ARCHIVED_INSPECTION)
    if inspection.status in lifecycle.TERMINAL:
        raise ValidationError(CLOSED_INSPECTION.format(status=inspection.get_status_display()))


def _locked(inspection: Inspection) -> Inspection:
    """The inspection's row, locked for the rest of the transaction: steps on its evaluations
    and its published versions are taken one at a time."""
    return Inspection.objects.select_for_update().select_related("programme").get(pk=inspection.pk)


# Findings ------------------------------------------------------------------------------------


def _check_finding(
    inspection: Inspection,
    *,
    kind: str | None,
    text: str | None,
    quality_indicators: Iterable[QualityIndicator] | None,
    evidence_activities: Iterable[EvidenceActivity] | None,
    cited_questions: Iterable[TemplateQuestion] | None,
    national_outcomes: Iterable[NationalOutcome] | None,
) -> None:
    """Every error at once, on its field. None means "not being changed"."""
    errors: dict[str, list[str]] = {}
    if kind is not None and kind not in FindingKind.values:
        errors["kind"] = [KIND_NEEDED]
    if text is not None and not text.strip():
        errors["text"] = [TEXT_NEEDED]
    if quality_indicators is not None:
        in_scope = set(
            inspection.quality_indicators.filter(archived_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        if not quality_indicators:
            errors["quality_indicators"] = [INDICATOR_NEEDED]
        wrong = [qi for qi in quality_indicators if qi.pk not in in_scope]
        if wrong:
            errors["quality_indicators"] = [
                INDICATOR_NOT_IN_SCOPE.format(indicator=qi) for qi in wrong
            ]
    if evidence_activities is not None:
        wrong = [a for a in evidence_activities if a.inspection_id != inspection.pk]
        if wrong:
            errors["evidence_activities"] = [
                EVIDENCE_NOT_OF_INSPECTION.format(activity=a) for a in wrong
            ]
    if cited_questions is not None and cited_questions:
        citable = set(
            figures.citable_questions(inspection)
            .filter(pk__in=[q.pk for q in cited_questions])
            .values_list("pk", flat=True)
        )
        wrong = [q for q in cited_questions if q.pk not in citable]
        if wrong:
            errors["cited_questions"] = [QUESTION_NOT_CITABLE.format(question=q) for q in wrong]
    if national_outcomes is not None:
        wrong = [o for o in national_outcomes if o.archived_at is not None]
        if wrong:
            errors["national_outcomes"] = [OUTCOME_ARCHIVED.format(outcome=o) for o in wrong]
    if errors:
        raise ValidationError(errors)


def _set_links(finding: Finding, **relations: Iterable[Any] | None) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(finding, name).set(list(values))


@transaction.atomic
def finding_create(
    *,
    inspection: Inspection,
    by: User,
    kind: str,
    text: str,
    quality_indicators: Iterable[QualityIndicator],
    evidence_activities: Iterable[EvidenceActivity] = (),
    cited_questions: Iterable[TemplateQuestion] = (),
    national_outcomes: Iterable[NationalOutcome] = (),
) -> Finding:
    """A team member drafts a finding, tied to indicators in scope and its evidence."""
    _require(policies.can_draft(by, inspection))
    _require_open(inspection)
    relations = {
        "quality_indicators": list(quality_indicators),
        "evidence_activities": list(evidence_activities),
        "cited_questions": list(cited_questions),
        "national_outcomes": list(national_outcomes),
    }
    _check_finding(inspection, kind=kind, text=text, **relations)
    finding = Finding(inspection=inspection, kind=kind, text=text.strip(), drafted_by=by)
    audited_save(finding, by=by, reason="Finding drafted")
    _set_links(finding, **relations)
    return finding


def _ids(values: Iterable[Any]) -> set[int]:
    return {v.pk for v in values}


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    quality_indicators: Iterable[QualityIndicator] | None = None,
    evidence_activities: Iterable[EvidenceActivity] | None = None,
    cited_questions: Iterable[TemplateQuestion] | None = None,
    national_outcomes: Iterable[NationalOutcome] | None = None,
) -> Finding:
    """Change a finding's kind, text or links. Changing an agreed finding returns it to draft
    (who agreed it, and when, are cleared; its History keeps them)."""
    inspection = finding.inspection
    _require(policies.can_draft(by, inspection))
    _require_open(inspection)
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    if current.archived_at is not None:
        raise ValidationError(FINDING_ARCHIVED)
    fields = {name: changes[name] for name in ("kind", "text") if name in changes}
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
    relations = {
        "quality_indicators": None if quality_indicators is None else list(quality_indicators),
        "evidence_activities": None if evidence_activities is None else list(evidence_activities),
        "cited_questions": None if cited_questions is None else list(cited_questions),
        "national_outcomes": None if national_outcomes is None else list(national_outcomes),
    }
    _check_finding(inspection, kind=fields.get("kind"), text=fields.get("text"), **relations)
    changed = any(getattr(current, name) != value for name, value in fields.items()) or any(
        values is not None and _ids(values) != _ids(getattr(current, name).all())
        for name, values in relations.items()
    )
    reason = ""
    if changed and current.status == FindingStatus.AGREED:
        fields.update(status=FindingStatus.DRAFT, agreed_by=None, agreed_at=None)
        reason = BACK_TO_DRAFT
    updated = versioned_update(
        current, by=by, expected_version=current.version, changes=fields, reason=reason
    )
    _set_links(updated, **relations)
    return updated


@transaction.atomic
def finding_agree(*, finding: Finding, by: User, expected_version: int | None) -> Finding:
    """The lead inspector (or an administrator) agrees a draft finding: who and when are kept."""
    _require(policies.can_decide(by, finding.inspection), ONLY_LEAD)
    _require_open(finding.inspection)
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    if current.archived_at is not None:
        raise ValidationError(FINDING_ARCHIVED)
    if current.status == FindingStatus.AGREED:
        raise ValidationError(ALREADY_AGREED)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": FindingStatus.AGREED, "agreed_by": by, "agreed_at": timezone.now()},
        reason="Agreed by the lead inspector",
    )


def finding_archive(
    *, finding: Finding, by: User, reason: str, expected_version: int | None = None
) -> Finding:
    """Take a finding out of the report. A draft: its team; an agreed one: the lead."""
    inspection = finding.inspection
    if finding.status == FindingStatus.AGREED:
        _require(policies.can_decide(by, inspection), AGREED_ARCHIVE_IS_THE_LEADS)
    else:
        _require(policies.can_draft(by, inspection) or policies.can_decide(by, inspection))
    _require_open(inspection)
    return archive(finding, by=by, reason=reason, expected_version=expected_version)


# Evaluations ---------------------------------------------------------------------------------


ANY_LAST = object()  # `expected_last` not given: no check of what the caller saw


class ChainMovedOn(ConflictError):
    """A step based on a chain that has grown since the caller read it. `current_version` is
    the id of the chain's last link (0 when it has none)."""

    def __init__(self, last: EvaluationLink | None):
        super().__init__(SimpleNamespace(version=last.pk if last else 0), CHAIN_MOVED_ON)


def _chain_end(
    inspection: Inspection, indicator: QualityIndicator, expected_last: Any
) -> EvaluationLink | None:
    """The chain's last link, after checking the indicator is in scope and (if the caller says
    which link it saw last: an id, or None for an empty chain) that nothing was added since."""
    if not inspection.quality_indicators.filter(pk=indicator.pk, archived_at__isnull=True).exists():
        raise ValidationError(
            {"quality_indicator": [INDICATOR_NOT_IN_SCOPE.format(indicator=indicator)]}
        )
    last = (
        EvaluationLink.objects.filter(inspection=inspection, quality_indicator=indicator)
        .select_related("level", "previous")
        .order_by("-pk")
        .first()
    )
    if expected_last is not ANY_LAST:
        seen = None if expected_last in (None, "", 0) else int(expected_last)
        if (last.pk if last else None) != seen:
            raise ChainMovedOn(last)
    return last


def _check_level(inspection: Inspection, level: EvaluationLevel | None, field: str = "level"):
    scale = inspection.programme.evaluation_scale
    if level is None:
        raise ValidationError({field: [LEVEL_NEEDED]})
    if level.scale_id != scale.pk or level.archived_at is not None:
        raise ValidationError({field: [LEVEL_NOT_ON_SCALE.format(scale=scale)]})


def _add_link(**fields: Any) -> EvaluationLink:
    members = fields.pop("panel_members", None)
    link = EvaluationLink(**fields)
    link.full_clean(exclude=["panel_members"])
    link.save()
    if members:
        link.panel_members.set(members)
    return link


def _refuse_on_final(last: EvaluationLink | None, indicator: QualityIndicator) -> None:
    if last is not None and last.stage == EvaluationStage.FINAL:
        raise ValidationError(FINAL_IS_READ_ONLY.format(indicator=indicator))


@transaction.atomic
def evaluation_propose(
    *,
    inspection: Inspection,
    quality_indicator: QualityIndicator,
    by: User,
    level: EvaluationLevel | None,
    rationale: str,
    expected_last: Any = ANY_LAST,
) -> EvaluationLink:
    """The team proposes a grade, with its rationale: the first link, or the next after
    moderation was reopened."""
    _require(policies.can_draft(by, inspection))
    inspection = _locked(inspection)
    _require_open(inspection)
    last = _chain_end(inspection, quality_indicator, expected_last)
    _refuse_on_final(last, quality_indicator)
    if last is not None and last.stage == EvaluationStage.PROPOSED:
        raise ValidationError(ALREADY_PROPOSED.format(indicator=quality_indicator))
    if last is not None and last.stage == EvaluationStage.PANEL:
        raise ValidationError(ALREADY_MODERATED.format(indicator=quality_indicator))
    errors = {}
    try:
        _check_level(inspection, level)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (rationale or "").strip():
        errors["rationale"] = [RATIONALE_NEEDED]
    if errors:
        raise ValidationError(errors)
    return _add_link(
        inspection=inspection,
        quality_indicator=quality_indicator,
        stage=EvaluationStage.PROPOSED,
        level=level,
        rationale=rationale.strip(),
        previous=last,
        created_by=by,
    )


@transaction.atomic
def evaluation_panel(
    *,
    inspection: Inspection,
    quality_indicator: QualityIndicator,
    by: User,
    outcome: str,
    level: EvaluationLevel | None = None,
    reason: str = "",
    panel_members: Iterable[User] = (),
    panel_date: datetime.date | None = None,
    expected_last: Any = ANY_LAST,
) -> EvaluationLink:
    """The quality and consistency panel's decision on the team's proposal: confirmed, or
    changed (to another grade, with a reason); with its members and date."""
    _require(policies.can_decide(by, inspection), ONLY_LEAD)
    inspection = _locked(inspection)
    _require_open(inspection)
    last = _chain_end(inspection, quality_indicator, expected_last)
    _refuse_on_final(last, quality_indicator)
    if last is None or last.stage == EvaluationStage.REOPENED:
        raise ValidationError(NOTHING_PROPOSED.format(indicator=quality_indicator))
    if last.stage == EvaluationStage.PANEL:
        raise ValidationError(ALREADY_MODERATED.format(indicator=quality_indicator))
    proposed = last.level
    reason = (reason or "").strip()
    members = list(panel_members or [])
    errors: dict[str, list[str]] = {}
    if outcome not in PanelOutcome.values:
        errors["outcome"] = [OUTCOME_NEEDED]
    elif outcome == PanelOutcome.CHANGED:
        if level is None:
            errors["level"] = [PANEL_LEVEL_NEEDED]
        elif level.pk == proposed.pk:
            errors["level"] = [PANEL_SAME_LEVEL.format(level=proposed)]
        else:
            try:
                _check_level(inspection, level)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if not reason:
            errors["reason"] = [PANEL_REASON_NEEDED]
    elif level is not None and level.pk != proposed.pk:
        errors["level"] = [PANEL_CONFIRMED_OTHER_LEVEL.format(level=proposed)]
    if not members:
        errors["panel_members"] = [PANEL_MEMBERS_NEEDED]
    if panel_date is None:
        errors["panel_date"] = [PANEL_DATE_NEEDED]
    elif panel_date > timezone.localdate():
        errors["panel_date"] = [PANEL_DATE_IN_FUTURE]
    if errors:
        raise ValidationError(errors)
    return _add_link(
        inspection=inspection,
        quality_indicator=quality_indicator,
        stage=EvaluationStage.PANEL,
        level=level if outcome == PanelOutcome.CHANGED else proposed,
        rationale=reason,
        panel_outcome=outcome,
        panel_members=members,
        panel_date=panel_date,
        previous=last,
        created_by=by,
    )


@transaction.atomic
def evaluation_finalise(
    *,
    inspection: Inspection,
    quality_indicator: QualityIndicator,
    by: User,
    expected_last: Any = ANY_LAST,
) -> EvaluationLink:
    """The final grade: the panel's grade, with the team's rationale. Read-only from now on."""
    _require(policies.can_decide(by, inspection), ONLY_LEAD)
    inspection = _locked(inspection)
    _require_open(inspection)
    last = _chain_end(inspection, quality_indicator, expected_last)
    _refuse_on_final(last, quality_indicator)
    if last is None or last.stage != EvaluationStage.PANEL:
        raise ValidationError(NOT_MODERATED.format(indicator=quality_indicator))
    proposal = last.previous
    return _add_link(
        inspection=inspection,
        quality_indicator=quality_indicator,
        stage=EvaluationStage.FINAL,
        level=last.level,
        rationale=proposal.rationale if proposal is not None else "",
        previous=last,
        created_by=by,
    )


@transaction.atomic
def evaluation_reopen(
    *,
    inspection: Inspection,
    quality_indicator: QualityIndicator,
    by: User,
    reason: str,
    expected_last: Any = ANY_LAST,
) -> EvaluationLink:
    """Reopen moderation of a final grade, with a reason: a new link; the team then proposes
    again and the chain continues. Nothing before it changes."""
    _require(policies.can_decide(by, inspection), ONLY_LEAD)
    inspection = _locked(inspection)
    _require_open(inspection)
    last = _chain_end(inspection, quality_indicator, expected_last)
    if last is None or last.stage != EvaluationStage.FINAL:
        raise ValidationError(ONLY_FINAL_REOPENS.format(indicator=quality_indicator))
    if not (reason or "").strip():
        raise ValidationError({"reason": [REOPEN_REASON_NEEDED]})
    return _add_link(
        inspection=inspection,
        quality_indicator=quality_indicator,
        stage=EvaluationStage.REOPENED,
        level=None,
        rationale=reason.strip(),
        previous=last,
        created_by=by,
    )


# Factual accuracy ----------------------------------------------------------------------------


def _require_comment_stage(inspection: Inspection) -> None:
    _require_open(inspection)
    if inspection.status not in COMMENT_STAGES:
        raise ValidationError(COMMENT_NOT_NOW)


def _check_comment(report_reference: str | None, comment: str | None) -> None:
    errors = {}
    if report_reference is not None and not report_reference.strip():
        errors["report_reference"] = [REFERENCE_NEEDED]
    if comment is not None and not comment.strip():
        errors["comment"] = [COMMENT_NEEDED]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fa_comment_create(
    *, inspection: Inspection, by: User, report_reference: str, comment: str
) -> FactualAccuracyComment:
    """A team member records a point of the draft report the partnership disputes."""
    _require(policies.can_record_comments(by, inspection))
    _require_comment_stage(inspection)
    _check_comment(report_reference, comment)
    record = FactualAccuracyComment(
        inspection=inspection,
        report_reference=report_reference.strip(),
        comment=comment.strip(),
    )
    return audited_save(record, by=by, reason="Factual accuracy comment recorded")


@transaction.atomic
def fa_comment_update(
    *,
    comment: FactualAccuracyComment,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> FactualAccuracyComment:
    """Correct how the partnership's comment was recorded (where, and what it says)."""
    _require(policies.can_record_comments(by, comment.inspection))
    _require_comment_stage(comment.inspection)
    if comment.archived_at is not None:
        raise ValidationError(COMMENT_ARCHIVED)
    fields = {
        name: (changes[name] or "").strip()
        for name in ("report_reference", "comment")
        if name in changes
    }
    _check_comment(fields.get("report_reference"), fields.get("comment"))
    return versioned_update(comment, by=by, expected_version=expected_version, changes=fields)


@transaction.atomic
def fa_comment_respond(
    *,
    comment: FactualAccuracyComment,
    by: User,
    expected_version: int | None,
    response: str,
    response_text: str = "",
    change_made: str = "",
) -> FactualAccuracyComment:
    """The team's response (accepted, partly accepted, not accepted) and any change made.
    A later response replaces it; the History keeps each."""
    _require(policies.can_decide(by, comment.inspection), ONLY_LEAD)
    _require_comment_stage(comment.inspection)
    if comment.archived_at is not None:
        raise ValidationError(COMMENT_ARCHIVED)
    response_text = (response_text or "").strip()
    errors = {}
    if response not in FactualAccuracyResponse.values:
        errors["response"] = [RESPONSE_NEEDED]
    elif response != FactualAccuracyResponse.ACCEPTED and not response_text:
        errors["response_text"] = [RESPONSE_TEXT_NEEDED]
    if errors:
        raise ValidationError(errors)
    return versioned_update(
        comment,
        by=by,
        expected_version=expected_version,
        changes={
            "response": response,
            "response_text": response_text,
            "change_made": (change_made or "").strip(),
            "responded_by": by,
            "responded_at": timezone.now(),
        },
        reason="The team's response",
    )


def fa_comment_archive(
    *,
    comment: FactualAccuracyComment,
    by: User,
    reason: str,
    expected_version: int | None = None,
) -> FactualAccuracyComment:
    """Only the lead archives a comment (it would otherwise leave the publication gate)."""
    _require(policies.can_decide(by, comment.inspection), ONLY_LEAD)
    _require_open(comment.inspection)
    return archive(comment, by=by, reason=reason, expected_version=expected_version)


# Publication ---------------------------------------------------------------------------------


def _freeze(
    inspection: Inspection, *, by: User, number: int, published_on: datetime.date, reason: str
) -> PublishedVersion:
    version = PublishedVersion(
        inspection=inspection,
        number=number,
        published_on=published_on,
        reason=reason,
        content=content.build(inspection, number=number, published_on=published_on, reason=reason),
        created_by=by,
    )
    version.full_clean()
    version.save()
    return version


@lifecycle.on_enter(InspectionStatus.PUBLISHED)
def freeze_first_version(inspection: Inspection, *, by: User, on: datetime.date) -> None:
    """Publishing freezes version 1, in the transition's own transaction."""
    if not PublishedVersion.objects.filter(inspection=inspection).exists():
        _freeze(inspection, by=by, number=1, published_on=on, reason="")


@transaction.atomic
def published_correction(
    *, inspection: Inspection, by: User, reason: str, on: datetime.date | None = None
) -> PublishedVersion:
    """Publish a correction: a new version, frozen from the report as it now stands, with the
    reason. Earlier versions stay exactly as they were."""
    _require(policies.can_decide(by, inspection), ONLY_LEAD)
    inspection = _locked(inspection)
    if inspection.archived_at is not None:
        raise ValidationError(ARCHIVED_INSPECTION)
    if inspection.status not in PUBLISHED_STATUSES:
        raise ValidationError(NOT_PUBLISHED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [CORRECTION_REASON_NEEDED]})
    unmet = gates.unmet_for_publication(inspection)
    if unmet:
        raise ValidationError(unmet)
    last = PublishedVersion.objects.filter(inspection=inspection).order_by("-number").first()
    return _freeze(
        inspection,
        by=by,
        number=(last.number if last else 0) + 1,
        published_on=on or timezone.localdate(),
        reason=reason,
    )
