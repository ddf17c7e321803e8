"""What a published version freezes: the inspection's facts, its agreed findings by kind, the
final evaluations by indicator and the record-reading figures, as plain JSON. Pages and the API
read published versions from this content alone, so what was published stays exactly as it was
whatever happens to the live records afterwards."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from ..models import (
    EvaluationLink,
    EvaluationStage,
    Finding,
    FindingKind,
    FindingStatus,
    QualityIndicator,
    TemplateQuestion,
)
from . import figures

if TYPE_CHECKING:
    from ..models import Inspection

SCHEMA = 1
KIND_PLURALS = {
    FindingKind.STRENGTH: "Strengths",
    FindingKind.AREA_FOR_IMPROVEMENT: "Areas for improvement",
    FindingKind.RECOMMENDATION: "Recommendations",
    FindingKind.GOOD_PRACTICE: "Good practice",
}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _indicator(qi: QualityIndicator) -> dict[str, Any]:
    return {"id": qi.pk, "number": qi.number, "title": qi.title}


def _level(level) -> dict[str, Any] | None:
    if level is None:
        return None
    return {"value": level.value, "label": level.label}


def _findings(inspection: Inspection, results: dict[int, Any]) -> list[dict[str, Any]]:
    findings = list(
        Finding.objects.filter(
            inspection=inspection, archived_at__isnull=True, status=FindingStatus.AGREED
        )
        .order_by("pk")
        .prefetch_related(
            Prefetch("quality_indicators", QualityIndicator.objects.order_by("order", "number")),
            Prefetch("cited_questions", TemplateQuestion.objects.order_by("number", "pk")),
            "national_outcomes",
        )
    )
    groups = []
    for kind in FindingKind:
        groups.append(
            {
                "kind": kind.value,
                "label": KIND_PLURALS[kind],
                "findings": [
                    {
                        "id": f.pk,
                        "text": f.text,
                        "quality_indicators": [_indicator(qi) for qi in f.quality_indicators.all()],
                        "national_outcomes": [
                            {"number": o.number, "outcome": o.outcome}
                            for o in sorted(f.national_outcomes.all(), key=lambda o: o.number)
                        ],
                        "cited_questions": [
                            {
                                "question_id": q.pk,
                                "number": q.number,
                                "text": q.text,
                                "figure": figures.figure_of(results.get(q.pk)),
                            }
                            for q in f.cited_questions.all()
                        ],
                    }
                    for f in findings
                    if f.kind == kind
                ],
            }
        )
    return groups


def _evaluations(inspection: Inspection) -> list[dict[str, Any]]:
    final: dict[int, EvaluationLink] = {}
    last_stage: dict[int, str] = {}
    for link in (
        EvaluationLink.objects.filter(inspection=inspection).select_related("level").order_by("pk")
    ):
        last_stage[link.quality_indicator_id] = link.stage
        if link.stage == EvaluationStage.FINAL:
            final[link.quality_indicator_id] = link
    rows = []
    for qi in inspection.quality_indicators.filter(archived_at__isnull=True).order_by(
        "order", "number", "pk"
    ):
        link = final.get(qi.pk) if last_stage.get(qi.pk) == EvaluationStage.FINAL else None
        rows.append(
            {
                "quality_indicator": _indicator(qi),
                "level": _level(link.level) if link else None,
                "rationale": link.rationale if link else "",
                "finalised_on": _date(link.created_at.date()) if link else None,
            }
        )
    return rows


def build(
    inspection: Inspection, *, number: int, published_on: datetime.date, reason: str = ""
) -> dict[str, Any]:
    """The content of published version `number` (a fixed number of queries)."""
    programme = inspection.programme
    scale = programme.evaluation_scale
    results = figures.record_reading_results(inspection)
    by_question = {r.question_id: r for r in results}
    return {
        "schema": SCHEMA,
        "number": number,
        "published_on": _date(published_on),
        "reason": reason,
        "inspection": {
            "id": inspection.pk,
            "title": inspection.title,
            "programme": programme.name,
            "theme": inspection.theme,
            "partnership": {"id": inspection.partnership_id, "name": str(inspection.partnership)},
            "lead_agency": inspection.lead_agency.name,
            "notified_on": _date(inspection.notified_on),
            "fieldwork_starts_on": _date(inspection.fieldwork_starts_on),
            "fieldwork_ends_on": _date(inspection.fieldwork_ends_on),
            "first_published_on": _date(inspection.published_on or published_on),
        },
        "scale": {
            "name": scale.name,
            "levels": [_level(level) for level in scale.levels.filter(archived_at__isnull=True)],
        },
        "findings": _findings(inspection, by_question),
        "evaluations": _evaluations(inspection),
        "record_reading": [figures.result_as_dict(r) for r in results],
    }
