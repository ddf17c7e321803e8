"""Two people asking for the same report at the same moment, each in their own thread and
database connection on PostgreSQL: one report is queued, and both are given it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from reports import services
from reports.models import GeneratedReport, ReportStatus
from tests.conftest import require

from .conftest import fresh, graded_team

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 10  # seconds: a generous bound, only reached if something is wrong


@pytest.fixture(autouse=True)
def postgresql():
    require(connection.vendor == "postgresql", "the race needs PostgreSQL (set DATABASE_URL)")


def test_two_requests_at_once_make_one_report(monkeypatch):
    team = graded_team()
    people = [fresh(team.member), fresh(team.lead)]
    assert {p.pk for p in people} == {team.member.pk, team.lead.pk}
    # Both have looked for a report being made, found none, and insert at the same moment.
    at_the_insert = threading.Barrier(len(people), timeout=WAIT)
    original_save = services.audited_save

    def racing_save(instance, **kwargs):
        if isinstance(instance, GeneratedReport) and instance.pk is None:
            at_the_insert.wait()
        return original_save(instance, **kwargs)

    queued: list[int] = []
    monkeypatch.setattr(services, "audited_save", racing_save)
    monkeypatch.setattr(services, "_enqueue", lambda pk, task_id: queued.append(pk))
    outcomes: list[object] = [None] * len(people)

    def run(index: int) -> None:
        try:
            outcomes[index] = services.report_request(
                by=people[index], kind="inspection_report", inspection=team.inspection
            )
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert not any(t.is_alive() for t in threads), "a request never finished"

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    reports = list(GeneratedReport.objects.all())
    assert len(reports) == 1
    assert reports[0].status == ReportStatus.QUEUED
    assert sorted(created for _, created in outcomes) == [False, True]
    assert {report.pk for report, _ in outcomes} == {reports[0].pk}
    assert queued == [reports[0].pk]  # one task for the two requests
