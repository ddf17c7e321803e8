"""Results per inspection: totals and percentages per question and per answer, of applicable
answers with the not-applicable count beside; complete records only unless asked; by agency;
computed in the database in the same number of queries at 10 and at 600 records."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from inspections.models import ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import selectors, services
from inspections.record_reading.selectors import QuestionResult, ValueCount
from tests import factories

pytestmark = pytest.mark.django_db

# Ten records read: (agency, yes/no answer, choice index or "na", grade or "na").
KNOWN = [
    ("social_work", "yes", 0, 6),
    ("social_work", "yes", 0, 5),
    ("social_work", "yes", 1, 5),
    ("social_work", "no", 1, 4),
    ("social_work", "na", "na", 4),
    ("health", "yes", 1, 3),
    ("health", "yes", 0, "na"),
    ("health", "no", 1, 2),
    ("police", "yes", "na", 1),
    ("police", "na", "na", "na"),
]


def read_known(setting) -> list[ReviewedRecord]:
    records = []
    for n, (agency, yes_no, choice, grade) in enumerate(KNOWN, start=1):
        record = setting.add_record(f"R/{n:03d}", agency=agency)
        records.append(
            services.record_answers_save(
                record=record,
                by=setting.reader,
                expected_version=1,
                answers=setting.full_answers(
                    yes_no=yes_no, choice=choice, grade=grade, text=f"Notes {n}"
                ),
                complete=True,
            )
        )
    return records


def by_number(results: list[QuestionResult]) -> dict[str, QuestionResult]:
    return {r.number: r for r in results}


def test_known_answers_give_exact_totals_and_percentages(setting):
    read_known(setting)
    # A draft and a record taken out of the sample do not count.
    draft = setting.add_record("R/999")
    services.record_answers_save(
        record=draft, by=setting.reader, expected_version=1, answers=setting.full_answers()
    )
    gone = setting.add_record("R/998")
    gone = services.record_answers_save(
        record=gone,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(),
        complete=True,
    )
    services.record_archive(record=gone, by=setting.lead, reason="Not in scope")

    results = selectors.record_reading_results(inspection=setting.inspection)

    assert [r.number for r in results] == ["1.1", "1.2", "2.1"]  # free text has no results
    assert [r.section for r in results] == ["1 Risk", "1 Risk", "2 Outcomes"]
    yes_no, choice, grade = results
    assert yes_no == QuestionResult(
        question_id=setting.questions["yes_no"].pk,
        number="1.1",
        text="Was a chronology in place?",
        answer_type="yes_no",
        answered=10,
        applicable=8,
        not_applicable=2,
        values=[
            ValueCount("yes", "Yes", 6, 75.0),
            ValueCount("no", "No", 2, 25.0),
            ValueCount("na", "Not applicable", 2, None),
        ],
        section="1 Risk",
    )
    assert yes_no.figure == "75% yes (6 of 8 applicable; 2 not applicable)"

    day, week, later = setting.choices
    assert (choice.answered, choice.applicable, choice.not_applicable) == (10, 7, 3)
    assert choice.values == [
        ValueCount(str(day.pk), "Within a day", 3, 42.9),
        ValueCount(str(week.pk), "Within a week", 4, 57.1),
        ValueCount(str(later.pk), "Later", 0, 0.0),
        ValueCount("na", "Not applicable", 3, None),
    ]
    assert choice.figure == "57% Within a week (4 of 7 applicable; 3 not applicable)"

    assert (grade.applicable, grade.not_applicable) == (8, 2)
    assert [(v.value, v.count, v.percent) for v in grade.values] == [
        ("6", 1, 12.5),
        ("5", 2, 25.0),
        ("4", 2, 25.0),
        ("3", 1, 12.5),
        ("2", 1, 12.5),
        ("1", 1, 12.5),
        ("na", 2, None),
    ]
    assert grade.values[0].label == "6 Excellent"
    assert grade.figure == "25% 5 Very good (2 of 8 applicable; 2 not applicable)"


def test_drafts_count_only_when_asked(setting):
    read_known(setting)
    draft = setting.add_record("R/999")
    services.record_answers_save(
        record=draft,
        by=setting.reader,
        expected_version=1,
        answers={setting.questions["yes_no"].pk: "no"},
    )
    with_drafts = by_number(
        selectors.record_reading_results(inspection=setting.inspection, complete_only=False)
    )
    assert with_drafts["1.1"].values[1] == ValueCount("no", "No", 3, 33.3)
    assert with_drafts["1.2"].answered == 10  # the draft did not answer it
    assert selectors.records_counted(inspection=setting.inspection, complete_only=False) == 11
    assert selectors.records_counted(inspection=setting.inspection) == 10


def test_results_by_the_agency_holding_the_records(setting):
    read_known(setting)

    health = by_number(
        selectors.record_reading_results(inspection=setting.inspection, agency="health")
    )
    assert [(v.value, v.count, v.percent) for v in health["1.1"].values] == [
        ("yes", 2, 66.7),
        ("no", 1, 33.3),
        ("na", 0, None),
    ]
    assert health["1.1"].figure == "67% yes (2 of 3 applicable; 0 not applicable)"

    police = by_number(
        selectors.record_reading_results(inspection=setting.inspection, agency="police")
    )
    assert police["1.2"].applicable == 0
    assert police["1.2"].figure == "No applicable answers (2 not applicable)"
    assert all(v.percent is None for v in police["1.2"].values)


def test_no_records_means_no_results_and_no_answers_says_so(setting):
    assert selectors.record_reading_results(inspection=setting.inspection) == []
    setting.add_record()
    results = selectors.record_reading_results(inspection=setting.inspection)
    assert [r.figure for r in results] == ["No answers yet"] * 3


def test_results_are_for_those_cleared_to_see_the_evidence(setting):
    read_known(setting)
    results = selectors.results_for(user=setting.reader, inspection_pk=setting.inspection.pk)
    assert len(results) == 3
    for who in (setting.outsider, factories.administrator()):
        with pytest.raises(Http404):
            selectors.results_for(user=who, inspection_pk=setting.inspection.pk)


def _bulk_sample(setting, count: int) -> None:
    """`count` complete records with every counted question answered, made in bulk."""
    agencies = ["social_work", "health", "police"]
    records = ReviewedRecord.objects.bulk_create(
        ReviewedRecord(
            inspection=setting.inspection,
            template=setting.template,
            reference=f"B/{n:05d}",
            agency=agencies[n % 3],
            reader=setting.reader,
            status=ReadingStatus.COMPLETE,
        )
        for n in range(count)
    )
    q = setting.questions
    choices = setting.choices
    answers = []
    for n, record in enumerate(records):
        answers += [
            RecordAnswer(record=record, question=q["yes_no"], value=["yes", "no", "na"][n % 3]),
            RecordAnswer(record=record, question=q["choice"], choice=choices[n % 3]),
            RecordAnswer(record=record, question=q["six_point"], grade=n % 6 + 1),
            RecordAnswer(record=record, question=q["text"], text="Notes"),
        ]
    RecordAnswer.objects.bulk_create(answers)


def _results_queries(setting) -> tuple[int, list[QuestionResult]]:
    with CaptureQueriesContext(connection) as captured:
        results = selectors.record_reading_results(inspection=setting.inspection)
        by_agency = selectors.record_reading_results(inspection=setting.inspection, agency="health")
    assert by_agency
    return len(captured.captured_queries), results


def test_the_same_number_of_queries_at_10_and_at_600_records(setting):
    _bulk_sample(setting, 10)
    small, results = _results_queries(setting)
    assert results[0].answered == 10

    ReviewedRecord.objects.filter(inspection=setting.inspection).delete()
    _bulk_sample(setting, 600)
    large, results = _results_queries(setting)

    # Four each: the sample's records, the questions, their choices, one aggregate of answers.
    assert small == large == 8
    # Asked again with the sample unchanged, the answers are not counted again.
    again, same = _results_queries(setting)
    assert again == 6 and same == results
    yes_no, choice, grade = results
    assert [(v.value, v.count) for v in yes_no.values] == [("yes", 200), ("no", 200), ("na", 200)]
    assert yes_no.figure == "50% yes (200 of 400 applicable; 200 not applicable)"
    assert [v.count for v in choice.values] == [200, 200, 200, 0]
    assert [v.count for v in grade.values] == [100] * 6 + [0]
    assert grade.values[0].percent == 16.7
