"""Writes for support assessments and decisions. Each runs in one transaction and audits the
acting user and reason through scrutiny.services, whatever the entry point."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny.services import ConflictError, audited_save, versioned_update

from . import rules, selectors
from .models import (
    ActionStatus,
    CriterionJudgement,
    ImprovementAction,
    ImprovementCriterion,
    ImprovementPlan,
    PlanStatus,
    ProgressUpdate,
    RecordStatus,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
)

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Inspection
    from partnerships.models import Partnership

RATIONALE_REQUIRED_MESSAGE = (
    "Give a rationale: the level decided differs from the level the conditions recommend."
)
NOT_ADJACENT_MESSAGE = "A partnership can sit only between two adjacent levels."
INSPECTION_PARTNERSHIP_MESSAGE = "Choose an inspection of this partnership."
AGREED_READ_ONLY_MESSAGE = "This decision has been agreed: reopen it before changing it."
NOT_AGREED_MESSAGE = "Only an agreed decision can be reopened."
REOPEN_REASON_MESSAGE = "Say why the decision is being reopened."
UNKNOWN_CRITERION_MESSAGE = "Judge only the framework's criteria."

# {criterion id: (met, evidence note)}
Judgements = dict[int, tuple[bool, str]]


def _check_inspection(partnership: Partnership, inspection: Inspection | None) -> None:
    if inspection is not None and inspection.partnership_id != partnership.pk:
        raise ValidationError({"inspection": [INSPECTION_PARTNERSHIP_MESSAGE]})


def _save_judgements(assessment: SupportAssessment, judgements: Judgements, by: User) -> None:
    known = set(ImprovementCriterion.objects.filter(pk__in=judgements).values_list("pk", flat=True))
    if known != set(judgements):
        raise ValidationError(UNKNOWN_CRITERION_MESSAGE)
    existing = {j.criterion_id: j for j in assessment.judgements.all()}
    for criterion_id, (met, evidence) in judgements.items():
        judgement = existing.get(criterion_id)
        if judgement is None:
            audited_save(
                CriterionJudgement(
                    assessment=assessment, criterion_id=criterion_id, met=met, evidence=evidence
                ),
                by=by,
                reason="Judged",
            )
        elif (judgement.met, judgement.evidence) != (met, evidence):
            judgement.met, judgement.evidence = met, evidence
            judgement.version += 1
            audited_save(judgement, by=by, reason="Judgement changed")


@transaction.atomic
def assessment_create(
    *,
    by: User,
    partnership: Partnership,
    assessed_on: datetime.date,
    inspection: Inspection | None = None,
    status: str = RecordStatus.DRAFT,
    judgements: Judgements | None = None,
) -> SupportAssessment:
    _check_inspection(partnership, inspection)
    assessment = audited_save(
        SupportAssessment(
            partnership=partnership,
            inspection=inspection,
            assessed_on=assessed_on,
            status=status,
            created_by=by,
        ),
        by=by,
        reason="Assessment recorded",
    )
    _save_judgements(assessment, judgements or {}, by)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: SupportAssessment,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    judgements: Judgements | None = None,
) -> SupportAssessment:
    _check_inspection(assessment.partnership, changes.get("inspection", assessment.inspection))
    assessment = versioned_update(
        assessment,
        by=by,
        expected_version=expected_version,
        changes=changes,
        reason="Assessment changed",
    )
    _save_judgements(assessment, judgements or {}, by)
    return assessment


def _validate_decision(
    assessment: SupportAssessment,
    level: SupportLevel,
    second_level: SupportLevel | None,
    rationale: str,
) -> SupportLevel | None:
    """Returns the recommended level. Raises if the levels are not adjacent or a decision that
    differs from the recommendation has no rationale."""
    if second_level is not None and not rules.adjacent(level.order, second_level.order):
        raise ValidationError({"second_level": [NOT_ADJACENT_MESSAGE]})
    fresh = selectors._assessments().get(pk=assessment.pk)
    recommended = selectors.recommendation(fresh).level
    decided = {level.pk} | ({second_level.pk} if second_level is not None else set())
    if recommended is not None and recommended.pk not in decided and not rationale.strip():
        raise ValidationError({"rationale": [RATIONALE_REQUIRED_MESSAGE]})
    return recommended


@transaction.atomic
def decision_create(
    *,
    by: User,
    assessment: SupportAssessment,
    level: SupportLevel,
    second_level: SupportLevel | None = None,
    rationale: str = "",
) -> SupportDecision:
    recommended = _validate_decision(assessment, level, second_level, rationale)
    return audited_save(
        SupportDecision(
            assessment=assessment,
            level=level,
            second_level=second_level,
            recommended_level=recommended,
            rationale=rationale.strip(),
            decided_by=by,
        ),
        by=by,
        reason="Decision recorded",
    )


@transaction.atomic
def decision_update(
    *,
    decision: SupportDecision,
    by: User,
    expected_version: int | None,
    level: SupportLevel,
    second_level: SupportLevel | None = None,
    rationale: str = "",
) -> SupportDecision:
    current = SupportDecision.objects.select_for_update().get(pk=decision.pk)
    if current.status != RecordStatus.DRAFT:
        raise ValidationError(AGREED_READ_ONLY_MESSAGE)
    recommended = _validate_decision(current.assessment, level, second_level, rationale)
    return versioned_update(
        current,
        by=by,
        expected_version=expected_version,
        changes={
            "level": level,
            "second_level": second_level,
            "rationale": rationale.strip(),
            "recommended_level": recommended,
        },
        reason="Decision changed",
    )


@transaction.atomic
def decision_agree(
    *, decision: SupportDecision, by: User, expected_version: int | None
) -> SupportDecision:
    current = SupportDecision.objects.select_for_update().get(pk=decision.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(current)
    if current.status != RecordStatus.DRAFT:
        raise ValidationError(AGREED_READ_ONLY_MESSAGE)
    _validate_decision(current.assessment, current.level, current.second_level, current.rationale)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": RecordStatus.AGREED, "agreed_by": by, "agreed_at": timezone.now()},
        reason="Decision agreed",
    )


@transaction.atomic
def decision_reopen(
    *, decision: SupportDecision, by: User, reason: str, expected_version: int | None
) -> SupportDecision:
    """Return an agreed decision to draft; the reason goes into its History."""
    if not reason.strip():
        raise ValidationError({"reason": [REOPEN_REASON_MESSAGE]})
    current = SupportDecision.objects.select_for_update().get(pk=decision.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConflictError(current)
    if current.status != RecordStatus.AGREED:
        raise ValidationError(NOT_AGREED_MESSAGE)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": RecordStatus.DRAFT, "agreed_by": None, "agreed_at": None},
        reason=f"Reopened: {reason.strip()}",
    )


# Improvement plans --------------------------------------------------------------------------

PUBLISHED_INSPECTION_MESSAGE = "Choose a published inspection of this partnership."
FINDING_MESSAGE = "Choose areas for improvement or recommendations of the plan's inspection."


def _check_published(partnership: Partnership, inspection: Inspection) -> None:
    if inspection.partnership_id != partnership.pk or not inspection.is_published:
        raise ValidationError({"inspection": [PUBLISHED_INSPECTION_MESSAGE]})


def _check_findings(plan: ImprovementPlan, findings) -> list:
    findings = list(findings or [])
    allowed = set(selectors.answerable_findings(plan.inspection_id).values_list("pk", flat=True))
    if any(f.pk not in allowed for f in findings):
        raise ValidationError({"findings": [FINDING_MESSAGE]})
    return findings


@transaction.atomic
def plan_create(
    *,
    by: User,
    partnership: Partnership,
    inspection: Inspection,
    title: str,
    status: str = PlanStatus.DRAFT,
    agreed_on: datetime.date | None = None,
    agreed_by: str = "",
) -> ImprovementPlan:
    _check_published(partnership, inspection)
    return audited_save(
        ImprovementPlan(
            partnership=partnership,
            inspection=inspection,
            title=title.strip(),
            status=status,
            agreed_on=agreed_on,
            agreed_by=agreed_by.strip(),
        ),
        by=by,
        reason="Improvement plan created",
    )


@transaction.atomic
def action_create(
    *,
    by: User,
    plan: ImprovementPlan,
    description: str,
    owner_name: str,
    owner_organisation: str,
    due_on: datetime.date,
    status: str = ActionStatus.NOT_STARTED,
    findings=(),
) -> ImprovementAction:
    findings = _check_findings(plan, findings)
    action = audited_save(
        ImprovementAction(
            plan=plan,
            description=description.strip(),
            owner_name=owner_name.strip(),
            owner_organisation=owner_organisation.strip(),
            due_on=due_on,
            status=status,
        ),
        by=by,
        reason="Action added",
    )
    action.findings.set(findings)
    return action


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    findings=None,
) -> ImprovementAction:
    if findings is not None:
        findings = _check_findings(action.plan, findings)
    action = versioned_update(
        action, by=by, expected_version=expected_version, changes=changes, reason="Action changed"
    )
    if findings is not None:
        action.findings.set(findings)
    return action


@transaction.atomic
def progress_add(
    *,
    by: User,
    action: ImprovementAction,
    updated_on: datetime.date,
    progress: str,
    evidence: str = "",
) -> ProgressUpdate:
    return audited_save(
        ProgressUpdate(
            action=action,
            updated_on=updated_on,
            progress=progress.strip(),
            evidence=evidence.strip(),
        ),
        by=by,
        reason="Progress recorded",
    )
