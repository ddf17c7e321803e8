"""Reads for record reading. Lists go through the inspection policy's evidence filter: only team
members cleared to see an inspection's evidence see its sample, answers and results.

`record_reading_results` is the figure-maker that findings and published versions cite: it takes
no user (callers check permission; pages and the API use `results_for`), answers in a fixed
number of queries whatever the number of records, and counts in the database. A sample's counts
of answers are kept in the cache under a stamp of its records (how many, the sum of their
versions, their last change): answers are only ever saved with their record, whose version then
goes up, so any change is counted at once; an unchanged sample is not counted again.
`cited_results` gives the figures of the questions a page of findings cites, for any number of
inspections at once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
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
_GIVEN = Q(value__gt="") | Q(choice__isnull=False) | Q(grade__isnull=False) | Q(text__gt="")


def _answered() -> Coalesce:
    """How many questions a record has answered, as a correlated subquery: PostgreSQL works it
    out after sorting and paging (only for the rows a page shows), where a join and GROUP BY
    would count the answers of every record in the list first."""
    given = (
        RecordAnswer.objects.filter(_GIVEN, record=OuterRef("pk"))
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(given, output_field=IntegerField()), 0)


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
    with_answered: bool = True,
) -> QuerySet[ReviewedRecord]:
    """Records in samples the user may see, filtered and sorted, with how many questions each
    has answered (`answered`, unless `with_answered` is False). The count is a subquery per
    record returned, so a page of a large sample counts only its own records' answers."""
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
    qs = qs.select_related("reader", "template", "inspection")
    if with_answered:
        qs = qs.annotate(answered=_answered())
    return qs.order_by(*RECORD_ORDERINGS.get(ordering, RECORD_ORDERINGS["reference"]))


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
    # Record by record, in the order the sample lists them (by reference): PostgreSQL walks the
    # index on (inspection, reference) and stops at the page's end, where ordering by the
    # record's id alone made it scan the whole records table by primary key.
    return qs.select_related("question__section", "choice").order_by(
        "record__inspection_id",
        "record__reference",
        "record_id",
        "question__section__order",
        "question__order",
        "question__number",
        "pk",
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


def _counted_questions(qs: QuerySet[TemplateQuestion]) -> list[TemplateQuestion]:
    """Current counted questions (not free text), each with its section and template and all
    its choices (archived ones too: their answers keep counting), in reading order."""
    return list(
        qs.filter(archived_at__isnull=True, section__archived_at__isnull=True)
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


@dataclass(frozen=True)
class _Records:
    """How many records of a sample share a template, status, agency and archived state, with
    the sum of their versions and their last change."""

    template_id: int
    status: str
    agency: str
    archived: bool
    count: int
    versions: int
    changed: datetime.datetime | None


class Samples:
    """The state of some inspections' samples, from one query over their records (never their
    answers): how many records are at each status, how many the results count, the templates
    they use, and a stamp that changes whenever any record or its answers change (answers are
    only ever saved with their record, whose version then goes up)."""

    def __init__(self, inspection_ids: Iterable[int]):
        self.ids = sorted({int(i) for i in inspection_ids})
        self.groups: dict[int, list[_Records]] = {i: [] for i in self.ids}
        if not self.ids:
            return
        rows = (
            ReviewedRecord.objects.filter(inspection_id__in=self.ids)
            .annotate(
                archived=ExpressionWrapper(
                    Q(archived_at__isnull=False), output_field=BooleanField()
                )
            )
            .values("inspection_id", "template_id", "status", "agency", "archived")
            .annotate(n=Count("pk"), versions=Sum("version"), changed=Max("updated_at"))
            .order_by()
        )
        for row in rows:
            self.groups[row["inspection_id"]].append(
                _Records(
                    row["template_id"],
                    row["status"],
                    row["agency"],
                    row["archived"],
                    row["n"],
                    row["versions"] or 0,
                    row["changed"],
                )
            )

    def _current(self, inspection_id: int) -> list[_Records]:
        return [g for g in self.groups[inspection_id] if not g.archived]

    def stamp(self, inspection_id: int) -> str:
        groups = self.groups[inspection_id]
        changed = max((g.changed for g in groups if g.changed), default=None)
        return "{}.{}.{}".format(
            sum(g.count for g in groups),
            sum(g.versions for g in groups),
            changed.timestamp() if changed else "",
        )

    def templates(self, inspection_id: int) -> set[int]:
        """The templates of the records in the sample."""
        return {g.template_id for g in self._current(inspection_id)}

    def counts(self, inspection_id: int) -> dict[str, int]:
        """How many records of the sample are at each reading status, and the total."""
        counts = dict.fromkeys(ReadingStatus.values, 0)
        for g in self._current(inspection_id):
            counts[g.status] = counts.get(g.status, 0) + g.count
        counts["total"] = sum(counts[s] for s in ReadingStatus.values)
        return counts

    def counted(
        self, inspection_id: int, *, agency: str | None = None, complete_only: bool = True
    ) -> int:
        """How many records the results are over."""
        return sum(
            g.count
            for g in self._current(inspection_id)
            if (not complete_only or g.status == ReadingStatus.COMPLETE)
            and (not agency or g.agency == agency)
        )


# How long a sample's answer counts are kept: they are looked up by the sample's stamp, so a
# change to any record or answer is seen at once; this only bounds the memory they take.
TALLY_SECONDS = 60 * 60
_TALLY_KEY = "record-reading-tally:{inspection}:{agency}:{complete}:{stamp}"

# One aggregated row of answers: question id, value, choice id, grade and how many.
Tally = list[tuple[int, str, int | None, int | None, int]]


def _tallies(
    samples: Samples,
    inspection_ids: Iterable[int],
    *,
    agency: str | None = None,
    complete_only: bool = True,
) -> dict[int, Tally]:
    """The answers of each sample counted by question and answer: from the cache while the
    sample is unchanged, otherwise one aggregate over the answers of all those missing."""
    keys = {
        i: _TALLY_KEY.format(
            inspection=i, agency=agency or "", complete=int(complete_only), stamp=samples.stamp(i)
        )
        for i in inspection_ids
    }
    cached = cache.get_many(list(keys.values()))
    found = {i: cached[key] for i, key in keys.items() if key in cached}
    missing = [i for i in keys if i not in found]
    if missing:
        answers = RecordAnswer.objects.filter(
            record__inspection_id__in=missing, record__archived_at__isnull=True
        )
        if complete_only:
            answers = answers.filter(record__status=ReadingStatus.COMPLETE)
        if agency:
            answers = answers.filter(record__agency=agency)
        rows = (
            answers.values_list(
                "record__inspection_id", "question_id", "value", "choice_id", "grade"
            )
            .annotate(n=Count("pk"))
            .order_by()
        )
        made: dict[int, Tally] = {i: [] for i in missing}
        for inspection_id, *row in rows:
            made[inspection_id].append(tuple(row))
        cache.set_many({keys[i]: tally for i, tally in made.items()}, TALLY_SECONDS)
        found.update(made)
    return found


def _add_to_tally(tally: dict[str, int], question: TemplateQuestion, row: dict) -> None:
    key = _key(question, row)
    if key is not None:
        tally[key] = tally.get(key, 0) + row["n"]


def _by_question(tally: Tally, questions: dict[int, TemplateQuestion]) -> dict[int, dict]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, value, choice_id, grade, n in tally:
        question = questions.get(question_id)
        if question is not None:
            row = {"value": value, "choice_id": choice_id, "grade": grade, "n": n}
            _add_to_tally(counts[question_id], question, row)
    return counts


def _result(question: TemplateQuestion, tally: dict[str, int]) -> QuestionResult:
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
    return QuestionResult(
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


@dataclass(frozen=True)
class Results:
    """An inspection's results with the counts of its sample, as its results page shows them."""

    questions: list[QuestionResult]
    records_counted: int
    counts: dict[str, int]


def results_summary(
    *, inspection: Inspection, agency: str | None = None, complete_only: bool = True
) -> Results:
    """`record_reading_results` with how many records they are over and how many records of the
    sample are at each status. Three queries (the sample's records, its questions, their
    choices) while the sample is unchanged since its answers were last counted; one more, the
    aggregate over its answers, when it has changed."""
    samples = Samples([inspection.pk])
    questions = _counted_questions(
        TemplateQuestion.objects.filter(section__template_id__in=samples.templates(inspection.pk))
    )
    results = []
    if questions:
        tally = _tallies(samples, [inspection.pk], agency=agency, complete_only=complete_only)[
            inspection.pk
        ]
        counts = _by_question(tally, {q.pk: q for q in questions})
        results = [_result(q, counts.get(q.pk, {})) for q in questions]
    return Results(
        questions=results,
        records_counted=samples.counted(inspection.pk, agency=agency, complete_only=complete_only),
        counts=samples.counts(inspection.pk),
    )


def record_reading_results(
    *, inspection: Inspection, agency: str | None = None, complete_only: bool = True
) -> list[QuestionResult]:
    """Totals and percentages per counted question (not free text) and per answer, over the
    inspection's sample (records marked complete only, unless `complete_only` is False),
    optionally for the records one agency holds. Percentages are of applicable answers, with
    the not-applicable count beside. A fixed number of queries, whatever the number of records
    (see `results_summary`)."""
    return results_summary(
        inspection=inspection, agency=agency, complete_only=complete_only
    ).questions


def cited_results(
    *, cited: Mapping[int, Iterable[int]], complete_only: bool = True
) -> dict[int, dict[int, QuestionResult]]:
    """The results of just some questions of several inspections: `cited` maps inspection ids
    to question ids, and the answer maps each inspection id to {question id: result}, each
    result as `record_reading_results` gives it for that inspection (a question it would leave
    out, e.g. free text, archived or of a template the sample does not use, is left out).
    For a page of findings citing questions: a fixed number of queries whatever the number of
    findings, inspections and records (the aggregate over the answers only for samples changed
    since their answers were last counted)."""
    wanted = {int(i): {int(q) for q in qs} for i, qs in cited.items()}
    found: dict[int, dict[int, QuestionResult]] = {i: {} for i in wanted}
    wanted = {i: qs for i, qs in wanted.items() if qs}
    if not wanted:
        return found
    samples = Samples(wanted)
    questions = {
        q.pk: q
        for q in _counted_questions(
            TemplateQuestion.objects.filter(pk__in=set().union(*wanted.values()))
        )
    }
    keep = {
        i: [
            questions[q]
            for q in sorted(qs)
            if q in questions and questions[q].section.template_id in samples.templates(i)
        ]
        for i, qs in wanted.items()
    }
    keep = {i: qs for i, qs in keep.items() if qs}
    if not keep:
        return found
    tallies = _tallies(samples, keep, complete_only=complete_only)
    for i, qs in keep.items():
        counts = _by_question(tallies[i], {q.pk: q for q in qs})
        found[i] = {q.pk: _result(q, counts.get(q.pk, {})) for q in qs}
    return found


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
