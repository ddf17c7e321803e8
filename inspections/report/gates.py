"""The report's stage gates.

Into report drafting: every quality indicator in scope has a final evaluation and every finding
is agreed. Into publication: every factual accuracy comment has the team's response, and (so
that what is frozen is final) the evaluations and findings are still final and agreed: reopening
moderation or editing an agreed finding during drafting must be settled again first."""

from __future__ import annotations

from collections.abc import Iterable

from ..lifecycle import gate
from ..models import (
    EvaluationLink,
    EvaluationStage,
    FactualAccuracyComment,
    Finding,
    FindingStatus,
    Inspection,
    InspectionStatus,
    QualityIndicator,
)

NEEDS_FINAL_EVALUATIONS = (
    "Finalise the evaluation of every quality indicator in scope "
    "({count} without a final grade: {indicators})."
)
FINDINGS_IN_DRAFT = "Agree every finding ({count} still in draft: {findings})."
COMMENTS_WITHOUT_RESPONSE = (
    "Respond to every factual accuracy comment ({count} without a response: {references})."
)
LISTED = 5  # name this many, then say how many more


def listed(names: Iterable[str]) -> str:
    names = list(names)
    shown = "; ".join(names[:LISTED])
    return f"{shown} and {len(names) - LISTED} more" if len(names) > LISTED else shown


def indicators_without_final_grade(inspection: Inspection) -> list[QualityIndicator]:
    """The indicators in scope whose chain does not end in a final grade (two queries)."""
    last_stage: dict[int, str] = dict(
        EvaluationLink.objects.filter(inspection=inspection)
        .order_by("pk")
        .values_list("quality_indicator_id", "stage")
    )  # later links overwrite earlier ones: the last stage of each chain
    return [
        qi
        for qi in inspection.quality_indicators.filter(archived_at__isnull=True).order_by(
            "order", "number", "pk"
        )
        if last_stage.get(qi.pk) != EvaluationStage.FINAL
    ]


def draft_findings(inspection: Inspection) -> list[Finding]:
    return list(
        Finding.objects.filter(
            inspection=inspection, archived_at__isnull=True, status=FindingStatus.DRAFT
        ).order_by("kind", "pk")
    )


def comments_without_response(inspection: Inspection) -> list[FactualAccuracyComment]:
    return list(
        FactualAccuracyComment.objects.filter(
            inspection=inspection, archived_at__isnull=True, response=""
        ).order_by("pk")
    )


@gate(InspectionStatus.PUBLISHED)
def comments_answered(inspection: Inspection) -> list[str]:
    open_ = comments_without_response(inspection)
    if not open_:
        return []
    return [
        COMMENTS_WITHOUT_RESPONSE.format(
            count=len(open_), references=listed(c.report_reference for c in open_)
        )
    ]


def _final_grades_unmet(inspection: Inspection) -> list[str]:
    missing = indicators_without_final_grade(inspection)
    if not missing:
        return []
    return [
        NEEDS_FINAL_EVALUATIONS.format(
            count=len(missing), indicators=listed(str(qi) for qi in missing)
        )
    ]


def _agreement_unmet(inspection: Inspection) -> list[str]:
    drafts = draft_findings(inspection)
    if not drafts:
        return []
    return [FINDINGS_IN_DRAFT.format(count=len(drafts), findings=listed(str(f) for f in drafts))]


def _sent_back(inspection: Inspection) -> bool:
    """The factual accuracy check sending the report back to drafting: the report is being
    reworked, so its conditions are checked again on the way to publication, not now."""
    return inspection.status == InspectionStatus.FACTUAL_ACCURACY


@gate(InspectionStatus.REPORT_DRAFTING)
def evaluations_final(inspection: Inspection) -> list[str]:
    return [] if _sent_back(inspection) else _final_grades_unmet(inspection)


@gate(InspectionStatus.REPORT_DRAFTING)
def findings_agreed(inspection: Inspection) -> list[str]:
    return [] if _sent_back(inspection) else _agreement_unmet(inspection)


@gate(InspectionStatus.PUBLISHED)
def evaluations_still_final(inspection: Inspection) -> list[str]:
    return _final_grades_unmet(inspection)


@gate(InspectionStatus.PUBLISHED)
def findings_still_agreed(inspection: Inspection) -> list[str]:
    return _agreement_unmet(inspection)


def unmet_for_publication(inspection: Inspection) -> list[str]:
    """What publishing (or publishing a correction) needs, as the gates word it."""
    return [
        *comments_answered(inspection),
        *evaluations_final(inspection),
        *findings_agreed(inspection),
    ]
