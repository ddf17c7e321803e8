"""Writes for record reading. Each takes the acting user, checks permission itself, runs in one
transaction and is audited, so pages, API, admin, commands and tasks behave alike.

A record's answers are written together under the record's version: a save based on a version
that has moved on raises ConflictError and writes nothing; an invalid answer raises a
ValidationError naming every question at fault (keys from `answer_field`) and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from scrutiny.services import ConflictError, archive, audited_save, versioned_update

from ..models import (
    AnswerType,
    Inspection,
    QuestionChoice,
    ReadingStatus,
    RecordAgency,
    RecordAnswer,
    RecordReviewTemplate,
    ReviewedRecord,
    TeamMember,
    TemplateQuestion,
    TemplateSection,
)
from ..models.record_reading import NO, NOT_APPLICABLE, YES
from ..policies import inspection_policy
from ..services import NOT_ALLOWED, ONLY_LEAD, _require, _require_open

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Programme

ONLY_READER = "Only the record's reader or the lead inspector can enter its answers."
READER_NOT_CLEARED = (
    "Choose someone on the inspection team who is cleared to see the inspection's evidence."
)
TEMPLATE_NOT_FOR_PROGRAMME = "Use a record review template of the {programme} programme."
TEMPLATE_ARCHIVED = "This record review template is archived: choose a current one."
RECORD_ARCHIVED = "This record has been taken out of the sample: it can no longer be changed."
ALREADY_IN_SAMPLE = "This record is already in the sample."
NO_REFERENCES = "Enter at least one record reference, one per line."
TOO_MANY_REFERENCES = "Add at most {limit} records at a time."
REFERENCE_LINE = "Line {line} ({reference}): {message}"
REPEATED_IN_LIST = "it appears more than once in the list."
NOT_A_QUESTION = "This is not a question of the record's review template."
ANSWER_YES_NO = "Question {number}: choose yes, no or not applicable."
ANSWER_CHOICE = "Question {number}: choose one of the answers listed."
ANSWER_GRADE = "Question {number}: choose a grade from 6 (excellent) to 1 (unsatisfactory)."
NOT_APPLICABLE_REFUSED = "Question {number}: 'not applicable' is not an answer to this question."
ANSWER_TOO_LONG = "Question {number}: keep the answer to {limit} characters or fewer."
ANSWER_NEEDED = "Question {number}: answer it before marking the record complete."

MAX_BULK = 500
TEXT_LIMIT = 5000
GRADES = range(1, 7)
# The six-point scale (DOMAIN: "6 excellent, 5 very good, 4 good, 3 adequate, 2 weak,
# 1 unsatisfactory"), highest first.
SIX_POINT_LABELS = {
    6: "Excellent",
    5: "Very good",
    4: "Good",
    3: "Adequate",
    2: "Weak",
    1: "Unsatisfactory",
}
NOT_APPLICABLE_WORDS = {NOT_APPLICABLE, "n/a", "not_applicable", "not applicable"}


def answer_field(question_id: int) -> str:
    """The name under which a question's answer is sent by forms and its errors are keyed."""
    return f"question_{question_id}"


# Answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerValue:
    """An answer as stored: yes/no/na in `value`, or a choice, a grade or text."""

    value: str = ""
    choice_id: int | None = None
    grade: int | None = None
    text: str = ""

    @property
    def is_blank(self) -> bool:
        return self == BLANK

    @classmethod
    def of(cls, answer: RecordAnswer | None) -> AnswerValue:
        if answer is None:
            return BLANK
        return cls(answer.value, answer.choice_id, answer.grade, answer.text)

    def apply_to(self, answer: RecordAnswer) -> None:
        answer.value = self.value
        answer.choice_id = self.choice_id
        answer.grade = self.grade
        answer.text = self.text


BLANK = AnswerValue()


def answer_token(question: TemplateQuestion, answer: RecordAnswer | None) -> str:
    """A saved answer as forms and API clients send it: yes / no / na, a choice's id, a grade
    or the text ("" when not answered)."""
    if answer is None:
        return ""
    if answer.value == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if question.answer_type == AnswerType.YES_NO:
        return answer.value
    if question.answer_type == AnswerType.CHOICE:
        return str(answer.choice_id or "")
    if question.answer_type == AnswerType.SIX_POINT:
        return str(answer.grade or "")
    return answer.text


def offers_not_applicable(question: TemplateQuestion) -> bool:
    return question.answer_type == AnswerType.YES_NO or (
        question.allow_not_applicable and question.answer_type != AnswerType.TEXT
    )


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit() and len(token) <= 18


def parse_answer(
    question: TemplateQuestion, raw: Any, choice_ids: Iterable[int] = ()
) -> AnswerValue:
    """Turn what a form or API client sent into a stored answer, or raise ValueError with the
    message for this question. None or blank means "not answered"."""
    number = question.number
    if raw is None:
        return BLANK
    if question.answer_type == AnswerType.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_LIMIT:
            raise ValueError(ANSWER_TOO_LONG.format(number=number, limit=TEXT_LIMIT))
        return AnswerValue(text=text)
    token = str(raw).strip().lower()
    if not token:
        return BLANK
    if token in NOT_APPLICABLE_WORDS:
        if not offers_not_applicable(question):
            raise ValueError(NOT_APPLICABLE_REFUSED.format(number=number))
        return AnswerValue(value=NOT_APPLICABLE)
    if question.answer_type == AnswerType.YES_NO:
        if token not in (YES, NO):
            raise ValueError(ANSWER_YES_NO.format(number=number))
        return AnswerValue(value=token)
    if question.answer_type == AnswerType.CHOICE:
        if not _is_number(token) or int(token) not in set(choice_ids):
            raise ValueError(ANSWER_CHOICE.format(number=number))
        return AnswerValue(choice_id=int(token))
    if question.answer_type == AnswerType.SIX_POINT:
        if not _is_number(token) or int(token) not in GRADES:
            raise ValueError(ANSWER_GRADE.format(number=number))
        return AnswerValue(grade=int(token))
    raise ValueError(NOT_A_QUESTION)


def template_questions(template_id: int) -> list[TemplateQuestion]:
    """The template's current questions in reading order, each with its current choices."""
    return list(
        TemplateQuestion.objects.filter(
            section__template_id=template_id,
            archived_at__isnull=True,
            section__archived_at__isnull=True,
        )
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=QuestionChoice.objects.filter(archived_at__isnull=True).order_by(
                    "order", "pk"
                ),
            )
        )
        .order_by("section__order", "section__number", "section__pk", "order", "number", "pk")
    )


def may_enter_answers(user: User, record: ReviewedRecord) -> bool:
    """The record's reader (while cleared to see the evidence), or the lead or an
    administrator."""
    inspection = record.inspection
    if not user.is_active:
        return False
    if record.reader_id == user.pk and inspection_policy.can_view_evidence(user, inspection):
        return True
    return inspection_policy.can_lead(user, inspection)


def _require_current(record: ReviewedRecord) -> None:
    if record.archived_at is not None:
        raise ValidationError(RECORD_ARCHIVED)


def record_answers_save(
    *,
    record: ReviewedRecord,
    by: User,
    expected_version: int | None,
    answers: Mapping[Any, Any],
    complete: bool = False,
) -> ReviewedRecord:
    """Save a record's answers together, as a draft or marked complete.

    `answers` maps question ids to what was sent (blank clears an answer); questions left out
    keep their saved answer. Marking complete needs every counted (not free-text) question
    answered. The record's version goes up once; each changed answer is in its History."""
    with transaction.atomic():
        # Lock the record's row only (not the inspection's): readers of other records go on.
        current = (
            ReviewedRecord.objects.select_for_update(of=("self",))
            .select_related("inspection")
            .get(pk=record.pk)
        )
        _require(may_enter_answers(by, current), ONLY_READER)  # as the record is now
        _require_open(current.inspection)
        if expected_version is None or current.version != int(expected_version):
            raise ConflictError(current)
        _require_current(current)

        questions = {q.pk: q for q in template_questions(current.template_id)}
        existing = {a.question_id: a for a in RecordAnswer.objects.filter(record=current)}
        parsed: dict[int, AnswerValue] = {}
        errors: dict[str, list[str]] = {}
        for key, raw in answers.items():
            try:
                question = questions[int(key)]
            except (KeyError, TypeError, ValueError):
                errors[answer_field(key)] = [NOT_A_QUESTION]
                continue
            choice_ids = {c.pk for c in question.choices.all()}
            if question.pk in existing and existing[question.pk].choice_id:
                choice_ids.add(existing[question.pk].choice_id)  # kept even if since archived
            try:
                parsed[question.pk] = parse_answer(question, raw, choice_ids)
            except ValueError as exc:
                errors[answer_field(question.pk)] = [str(exc)]
        if complete:
            for question in questions.values():
                if not question.has_results or answer_field(question.pk) in errors:
                    continue
                after = parsed.get(question.pk, AnswerValue.of(existing.get(question.pk)))
                if after.is_blank:
                    errors[answer_field(question.pk)] = [
                        ANSWER_NEEDED.format(number=question.number)
                    ]
        if errors:
            raise ValidationError(errors)

        reason = "Marked complete" if complete else "Answers saved as a draft"
        now = timezone.now()
        added: list[RecordAnswer] = []
        updated: list[RecordAnswer] = []
        for question_id, value in parsed.items():
            answer = existing.get(question_id)
            if AnswerValue.of(answer) == value:
                continue
            if answer is None:
                answer = RecordAnswer(record=current, question_id=question_id)
                added.append(answer)
            else:
                answer.updated_at = now  # bulk_update leaves auto_now alone
                updated.append(answer)
            value.apply_to(answer)
            answer._history_user = by
            answer._change_reason = reason
        # Two statements for the answers and two for their History, however many changed: each
        # changed answer still has its own History row, with who, when and why.
        if added:
            bulk_create_with_history(added, RecordAnswer, default_user=by, default_date=now)
        if updated:
            bulk_update_with_history(
                updated,
                RecordAnswer,
                ["value", "choice", "grade", "text", "updated_at"],
                default_user=by,
                default_date=now,
            )
        changed = len(added) + len(updated)
        # The version was checked above with the row locked, so this is versioned_update's work
        # without locking and reading the row again.
        current.status = ReadingStatus.COMPLETE if complete else ReadingStatus.DRAFT
        if complete and current.read_on is None:
            current.read_on = timezone.localdate()
        current.version += 1
        return audited_save(
            current,
            by=by,
            reason=f"{reason} ({changed} answer{'' if changed == 1 else 's'} changed)",
            validate=False,
        )


# The sample ----------------------------------------------------------------------------------


def _check_template(inspection: Inspection, template: RecordReviewTemplate) -> None:
    if template.programme_id != inspection.programme_id:
        raise ValidationError(
            {"template": [TEMPLATE_NOT_FOR_PROGRAMME.format(programme=inspection.programme)]}
        )
    if template.archived_at is not None:
        raise ValidationError({"template": [TEMPLATE_ARCHIVED]})


def _check_reader(inspection: Inspection, reader: User | None) -> None:
    if reader is None:
        return
    member = TeamMember.objects.filter(
        inspection=inspection, user=reader, archived_at__isnull=True
    ).first()
    if not reader.is_active or member is None or not member.may_see_evidence:
        raise ValidationError({"reader": [READER_NOT_CLEARED]})


@transaction.atomic
def record_add(
    *,
    inspection: Inspection,
    by: User,
    template: RecordReviewTemplate,
    reference: str,
    agency: str,
    reader: User | None = None,
) -> ReviewedRecord:
    """Add one record to the inspection's sample: its reference (never a name), the agency
    holding it and, optionally, who reads it."""
    _require(inspection_policy.can_lead(by, inspection), ONLY_LEAD)
    _require_open(inspection)
    _check_template(inspection, template)
    _check_reader(inspection, reader)
    record = ReviewedRecord(
        inspection=inspection,
        template=template,
        reference=(reference or "").strip(),
        agency=agency,
        reader=reader,
    )
    in_sample = ReviewedRecord.objects.filter(
        inspection=inspection, reference=record.reference, archived_at__isnull=True
    )
    if record.reference and in_sample.exists():
        raise ValidationError({"reference": [ALREADY_IN_SAMPLE]})
    try:
        with transaction.atomic():
            return audited_save(record, by=by, reason="Added to the sample")
    except IntegrityError as exc:  # another lead added the same reference a moment ago
        raise ValidationError({"reference": [ALREADY_IN_SAMPLE]}) from exc


def parse_references(text: str | Iterable[str]) -> list[str]:
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [line.strip() for line in lines]


@transaction.atomic
def records_add_bulk(
    *,
    inspection: Inspection,
    by: User,
    template: RecordReviewTemplate,
    references: str | Iterable[str],
    agency: str,
    reader: User | None = None,
) -> list[ReviewedRecord]:
    """Add many records held by one agency: references one per line (blank lines ignored).
    Every line is checked first; if any is wrong, nothing is added and each fault is listed."""
    _require(inspection_policy.can_lead(by, inspection), ONLY_LEAD)
    _require_open(inspection)
    _check_template(inspection, template)
    _check_reader(inspection, reader)
    if agency not in RecordAgency.values:
        raise ValidationError({"agency": [f"Choose one of: {', '.join(RecordAgency.labels)}."]})
    lines = [(n, ref) for n, ref in enumerate(parse_references(references), start=1) if ref]
    if not lines:
        raise ValidationError({"references": [NO_REFERENCES]})
    if len(lines) > MAX_BULK:
        raise ValidationError({"references": [TOO_MANY_REFERENCES.format(limit=MAX_BULK)]})
    in_sample = set(
        ReviewedRecord.objects.filter(
            inspection=inspection,
            archived_at__isnull=True,
            reference__in=[ref for _, ref in lines],
        ).values_list("reference", flat=True)
    )
    errors: list[str] = []
    seen: set[str] = set()
    records: list[ReviewedRecord] = []
    for number, reference in lines:
        record = ReviewedRecord(
            inspection=inspection,
            template=template,
            reference=reference,
            agency=agency,
            reader=reader,
        )
        messages: list[str] = []
        try:
            record.clean_fields(exclude=["inspection", "template", "reader"])
        except ValidationError as exc:
            messages = [m for ms in exc.message_dict.values() for m in ms]
        if reference in in_sample:
            messages.append(ALREADY_IN_SAMPLE)
        elif reference in seen:
            messages.append(REPEATED_IN_LIST)
        seen.add(reference)
        errors += [
            REFERENCE_LINE.format(line=number, reference=reference, message=m) for m in messages
        ]
        records.append(record)
    if errors:
        raise ValidationError({"references": errors})
    try:
        with transaction.atomic():
            for record in records:
                audited_save(record, by=by, reason="Added to the sample", validate=False)
    except IntegrityError as exc:
        raise ValidationError({"references": [ALREADY_IN_SAMPLE]}) from exc
    return records


@transaction.atomic
def record_assign(
    *,
    record: ReviewedRecord,
    by: User,
    reader: User | None,
    expected_version: int | None,
) -> ReviewedRecord:
    """Give the record to a reader (None: to no one). The lead or an administrator."""
    _require(inspection_policy.can_lead(by, record.inspection), ONLY_LEAD)
    _require_open(record.inspection)
    _require_current(record)
    _check_reader(record.inspection, reader)
    return versioned_update(
        record,
        by=by,
        expected_version=expected_version,
        changes={"reader": reader},
        reason=f"Given to {reader.full_name} to read" if reader else "Reader removed",
    )


def record_archive(
    *, record: ReviewedRecord, by: User, reason: str, expected_version: int | None = None
) -> ReviewedRecord:
    """Take a record out of the sample (its answers are kept, and stop counting)."""
    _require(inspection_policy.can_lead(by, record.inspection), ONLY_LEAD)
    return archive(
        record, by=by, reason=reason or "Taken out of the sample", expected_version=expected_version
    )


# Templates (administrators; the admin site edits them too) ------------------------------------


@transaction.atomic
def template_create(
    *,
    by: User,
    programme: Programme,
    name: str,
    description: str = "",
    sections: Iterable[Mapping[str, Any]] = (),
) -> RecordReviewTemplate:
    """A record review template with its sections, questions and choices, for commands and
    tests. Each section: number, title, questions; each question: number, text, answer_type,
    and optionally help_text, allow_not_applicable and choices (labels)."""
    _require(by.has_perm("inspections.add_recordreviewtemplate"), NOT_ALLOWED)
    reason = "Record review template created"
    template = audited_save(
        RecordReviewTemplate(programme=programme, name=name, description=description),
        by=by,
        reason=reason,
    )
    for s_order, spec in enumerate(sections, start=1):
        section = audited_save(
            TemplateSection(
                template=template, number=spec["number"], title=spec["title"], order=s_order
            ),
            by=by,
            reason=reason,
        )
        for q_order, q in enumerate(spec.get("questions", ()), start=1):
            question = audited_save(
                TemplateQuestion(
                    section=section,
                    number=q["number"],
                    text=q["text"],
                    help_text=q.get("help_text", ""),
                    answer_type=q["answer_type"],
                    allow_not_applicable=q.get("allow_not_applicable", True),
                    order=q_order,
                ),
                by=by,
                reason=reason,
            )
            for c_order, label in enumerate(q.get("choices", ()), start=1):
                audited_save(
                    QuestionChoice(question=question, label=label, order=c_order),
                    by=by,
                    reason=reason,
                )
    return template
