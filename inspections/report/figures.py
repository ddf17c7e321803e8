"""Record-reading figures for findings and the published version.

The figures come from the record-reading selectors (`inspections.record_reading.selectors`,
built alongside this package). They are imported lazily: until that module is installed there
are simply no figures, and everything else works."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from ..models import AnswerType, TemplateQuestion

if TYPE_CHECKING:
    from ..models import Inspection

RECORD_READING_SELECTORS = "inspections.record_reading.selectors"
_MISSING = {"inspections.record_reading", RECORD_READING_SELECTORS}
NO_RESULTS = "No results yet"


def _selectors() -> Any:
    try:
        return importlib.import_module(RECORD_READING_SELECTORS)
    except ModuleNotFoundError as exc:
        if exc.name in _MISSING:
            return None
        raise


def record_reading_results(inspection: Inspection) -> list[Any]:
    """Every counted question with results (complete records only), or [] without the module."""
    module = _selectors()
    if module is None:
        return []
    return list(module.record_reading_results(inspection=inspection))


def results_by_question(inspection: Inspection) -> dict[int, Any]:
    return {result.question_id: result for result in record_reading_results(inspection)}


def cited_results(cited: Mapping[int, Iterable[int]]) -> dict[int, dict[int, Any]]:
    """For each inspection id in `cited`, the results of the question ids cited, by question id
    (each as `results_by_question` has it), counting only those questions' answers: a fixed
    number of queries for any number of findings and inspections."""
    module = _selectors()
    if module is None:
        return {int(i): {} for i in cited}
    return module.cited_results(cited=cited)


def cited_by_inspection(findings: Iterable[Any]) -> dict[int, set[int]]:
    """The question ids the findings cite, by inspection id (from prefetched cited_questions)."""
    cited: dict[int, set[int]] = {}
    for finding in findings:
        ids = {q.pk for q in finding.cited_questions.all()}
        if ids:
            cited.setdefault(finding.inspection_id, set()).update(ids)
    return cited


def figure_of(result: Any) -> str:
    """A question's figure as the record-reading results word it (e.g. '18 of 24 (75%)')."""
    if result is None:
        return NO_RESULTS
    return str(getattr(result, "figure", "") or NO_RESULTS)


def citable_questions(inspection: Inspection) -> QuerySet[TemplateQuestion]:
    """Counted questions (not free text) of the programme's record review templates: the
    questions a finding may cite."""
    return (
        TemplateQuestion.objects.filter(
            section__template__programme_id=inspection.programme_id,
            archived_at__isnull=True,
            section__archived_at__isnull=True,
            section__template__archived_at__isnull=True,
        )
        .exclude(answer_type=AnswerType.TEXT)
        .select_related("section")
        .order_by("section__template__name", "section__order", "order", "number", "pk")
    )


def result_as_dict(result: Any) -> dict[str, Any]:
    """A question's results as frozen into a published version."""
    return {
        "question_id": result.question_id,
        "number": result.number,
        "text": result.text,
        "answer_type": result.answer_type,
        "figure": figure_of(result),
        "answered": result.answered,
        "applicable": result.applicable,
        "not_applicable": result.not_applicable,
        "values": [
            {
                "value": str(v.value),
                "label": str(v.label),
                "count": int(v.count),
                "percent": None if v.percent is None else float(v.percent),
            }
            for v in result.values
        ],
    }
