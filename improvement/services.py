"""Writes for support assessments and decisions. Each runs in one transaction and audits the
acting user and reason through scrutiny.services, whatever the entry point."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scrutiny.services import ConflictError, archive, audited_save, versioned_update

from . import rules, selectors
from .models import (
    ActionStatus,
    CriterionJudgement,
    ImprovementAction,
    ImprovementCriterion,
    ImprovementPlan,
    ImprovementSupport,
    PlanRevision,
    PlanStatus,
    ProgressReview,
    ProgressUpdate,
    RecordStatus,
    ReviewKind,
    ReviewStatus,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
    SupportProvider,
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
FORMAL_REVIEW_REQUIRED_MESSAGE = (
    "Give the date of the formal progress review: assisted and directed support bring one."
)
FORMAL_REVIEW_FUTURE_MESSAGE = "The formal progress review must be after today."
INTERVAL_REQUIRED_MESSAGE = (
    "Give the monitoring interval: directed support brings formal monitoring at agreed regular "
    "intervals."
)

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


def _review_regime(level: SupportLevel, second_level: SupportLevel | None) -> int | None:
    return rules.needs_reviews(level.order, second_level.order if second_level else None)


def _review_fields(
    level: SupportLevel,
    second_level: SupportLevel | None,
    formal_review_on: datetime.date | None,
    monitoring_interval_months: int | None,
) -> dict[str, Any]:
    """Keep only the review arrangements the decided level brings."""
    regime = _review_regime(level, second_level)
    return {
        "formal_review_on": formal_review_on if regime else None,
        "monitoring_interval_months": (
            monitoring_interval_months if regime == rules.DIRECTED else None
        ),
    }


@transaction.atomic
def decision_create(
    *,
    by: User,
    assessment: SupportAssessment,
    level: SupportLevel,
    second_level: SupportLevel | None = None,
    rationale: str = "",
    formal_review_on: datetime.date | None = None,
    monitoring_interval_months: int | None = None,
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
            **_review_fields(level, second_level, formal_review_on, monitoring_interval_months),
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
    formal_review_on: datetime.date | None = None,
    monitoring_interval_months: int | None = None,
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
            **_review_fields(level, second_level, formal_review_on, monitoring_interval_months),
        },
        reason="Decision changed",
    )


def _check_review_arrangements(decision: SupportDecision, today: datetime.date) -> int | None:
    regime = _review_regime(decision.level, decision.second_level)
    if regime is None:
        return None
    errors: dict[str, list[str]] = {}
    if decision.formal_review_on is None:
        errors["formal_review_on"] = [FORMAL_REVIEW_REQUIRED_MESSAGE]
    elif decision.formal_review_on <= today:
        errors["formal_review_on"] = [FORMAL_REVIEW_FUTURE_MESSAGE]
    if regime == rules.DIRECTED and not decision.monitoring_interval_months:
        errors["monitoring_interval_months"] = [INTERVAL_REQUIRED_MESSAGE]
    if errors:
        raise ValidationError(errors)
    return regime


def _schedule_reviews(
    decision: SupportDecision, regime: int | None, today: datetime.date, by: User
) -> list[ProgressReview]:
    """Assisted: the agreed formal progress review. Directed: formal monitoring at the agreed
    interval from today until the formal review, then the formal review."""
    if regime is None:
        return []
    partnership = decision.assessment.partnership
    due: list[tuple[str, datetime.date]] = []
    if regime == rules.DIRECTED:
        due += [
            (ReviewKind.MONITORING, day)
            for day in rules.monitoring_dates(
                today, decision.monitoring_interval_months, decision.formal_review_on
            )
        ]
    due.append((ReviewKind.FORMAL, decision.formal_review_on))
    return [
        audited_save(
            ProgressReview(partnership=partnership, decision=decision, kind=kind, due_on=day),
            by=by,
            reason=f"Scheduled by the {decision.level} decision",
        )
        for kind, day in due
    ]


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
    today = timezone.localdate()
    regime = _check_review_arrangements(current, today)
    agreed = versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": RecordStatus.AGREED, "agreed_by": by, "agreed_at": timezone.now()},
        reason="Decision agreed",
    )
    _schedule_reviews(agreed, regime, today, by)
    return agreed


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
    for review in current.progress_reviews.filter(
        status=ReviewStatus.SCHEDULED, archived_at__isnull=True
    ):
        review.status = ReviewStatus.CANCELLED
        review.cancelled_reason = "The decision that scheduled it was reopened."
        review.version += 1
        audited_save(review, by=by, reason=f"Cancelled: decision reopened ({reason.strip()})")
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": RecordStatus.DRAFT, "agreed_by": None, "agreed_at": None},
        reason=f"Reopened: {reason.strip()}",
    )


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Improvement plans --------------------------------------------------------------------------
#
# A plan is drafted, then agreed (the date and who agreed it). Once agreed, the plan and its
# actions change only through numbered revisions: each change names its reason, the revision
# records it, and the History entries of the plan and actions carry the revision's number.
# Progress (an action's status and dated progress updates) is reported without a revision.

PUBLISHED_INSPECTION_MESSAGE = "Choose a published inspection of this partnership."
FINDING_MESSAGE = "Choose areas for improvement or recommendations of the plan's inspection."
PLAN_AGREED_MESSAGE = "This plan has already been agreed."
PLAN_NO_ACTIONS_MESSAGE = "Add at least one action before agreeing the plan."
AGREED_ON_FUTURE_MESSAGE = "The date agreed cannot be in the future."
AGREED_BY_MESSAGE = "Say who agreed the plan (name and organisation)."
REVISION_REASON_MESSAGE = "The plan has been agreed: say why it is being revised."
PLAN_ARCHIVED_MESSAGE = "This plan is archived: restore it before changing it."
UPDATED_ON_FUTURE_MESSAGE = "The date of the update cannot be in the future."

# Action fields whose change revises an agreed plan (status is progress, not a revision).
PLANNED_ACTION_FIELDS = ("description", "owner_name", "owner_organisation", "due_on")


def _check_published(partnership: Partnership, inspection: Inspection) -> None:
    if inspection.partnership_id != partnership.pk or not inspection.is_published:
        raise ValidationError({"inspection": [PUBLISHED_INSPECTION_MESSAGE]})


def _check_findings(plan: ImprovementPlan, findings) -> list:
    findings = list(findings or [])
    allowed = set(selectors.answerable_findings(plan.inspection_id).values_list("pk", flat=True))
    if any(f.pk not in allowed for f in findings):
        raise ValidationError({"findings": [FINDING_MESSAGE]})
    return findings


def _locked_plan(plan: ImprovementPlan | int) -> ImprovementPlan:
    pk = plan.pk if isinstance(plan, ImprovementPlan) else plan
    current = ImprovementPlan.objects.select_for_update().get(pk=pk)
    if current.archived_at is not None:
        raise ValidationError(PLAN_ARCHIVED_MESSAGE)
    return current


def _revision(
    plan: ImprovementPlan, *, by: User, reason: str | None, summary: str
) -> PlanRevision | None:
    """For an agreed plan, record a numbered revision (the reason is required); for a draft,
    nothing. Call with the plan row locked."""
    if plan.status != PlanStatus.AGREED:
        return None
    if not (reason or "").strip():
        raise ValidationError({"revision_reason": [REVISION_REASON_MESSAGE]})
    number = (plan.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return audited_save(
        PlanRevision(plan=plan, number=number, reason=reason.strip(), summary=summary, made_by=by),
        by=by,
        reason=f"Revision {number}",
    )


def _reason(default: str, revision: PlanRevision | None) -> str:
    return f"{default} (revision {revision.number}: {revision.reason})" if revision else default


@transaction.atomic
def plan_create(
    *, by: User, partnership: Partnership, inspection: Inspection, title: str
) -> ImprovementPlan:
    _check_published(partnership, inspection)
    return audited_save(
        ImprovementPlan(partnership=partnership, inspection=inspection, title=title.strip()),
        by=by,
        reason="Improvement plan created",
    )


@transaction.atomic
def plan_update(
    *,
    plan: ImprovementPlan,
    by: User,
    expected_version: int | None,
    title: str,
    revision_reason: str | None = None,
) -> ImprovementPlan:
    current = _locked_plan(plan)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    title = title.strip()
    if title == current.title:
        return current
    revision = _revision(
        current, by=by, reason=revision_reason, summary=f"Title changed to \u201c{title}\u201d."
    )
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"title": title},
        reason=_reason("Plan changed", revision),
    )


@transaction.atomic
def plan_agree(
    *,
    plan: ImprovementPlan,
    by: User,
    expected_version: int | None,
    agreed_on: datetime.date,
    agreed_by: str,
) -> ImprovementPlan:
    current = _locked_plan(plan)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    if current.status == PlanStatus.AGREED:
        raise ValidationError(PLAN_AGREED_MESSAGE)
    errors: dict[str, list[str]] = {}
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = [AGREED_ON_FUTURE_MESSAGE]
    if not agreed_by.strip():
        errors["agreed_by"] = [AGREED_BY_MESSAGE]
    if errors:
        raise ValidationError(errors)
    if not current.actions.filter(archived_at__isnull=True).exists():
        raise ValidationError(PLAN_NO_ACTIONS_MESSAGE)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={
            "status": PlanStatus.AGREED,
            "agreed_on": agreed_on,
            "agreed_by": agreed_by.strip(),
            "agreement_recorded_by": by,
        },
        reason=f"Plan agreed by {agreed_by.strip()} on {_day(agreed_on)}",
    )


@transaction.atomic
def plan_archive(
    *, plan: ImprovementPlan, by: User, reason: str, expected_version: int | None = None
) -> ImprovementPlan:
    return archive(
        plan,
        by=by,
        reason=f"Archived: {reason.strip()}" if reason.strip() else "",
        expected_version=expected_version,
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
    revision_reason: str | None = None,
) -> ImprovementAction:
    plan = _locked_plan(plan)
    findings = _check_findings(plan, findings)
    action = ImprovementAction(
        plan=plan,
        description=description.strip(),
        owner_name=owner_name.strip(),
        owner_organisation=owner_organisation.strip(),
        due_on=due_on,
        status=status,
    )
    action.full_clean()
    revision = _revision(
        plan, by=by, reason=revision_reason, summary=f"Action added: {action.description}"
    )
    audited_save(action, by=by, reason=_reason("Action added", revision))
    action.findings.set(findings)
    return action


def _describe_action_changes(
    action: ImprovementAction, changes: dict[str, Any], findings: list | None
) -> list[str]:
    labels = {
        "description": "description",
        "owner_name": "owner's name",
        "owner_organisation": "owner's organisation",
        "due_on": "due date",
    }
    changed = [
        labels[name]
        for name in PLANNED_ACTION_FIELDS
        if name in changes and changes[name] != getattr(action, name)
    ]
    if findings is not None and {f.pk for f in findings} != set(
        action.findings.values_list("pk", flat=True)
    ):
        changed.append("what it answers")
    return changed


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
    findings=None,
    revision_reason: str | None = None,
) -> ImprovementAction:
    plan = _locked_plan(action.plan_id)
    if findings is not None:
        findings = _check_findings(plan, findings)
    current = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    changed = _describe_action_changes(current, changes, findings)
    revision = None
    if changed:
        revision = _revision(
            plan,
            by=by,
            reason=revision_reason,
            summary=f"Action \u201c{current.description[:80]}\u201d: {', '.join(changed)} changed.",
        )
    action = versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes=changes,
        reason=_reason("Action changed", revision),
    )
    if findings is not None:
        action.findings.set(findings)
    return action


@transaction.atomic
def action_archive(
    *,
    action: ImprovementAction,
    by: User,
    expected_version: int | None = None,
    revision_reason: str | None = None,
) -> ImprovementAction:
    """Take an action out of the plan (an agreed plan needs a revision for it)."""
    plan = _locked_plan(action.plan_id)
    revision = _revision(
        plan,
        by=by,
        reason=revision_reason,
        summary=f"Action removed: {action.description[:80]}",
    )
    return archive(
        action,
        by=by,
        expected_version=expected_version,
        reason=_reason("Archived", revision) if revision else "Archived",
    )


def _check_updated_on(updated_on: datetime.date) -> None:
    if updated_on > timezone.localdate():
        raise ValidationError({"updated_on": [UPDATED_ON_FUTURE_MESSAGE]})


@transaction.atomic
def progress_add(
    *,
    by: User,
    action: ImprovementAction,
    updated_on: datetime.date,
    progress: str,
    evidence: str = "",
) -> ProgressUpdate:
    _check_updated_on(updated_on)
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


@transaction.atomic
def progress_update(
    *,
    update: ProgressUpdate,
    by: User,
    expected_version: int | None,
    updated_on: datetime.date,
    progress: str,
    evidence: str = "",
) -> ProgressUpdate:
    _check_updated_on(updated_on)
    return versioned_update(
        update,
        by=by,
        expected_version=expected_version,
        changes={
            "updated_on": updated_on,
            "progress": progress.strip(),
            "evidence": evidence.strip(),
        },
        reason="Progress update changed",
    )


@transaction.atomic
def progress_archive(
    *, update: ProgressUpdate, by: User, expected_version: int | None = None, reason: str = ""
) -> ProgressUpdate:
    reason = f"Archived: {reason.strip()}" if reason.strip() else ""
    return archive(update, by=by, expected_version=expected_version, reason=reason)


# Progress reviews ---------------------------------------------------------------------------

REVIEW_NOT_SCHEDULED_MESSAGE = "Only a scheduled review can be changed: this one is {status}."
HELD_ON_FUTURE_MESSAGE = "The date held cannot be in the future."
NEXT_ON_MESSAGE = "The next review must come after the date held."
CANCEL_REASON_MESSAGE = "Say why the review is cancelled."
DECISION_PARTNERSHIP_MESSAGE = "Choose a support decision for this partnership."


def _locked_scheduled_review(
    review: ProgressReview, expected_version: int | None
) -> ProgressReview:
    current = ProgressReview.objects.select_for_update().get(pk=review.pk)
    if expected_version is None or current.version != int(expected_version):
        raise ConflictError(current)
    if current.status != ReviewStatus.SCHEDULED or current.archived_at is not None:
        raise ValidationError(
            REVIEW_NOT_SCHEDULED_MESSAGE.format(status=current.get_status_display().lower())
        )
    return current


@transaction.atomic
def review_schedule(
    *,
    by: User,
    partnership: Partnership,
    kind: str,
    due_on: datetime.date,
    decision: SupportDecision | None = None,
) -> ProgressReview:
    if decision is not None and decision.assessment.partnership_id != partnership.pk:
        raise ValidationError({"decision": [DECISION_PARTNERSHIP_MESSAGE]})
    return audited_save(
        ProgressReview(partnership=partnership, decision=decision, kind=kind, due_on=due_on),
        by=by,
        reason="Review scheduled",
    )


@transaction.atomic
def review_reschedule(
    *, review: ProgressReview, by: User, expected_version: int | None, due_on: datetime.date
) -> ProgressReview:
    current = _locked_scheduled_review(review, expected_version)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"due_on": due_on},
        reason=f"Rescheduled to {_day(due_on)}",
    )


@transaction.atomic
def review_record(
    *,
    review: ProgressReview,
    by: User,
    expected_version: int | None,
    held_on: datetime.date,
    attendees: str,
    judgement: str,
    notes: str = "",
    next_on: datetime.date | None = None,
) -> ProgressReview:
    """Record a review as held. A next date schedules the next review of the same kind."""
    current = _locked_scheduled_review(review, expected_version)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [HELD_ON_FUTURE_MESSAGE]
    if next_on is not None and next_on <= held_on:
        errors["next_on"] = [NEXT_ON_MESSAGE]
    if errors:
        raise ValidationError(errors)
    held = versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={
            "status": ReviewStatus.HELD,
            "held_on": held_on,
            "attendees": attendees.strip(),
            "judgement": judgement,
            "notes": notes.strip(),
            "next_on": next_on,
        },
        reason="Review held",
    )
    if next_on is not None:
        already = ProgressReview.objects.filter(
            partnership_id=held.partnership_id,
            kind=held.kind,
            due_on=next_on,
            status=ReviewStatus.SCHEDULED,
            archived_at__isnull=True,
        ).exists()
        if not already:
            audited_save(
                ProgressReview(
                    partnership_id=held.partnership_id,
                    decision_id=held.decision_id,
                    kind=held.kind,
                    due_on=next_on,
                ),
                by=by,
                reason=f"Scheduled at the review held on {_day(held_on)}",
            )
    return held


@transaction.atomic
def review_cancel(
    *, review: ProgressReview, by: User, expected_version: int | None, reason: str
) -> ProgressReview:
    if not reason.strip():
        raise ValidationError({"reason": [CANCEL_REASON_MESSAGE]})
    current = _locked_scheduled_review(review, expected_version)
    return versioned_update(
        current,
        by=by,
        expected_version=current.version,
        changes={"status": ReviewStatus.CANCELLED, "cancelled_reason": reason.strip()},
        reason=f"Cancelled: {reason.strip()}",
    )


# Improvement support commissioned -----------------------------------------------------------

PROVIDER_RETIRED_MESSAGE = "This provider is no longer offered: choose another."
PLAN_PARTNERSHIP_MESSAGE = "Choose an improvement plan of this partnership."


def _check_support(
    partnership: Partnership,
    provider: SupportProvider,
    plan: ImprovementPlan | None,
    *,
    previous_provider_id: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if (not provider.active or provider.archived_at is not None) and (
        provider.pk != previous_provider_id
    ):
        errors["provider"] = [PROVIDER_RETIRED_MESSAGE]
    if plan is not None and plan.partnership_id != partnership.pk:
        errors["plan"] = [PLAN_PARTNERSHIP_MESSAGE]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def support_create(
    *,
    by: User,
    partnership: Partnership,
    provider: SupportProvider,
    description: str,
    plan: ImprovementPlan | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = "proposed",
    outcome: str = "",
) -> ImprovementSupport:
    _check_support(partnership, provider, plan)
    return audited_save(
        ImprovementSupport(
            partnership=partnership,
            provider=provider,
            plan=plan,
            description=description.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            outcome=outcome.strip(),
        ),
        by=by,
        reason="Support commissioned" if status != "proposed" else "Support proposed",
    )


@transaction.atomic
def support_update(
    *,
    support: ImprovementSupport,
    by: User,
    expected_version: int | None,
    changes: dict[str, Any],
) -> ImprovementSupport:
    provider = changes.get("provider", support.provider)
    plan = changes.get("plan", support.plan)
    _check_support(support.partnership, provider, plan, previous_provider_id=support.provider_id)
    for text in ("description", "outcome"):
        if text in changes:
            changes[text] = (changes[text] or "").strip()
    return versioned_update(
        support,
        by=by,
        expected_version=expected_version,
        changes=changes,
        reason="Support changed",
    )


@transaction.atomic
def support_archive(
    *,
    support: ImprovementSupport,
    by: User,
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementSupport:
    reason = f"Archived: {reason.strip()}" if reason.strip() else ""
    return archive(support, by=by, expected_version=expected_version, reason=reason)
