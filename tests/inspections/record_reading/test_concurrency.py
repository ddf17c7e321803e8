"""Readers saving at the same time, each in their own thread and database connection on
PostgreSQL: different records are all kept; a stale save of the same record is refused with
nothing written; six readers entering 100 records each lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from accounts.roles import Role
from inspections import services as inspection_services
from inspections.models import ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import selectors, services
from scrutiny.services import ConflictError
from tests import factories
from tests.conftest import require

from .conftest import fresh, make_setting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 10  # seconds: a generous bound, only reached if something is wrong


@pytest.fixture(autouse=True)
def postgresql():
    require(connection.vendor == "postgresql", "row locks need PostgreSQL (set DATABASE_URL)")


def run_together(*jobs: Callable[[], object]) -> list[object]:
    """Start each job in its own thread (so its own connection) at the same moment; return what
    each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(WAIT)
            outcomes[index] = job()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 6)
    assert not any(t.is_alive() for t in threads), "a save never finished"
    return outcomes


def pause_inside_the_save(monkeypatch, who, until: threading.Event, started: threading.Event):
    """Hold `who`'s save open (its record locked, its answers written, nothing committed)
    until `until` is set."""
    original = services.audited_save  # the record's own save, after its answers

    def paused(instance, **kwargs):
        if isinstance(instance, ReviewedRecord) and kwargs["by"].pk == who.pk:
            started.set()
            assert until.wait(WAIT), "the other save never finished"
        return original(instance, **kwargs)

    monkeypatch.setattr(services, "audited_save", paused)


def answers_of(record) -> dict[int, tuple]:
    return {
        a.question_id: (a.value, a.choice_id, a.grade, a.text)
        for a in RecordAnswer.objects.filter(record=record)
    }


def test_two_readers_saving_different_records_at_once_are_both_kept(monkeypatch):
    setting = make_setting()
    second_reader = factories.UserFactory(roles=[Role.INSPECTOR], full_name="Sam Second")
    inspection_services.team_member_add(
        inspection=setting.inspection, by=setting.lead, user=second_reader, role="record_reader"
    )
    first = setting.add_record("SW/1", reader=setting.reader)
    second = setting.add_record("H/1", agency="health", reader=fresh(second_reader))

    other_done, first_waiting = threading.Event(), threading.Event()
    pause_inside_the_save(monkeypatch, setting.reader, other_done, first_waiting)

    def save_first():
        return services.record_answers_save(
            record=first,
            by=fresh(setting.reader),
            expected_version=1,
            answers=setting.full_answers(yes_no="yes", choice=0, grade=6, text="First"),
            complete=True,
        )

    def save_second():
        # Runs while the first save holds its record locked: it is not held up by it.
        assert first_waiting.wait(WAIT)
        try:
            return services.record_answers_save(
                record=second,
                by=fresh(second_reader),
                expected_version=1,
                answers=setting.full_answers(yes_no="no", choice=2, grade=2, text="Second"),
                complete=True,
            )
        finally:
            other_done.set()

    outcomes = run_together(save_first, save_second)

    assert [type(o) for o in outcomes] == [ReviewedRecord, ReviewedRecord], outcomes
    q = setting.questions
    assert answers_of(first)[q["yes_no"].pk] == ("yes", None, None, "")
    assert answers_of(first)[q["text"].pk][3] == "First"
    assert answers_of(second)[q["yes_no"].pk] == ("no", None, None, "")
    assert answers_of(second)[q["six_point"].pk] == ("", None, 2, "")
    assert set(ReviewedRecord.objects.values_list("status", "version")) == {("complete", 2)}


def test_a_stale_save_of_the_same_record_waits_then_is_refused_with_nothing_written(monkeypatch):
    setting = make_setting()
    record = setting.add_record("SW/1", reader=setting.reader)
    release, reader_saving = threading.Event(), threading.Event()
    pause_inside_the_save(monkeypatch, setting.reader, release, reader_saving)
    readers_answers = setting.full_answers(yes_no="yes", choice=0, grade=5, text="Reader")

    def reader_saves():
        return services.record_answers_save(
            record=record,
            by=fresh(setting.reader),
            expected_version=1,
            answers=readers_answers,
        )

    def lead_saves_the_same_version():
        assert reader_saving.wait(WAIT)
        # The reader's transaction holds the record: let the lead's save queue behind it.
        threading.Timer(0.3, release.set).start()
        return services.record_answers_save(
            record=record,
            by=fresh(setting.lead),
            expected_version=1,
            answers=setting.full_answers(yes_no="no", choice=1, grade=1, text="Lead"),
            complete=True,
        )

    reader_outcome, lead_outcome = run_together(reader_saves, lead_saves_the_same_version)

    assert isinstance(reader_outcome, ReviewedRecord), reader_outcome
    assert isinstance(lead_outcome, ConflictError), lead_outcome
    assert lead_outcome.current_version == 2
    current = ReviewedRecord.objects.get(pk=record.pk)
    assert (current.version, current.status) == (2, ReadingStatus.DRAFT)
    q = setting.questions
    assert answers_of(record) == {
        q["yes_no"].pk: ("yes", None, None, ""),
        q["choice"].pk: ("", setting.choices[0].pk, None, ""),
        q["six_point"].pk: ("", None, 5, ""),
        q["text"].pk: ("", None, None, "Reader"),
    }


def test_six_readers_entering_100_records_each_at_once_lose_nothing():
    setting = make_setting()
    readers = []
    agencies = ["social_work", "health", "police"]
    for n in range(6):
        reader = factories.UserFactory(roles=[Role.INSPECTOR], full_name=f"Reader {n}")
        inspection_services.team_member_add(
            inspection=setting.inspection, by=setting.lead, user=reader, role="record_reader"
        )
        services.records_add_bulk(
            inspection=setting.inspection,
            by=setting.lead,
            template=setting.template,
            references=[f"R{n}/{i:03d}" for i in range(100)],
            agency=agencies[n % 3],
            reader=fresh(reader),
        )
        readers.append(fresh(reader))

    def enter_all(reader):
        def job():
            records = list(ReviewedRecord.objects.filter(reader=reader).order_by("reference"))
            for i, record in enumerate(records):
                services.record_answers_save(
                    record=record,
                    by=reader,
                    expected_version=record.version,
                    answers=setting.full_answers(
                        yes_no="yes" if i % 4 else "na",
                        choice=i % 3,
                        grade=i % 6 + 1,
                        text=f"{reader.full_name}: record {i}",
                    ),
                    complete=True,
                )
            return len(records)

        return job

    outcomes = run_together(*(enter_all(r) for r in readers))

    assert outcomes == [100] * 6
    assert ReviewedRecord.objects.filter(status=ReadingStatus.COMPLETE, version=2).count() == 600
    assert RecordAnswer.objects.count() == 600 * 4
    assert RecordAnswer.objects.exclude(text="").count() == 600
    results = selectors.record_reading_results(inspection=setting.inspection)
    yes_no, choice, grade = results
    assert (yes_no.answered, yes_no.not_applicable, yes_no.values[0].count) == (600, 150, 450)
    assert yes_no.figure == "100% yes (450 of 450 applicable; 150 not applicable)"
    assert sum(v.count for v in choice.values) == 600
    assert [v.count for v in grade.values[:6]] == [96, 96, 102, 102, 102, 102]
