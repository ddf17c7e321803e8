"""Reads for record reading. Lists go through the inspection policy's evidence filter: only team
members cleared to see an inspection's evidence see its sample, answers and results.

`record_reading_results` is the figure-maker that findings and published versions cite: it takes
no user (callers check permission; pages and the API use `results_for`), answers in a fixed
number of queries whatever the number of records, and counts in the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ..models import (
    AnswerType,
    Inspection,
    QuestionChoice,
    ReadingStatus,
    RecordAgency,
    RecordAnswer,
    RecordReviewTemplate,
    ReviewedRecord,
    TemplateQuestion,
    TemplateSection,
)
from ..models.record_reading import NO, NOT_APPLICABLE, YES
from ..policies import inspection_policy
from ..selectors import inspection_get
from .services import SIX_POINT_LABELS, offers_not_applicable

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Programme

RECORD_ORDERINGS = {
    "reference": ("reference", "pk"),
    "-reference": ("-reference", "-pk"),
    "agency": ("agency", "reference", "pk"),
    "-agency": ("-agency", "reference", "pk"),
    "reader": ("reader__full_name", "reference", "pk"),
    "-reader": ("-reader__full_name", "reference", "pk"),
    "status": ("status", "reference", "pk"),
    "-status": ("-status", "reference", "pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}
NOT_APPLICABLE_LABEL = "Not applicable"
YES_NO_LABELS = {YES: "Yes", NO: "No"}

# An answer counts as given when any of its parts is filled in.
_GIVEN = (
    Q(answers__value__gt="")
    | Q(answers__choice__isnull=False)
    | Q(answers__grade__isnull=False)
    | Q(answers__text__gt="")
)


# The sample ----------------------------------------------------------------------------------


def _evidence_visible(user: User, qs: QuerySet[ReviewedRecord]) -> QuerySet[ReviewedRecord]:
    return qs.filter(inspection__in=inspection_policy.inspections_with_evidence(user).values("pk"))


def record_list(
    *,
    user: User,
    inspection: Inspection | None = None,
    agency: str | None = None,
    reader: User | None = None,
    status: str | None = None,
    unassigned: bool = False,
    ordering: str = "reference",
    include_archived: bool = False,
) -> QuerySet[ReviewedRecord]:
    """Records in samples the user may see, filtered and sorted, with how many questions each
    has answered (`answered`)."""
    qs = _evidence_visible(user, ReviewedRecord.objects.all())
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if agency:
        qs = qs.filter(agency=agency)
    if reader is not None:
        qs = qs.filter(reader=reader)
    if unassigned:
        qs = qs.filter(reader__isnull=True)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("reader__agency", "template", "inspection")
        .annotate(answered=Count("answers", filter=_GIVEN))
        .order_by(*RECORD_ORDERINGS.get(ordering, RECORD_ORDERINGS["reference"]))
    )


def record_get(*, user: User, pk: int) -> ReviewedRecord:
    """A record in a sample the user may see (archived ones too), or 404."""
    qs = _evidence_visible(
        user,
        ReviewedRecord.objects.select_related(
            "inspection__programme", "inspection__partnership", "template", "reader"
        ),
    )
    try:
        return qs.get(pk=pk)
    except (ReviewedRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def record_counts(*, inspection: Inspection) -> dict[str, int]:
    """How many records of the sample are at each reading status, and the total. One query."""
    counts = dict.fromkeys(ReadingStatus.values, 0)
    rows = (
        ReviewedRecord.objects.filter(inspection=inspection, archived_at__isnull=True)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in ReadingStatus.values)
    return counts


def sample_readers(*, inspection: Inspection) -> QuerySet:
    """Team members who may read records: current and cleared to see the evidence."""
    from accounts.models import User

    from ..models import ConflictDecision

    return (
        User.objects.filter(
            is_active=True,
            inspection_teams__inspection=inspection,
            inspection_teams__archived_at__isnull=True,
            inspection_teams__decision__in=[
                ConflictDecision.NOT_NEEDED,
                ConflictDecision.CLEARED,
                ConflictDecision.RESTRICTED,
            ],
        )
        .select_related("agency")
        .order_by("full_name", "pk")
        .distinct()
    )


# Templates -----------------------------------------------------------------------------------


def _with_questions(qs: QuerySet[RecordReviewTemplate]) -> QuerySet[RecordReviewTemplate]:
    questions = TemplateQuestion.objects.filter(archived_at__isnull=True).prefetch_related(
        Prefetch("choices", queryset=QuestionChoice.objects.filter(archived_at__isnull=True))
    )
    sections = TemplateSection.objects.filter(archived_at__isnull=True).prefetch_related(
        Prefetch("questions", queryset=questions.order_by("order", "number", "pk"))
    )
    return qs.select_related("programme").prefetch_related(
        Prefetch("sections", queryset=sections.order_by("order", "number", "pk"))
    )


def template_for(*, inspection: Inspection) -> QuerySet[RecordReviewTemplate]:
    """The current record review templates of the inspection's programme."""
    return RecordReviewTemplate.objects.filter(
        programme_id=inspection.programme_id, archived_at__isnull=True
    ).order_by("name", "pk")


def template_list(
    *, user: User, programme: Programme | None = None, include_archived: bool = False
) -> QuerySet[RecordReviewTemplate]:
    """Templates are programme reference data: every signed-in user reads them."""
    qs = RecordReviewTemplate.objects.all()
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if programme is not None:
        qs = qs.filter(programme=programme)
    return _with_questions(qs).order_by("programme__name", "name", "pk")


def template_get(*, user: User, pk: int) -> RecordReviewTemplate:
    try:
        return _with_questions(RecordReviewTemplate.objects.all()).get(pk=pk)
    except (RecordReviewTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# Answers -------------------------------------------------------------------------------------


def answer_list(
    *, user: User, record: ReviewedRecord | None = None, inspection: Inspection | None = None
) -> QuerySet[RecordAnswer]:
    """Answers in samples the user may see; those of records taken out of the sample only when
    asked for by their record."""
    qs = RecordAnswer.objects.filter(
        record__inspection__in=inspection_policy.inspections_with_evidence(user).values("pk")
    )
    if record is not None:
        qs = qs.filter(record=record)
    else:
        qs = qs.filter(record__archived_at__isnull=True)
    if inspection is not None:
        qs = qs.filter(record__inspection=inspection)
    return qs.select_related("question__section", "choice").order_by(
        "record_id", "question__section__order", "question__order", "question__number", "pk"
    )


def answers_by_question(*, record: ReviewedRecord) -> dict[int, RecordAnswer]:
    return {
        a.question_id: a
        for a in RecordAnswer.objects.filter(record=record).select_related("choice")
    }


def answer_display(question: TemplateQuestion, answer: RecordAnswer | None) -> str:
    """What a person reads for an answer ("" when not answered)."""
    if answer is None:
        return ""
    if answer.value == NOT_APPLICABLE:
        return NOT_APPLICABLE_LABEL
    if question.answer_type == AnswerType.YES_NO:
        return YES_NO_LABELS.get(answer.value, answer.value)
    if question.answer_type == AnswerType.CHOICE:
        return answer.choice.label if answer.choice_id else ""
    if question.answer_type == AnswerType.SIX_POINT:
        return grade_label(answer.grade) if answer.grade else ""
    return answer.text


def grade_label(grade: int) -> str:
    return f"{grade} {SIX_POINT_LABELS[grade]}"


# Results -------------------------------------------------------------------------------------


def _percent(count: int, of: int) -> float | None:
    if not of:
        return None
    exact = Decimal(100 * count) / Decimal(of)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _whole(percent: float) -> str:
    return str(Decimal(str(percent)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ValueCount:
    value: str
    label: str
    count: int
    percent: float | None  # of applicable answers; None for the not-applicable row

    @property
    def is_not_applicable(self) -> bool:
        return self.value == NOT_APPLICABLE


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    number: str
    text: str
    answer_type: str
    answered: int
    applicable: int
    not_applicable: int
    values: list[ValueCount]
    section: str = ""

    @property
    def figure(self) -> str:
        """One line to cite, e.g. "62% yes (31 of 50 applicable; 4 not applicable)"."""
        na = f"{self.not_applicable} not applicable"
        if not self.answered:
            return "No answers yet"
        if not self.applicable:
            return f"No applicable answers ({na})"
        counted = [v for v in self.values if not v.is_not_applicable]
        if self.answer_type == AnswerType.YES_NO:
            top = next(v for v in counted if v.value == YES)
            label = "yes"
        else:
            top = max(counted, key=lambda v: v.count)  # the first of equals, in listed order
            label = top.label
        return (
            f"{_whole(top.percent or 0)}% {label} "
            f"({top.count} of {self.applicable} applicable; {na})"
        )


def _possible_values(question: TemplateQuestion) -> list[tuple[str, str]]:
    """(value, label) for every answer a question can have, in the order results list them."""
    if question.answer_type == AnswerType.YES_NO:
        return [(YES, "Yes"), (NO, "No")]
    if question.answer_type == AnswerType.CHOICE:
        return [(str(c.pk), c.label) for c in question.choices.all()]
    return [(str(g), grade_label(g)) for g in sorted(SIX_POINT_LABELS, reverse=True)]


def _key(question: TemplateQuestion, row: dict) -> str | None:
    """The result value an aggregated answer row counts towards (None: not an answer)."""
    if row["value"] == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if question.answer_type == AnswerType.YES_NO:
        return row["value"] if row["value"] in (YES, NO) else None
    if question.answer_type == AnswerType.CHOICE:
        return str(row["choice_id"]) if row["choice_id"] else None
    if question.answer_type == AnswerType.SIX_POINT:
        return str(row["grade"]) if row["grade"] else None
    return None


def record_reading_results(
    *, inspection: Inspection, agency: str | None = None, complete_only: bool = True
) -> list[QuestionResult]:
    """Totals and percentages per counted question (not free text) and per answer, over the
    inspection's sample (records marked complete only, unless `complete_only` is False),
    optionally for the records one agency holds. Percentages are of applicable answers, with
    the not-applicable count beside. Three queries, whatever the number of records: the
    questions of the templates the sample uses, their choices, and one aggregate."""
    records = ReviewedRecord.objects.filter(inspection=inspection, archived_at__isnull=True)
    questions = list(
        TemplateQuestion.objects.filter(
            section__template__in=records.values("template_id"),
            archived_at__isnull=True,
            section__archived_at__isnull=True,
        )
        .exclude(answer_type=AnswerType.TEXT)
        .select_related("section__template")
        .prefetch_related(
            Prefetch("choices", queryset=QuestionChoice.objects.order_by("order", "pk"))
        )
        .order_by(
            "section__template__name",
            "section__template_id",
            "section__order",
            "section__number",
            "section_id",
            "order",
            "number",
            "pk",
        )
    )
    if not questions:
        return []
    answers = RecordAnswer.objects.filter(
        record__inspection=inspection,
        record__archived_at__isnull=True,
        question__in=[q.pk for q in questions],
    )
    if complete_only:
        answers = answers.filter(record__status=ReadingStatus.COMPLETE)
    if agency:
        answers = answers.filter(record__agency=agency)
    counts: dict[int, dict[str, int]] = {q.pk: {} for q in questions}
    by_id = {q.pk: q for q in questions}
    rows = (
        answers.values("question_id", "value", "choice_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        key = _key(by_id[row["question_id"]], row)
        if key is not None:
            tally = counts[row["question_id"]]
            tally[key] = tally.get(key, 0) + row["n"]

    results = []
    for question in questions:
        tally = counts[question.pk]
        possible = _possible_values(question)
        if question.answer_type == AnswerType.CHOICE:
            # Choices archived since keep their counts; current ones show even at nought.
            live = {c.pk for c in question.choices.all() if c.archived_at is None}
            possible = [(v, label) for v, label in possible if int(v) in live or tally.get(v)]
        not_applicable = tally.get(NOT_APPLICABLE, 0)
        applicable = sum(tally.get(v, 0) for v, _ in possible)
        values = [
            ValueCount(v, label, tally.get(v, 0), _percent(tally.get(v, 0), applicable))
            for v, label in possible
        ]
        if offers_not_applicable(question) or not_applicable:
            values.append(ValueCount(NOT_APPLICABLE, NOT_APPLICABLE_LABEL, not_applicable, None))
        section = question.section
        results.append(
            QuestionResult(
                question_id=question.pk,
                number=question.number,
                text=question.text,
                answer_type=question.answer_type,
                answered=applicable + not_applicable,
                applicable=applicable,
                not_applicable=not_applicable,
                values=values,
                section=f"{section.number} {section.title}".strip(),
            )
        )
    return results


def records_counted(
    *, inspection: Inspection, agency: str | None = None, complete_only: bool = True
) -> int:
    """How many records the results are over."""
    qs = ReviewedRecord.objects.filter(inspection=inspection, archived_at__isnull=True)
    if complete_only:
        qs = qs.filter(status=ReadingStatus.COMPLETE)
    if agency:
        qs = qs.filter(agency=agency)
    return qs.count()


def evidence_inspection_get(*, user: User, pk: int) -> Inspection:
    """The inspection, if the user may see its evidence; otherwise 404."""
    inspection = inspection_get(user=user, pk=pk)
    if not inspection_policy.can_view_evidence(user, inspection):
        raise Http404
    return inspection


def results_for(
    *,
    user: User,
    inspection_pk: int,
    agency: str | None = None,
    complete_only: bool = True,
) -> list[QuestionResult]:
    """The results, for those who may see the inspection's evidence; 404 for anyone else."""
    inspection = evidence_inspection_get(user=user, pk=inspection_pk)
    if agency and agency not in RecordAgency.values:
        raise ValueError(f"Unknown agency: {agency}")
    return record_reading_results(inspection=inspection, agency=agency, complete_only=complete_only)
