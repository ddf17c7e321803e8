"""Record reading at national scale: a record's answers are saved in a fixed number of queries
however many questions its template has (each changed answer still in History, with who, when
and what), a stale version still saves nothing, and the sample page, the records and answers
lists and the results take the same number of queries however large the sample."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import AnswerType, ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import selectors, services
from scrutiny.services import ConflictError
from tests import factories

from .conftest import fresh

QUESTIONS = 30


def big_template(setting, questions: int = QUESTIONS):
    """A template of `questions` questions (yes/no, choice, six-point and text in turn) in three
    sections."""
    kinds = [AnswerType.YES_NO, AnswerType.CHOICE, AnswerType.SIX_POINT, AnswerType.TEXT]
    per_section = questions // 3
    sections = [
        {
            "number": str(s + 1),
            "title": f"Section {s + 1}",
            "questions": [
                {
                    "number": f"{s + 1}.{n + 1}",
                    "text": f"Question {s + 1}.{n + 1}?",
                    "answer_type": kinds[(s * per_section + n) % 4],
                    "choices": ["Soon", "Later", "Never"]
                    if kinds[(s * per_section + n) % 4] == AnswerType.CHOICE
                    else [],
                }
                for n in range(per_section)
            ],
        }
        for s in range(3)
    ]
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    template = services.template_create(
        by=admin, programme=setting.inspection.programme, name="Thirty questions", sections=sections
    )
    return template, services.template_questions(template.pk)


def answers_for(questions, n: int = 0) -> dict[int, str]:
    answers = {}
    for i, q in enumerate(questions):
        if q.answer_type == AnswerType.YES_NO:
            answers[q.pk] = ("yes", "no", "na")[(i + n) % 3]
        elif q.answer_type == AnswerType.CHOICE:
            answers[q.pk] = str(list(q.choices.all())[(i + n) % 3].pk)
        elif q.answer_type == AnswerType.SIX_POINT:
            answers[q.pk] = str(1 + (i + n) % 6)
        else:
            answers[q.pk] = f"Note {n}"
    return answers


def add_record(setting, template, reference: str) -> ReviewedRecord:
    return services.record_add(
        inspection=setting.inspection,
        by=setting.lead,
        template=template,
        reference=reference,
        agency="social_work",
        reader=setting.reader,
    )


def save(setting, record, answers, *, complete=False, version=None):
    return services.record_answers_save(
        record=record,
        by=fresh(setting.reader),
        expected_version=record.version if version is None else version,
        answers=answers,
        complete=complete,
    )


def save_queries(setting, record, answers, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        save(setting, record, answers, **kwargs)
    return len(ctx.captured_queries)


# Saving --------------------------------------------------------------------------------------


def test_a_save_takes_the_same_queries_for_4_or_30_answers(setting):
    template, questions = big_template(setting)
    small = add_record(setting, setting.template, "SW/0001")
    large = add_record(setting, template, "SW/0002")

    few = save_queries(setting, small, setting.full_answers(text="Notes"), complete=True)
    many = save_queries(setting, large, answers_for(questions), complete=True)

    assert len(questions) == QUESTIONS
    assert RecordAnswer.objects.filter(record=large).count() == QUESTIONS
    assert many == few
    assert many <= 20  # it was 84 with one INSERT and one History INSERT per answer

    # Changing some answers and adding none is as cheap.
    large.refresh_from_db()
    changed = save_queries(setting, large, answers_for(questions, n=1))
    assert changed <= many


def test_history_shows_each_changed_answer_with_who_when_and_what(setting):
    template, questions = big_template(setting)
    record = add_record(setting, template, "SW/0001")
    first = answers_for(questions)
    save(setting, record, first)
    record.refresh_from_db()

    # Change three answers, clear one, leave the rest as they were.
    yes_no = [q for q in questions if q.answer_type == AnswerType.YES_NO]
    grades = [q for q in questions if q.answer_type == AnswerType.SIX_POINT]
    texts = [q for q in questions if q.answer_type == AnswerType.TEXT]
    second = dict(first)
    second[yes_no[0].pk] = "no" if first[yes_no[0].pk] != "no" else "yes"
    second[grades[0].pk] = "6" if first[grades[0].pk] != "6" else "1"
    second[texts[0].pk] = "A longer note"
    second[texts[1].pk] = ""
    save(setting, record, second, complete=False)

    history = RecordAnswer.history.filter(record_id=record.pk)
    created = history.filter(history_type="+")
    assert created.count() == QUESTIONS  # every first answer, once
    assert {h.history_user_id for h in created} == {setting.reader.pk}
    assert {h.history_change_reason for h in created} == {"Answers saved as a draft"}

    updates = history.filter(history_type="~").order_by("question_id")
    assert {h.question_id for h in updates} == {
        yes_no[0].pk,
        grades[0].pk,
        texts[0].pk,
        texts[1].pk,
    }
    assert {h.history_user_id for h in updates} == {setting.reader.pk}
    assert all(h.history_date is not None for h in updates)
    by_question = {h.question_id: h for h in updates}
    assert by_question[yes_no[0].pk].value == second[yes_no[0].pk]
    assert by_question[grades[0].pk].grade == int(second[grades[0].pk])
    assert by_question[texts[0].pk].text == "A longer note"
    assert by_question[texts[1].pk].text == ""

    # The saved answers match what was sent, and their time of change moved on.
    saved = {a.question_id: a for a in RecordAnswer.objects.filter(record=record)}
    assert saved[yes_no[0].pk].value == second[yes_no[0].pk]
    assert saved[texts[1].pk].text == ""
    assert saved[texts[0].pk].updated_at > saved[yes_no[1].pk].updated_at

    # The record's History says how many answers changed, and the page lists each change.
    record.refresh_from_db()
    assert (
        record.history.first().history_change_reason
        == "Answers saved as a draft (4 answers changed)"
    )
    client = APIClient()
    client.force_login(setting.reader)
    page = client.get(reverse("inspections:record_reading_history", args=[record.pk]))
    assert page.status_code == 200
    assert "A longer note" in page.content.decode()


def test_a_stale_version_saves_nothing(setting):
    template, questions = big_template(setting)
    record = add_record(setting, template, "SW/0001")
    stale = record.version
    save(setting, record, answers_for(questions))
    before = RecordAnswer.history.filter(record_id=record.pk).count()

    with pytest.raises(ConflictError):
        save(setting, record, answers_for(questions, n=1), version=stale)

    assert RecordAnswer.history.filter(record_id=record.pk).count() == before
    saved = {a.question_id: a.value for a in RecordAnswer.objects.filter(record=record)}
    first = answers_for(questions)
    yes_no = [q for q in questions if q.answer_type == AnswerType.YES_NO]
    assert all(saved[q.pk] == first[q.pk] for q in yes_no)


# Reading -------------------------------------------------------------------------------------


def fill(setting, template, questions, count: int, start: int = 0) -> None:
    """`count` more records, each complete with every question answered (bulk, like the seed)."""
    records = ReviewedRecord.objects.bulk_create(
        [
            ReviewedRecord(
                inspection=setting.inspection,
                template=template,
                reference=f"SW/{start + n:05d}",
                agency=("social_work", "health", "police")[n % 3],
                reader=setting.reader,
                status=ReadingStatus.COMPLETE,
            )
            for n in range(count)
        ]
    )
    answers = []
    for n, record in enumerate(records):
        for q, value in answers_for(questions, n).items():
            question = next(x for x in questions if x.pk == q)
            answer = RecordAnswer(record=record, question_id=q)
            services.parse_answer(question, value, [c.pk for c in question.choices.all()]).apply_to(
                answer
            )
            answers.append(answer)
    RecordAnswer.objects.bulk_create(answers)


def queries_of(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


LISTS = {
    "sample page": lambda pk: reverse("inspections:record_reading_sample", args=[pk]),
    "results page": lambda pk: reverse("inspections:record_reading_results", args=[pk]),
    "API records": lambda pk: f"/api/v1/record-reading/records/?inspection={pk}",
    "API answers": lambda pk: f"/api/v1/record-reading/answers/?inspection={pk}",
    "API results": lambda pk: f"/api/v1/inspections/{pk}/record-reading-results/",
}


@pytest.mark.parametrize("name", LISTS)
def test_record_reading_lists_take_the_same_queries_however_large_the_sample(setting, name):
    template, questions = big_template(setting)
    url = LISTS[name](setting.inspection.pk)
    client = APIClient()
    client.force_login(setting.lead)
    fill(setting, template, questions, 3)
    small, _ = queries_of(client, url)
    fill(setting, template, questions, 60, start=100)
    large, response = queries_of(client, url)
    assert large <= small
    if name == "sample page":
        assert f"{QUESTIONS} of {QUESTIONS}" in response.content.decode()


def test_the_sample_page_counts_the_answers_of_each_record_shown(setting):
    template, questions = big_template(setting)
    empty = add_record(setting, template, "SW/0001")
    partly = add_record(setting, template, "SW/0002")
    some = dict(list(answers_for(questions).items())[:7])
    some[questions[3].pk] = ""  # blank: not an answer
    save(setting, partly, some)

    rows = {r.pk: r.answered for r in selectors.record_list(user=setting.lead)}
    assert rows[empty.pk] == 0
    assert rows[partly.pk] == 6

    client = APIClient()
    client.force_login(setting.lead)
    page = client.get(reverse("inspections:record_reading_sample", args=[setting.inspection.pk]))
    assert f"6 of {QUESTIONS}" in page.content.decode()
    assert f"0 of {QUESTIONS}" in page.content.decode()
