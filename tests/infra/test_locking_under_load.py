"""Optimistic locking under load: twenty people change one shared risk at the same moment
through the API of a real server (pytest-django's live server: a thread and a database
connection per request, on PostgreSQL), each with their own token.

All sending the version they read, one wins and the other nineteen are told the record has
changed (409 with the current version); then, re-reading and trying again until they win, each
person's change lands exactly once, one version each, and none is lost.
"""

from __future__ import annotations

import datetime
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from django.db import connection
from knox.models import AuthToken

from cooperation import services
from cooperation.models import SharedRisk
from scrutiny.services import CONFLICT_MESSAGE
from tests.conftest import require
from tests.cooperation import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITERS = 20
TIMEOUT = 60  # seconds for one request; the whole test takes a few


@dataclass(frozen=True)
class Writer:
    number: int
    user_pk: int
    token: str

    @property
    def mark(self) -> str:
        return f"[writer {self.number:02d}]"


def call(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the live server's own http:// address)
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def at_once(work, writers: list[Writer]) -> list:
    """Run work(writer) for every writer in its own thread, all released together."""
    start = threading.Barrier(len(writers))
    results: list = [None] * len(writers)
    errors: list[BaseException] = []

    def run(index: int, writer: Writer) -> None:
        try:
            start.wait(timeout=TIMEOUT)
            results[index] = work(writer)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 4)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    assert not errors, errors
    return results


@pytest.fixture
def writers(db) -> list[Writer]:
    require(connection.vendor == "postgresql", "row locks under load need PostgreSQL")
    people = [
        factories.director("CI" if n % 2 else "HIS", full_name=f"Writer {n:02d}")
        for n in range(1, WRITERS + 1)
    ]
    return [
        Writer(number=n, user_pk=person.pk, token=AuthToken.objects.create(person)[1])
        for n, person in enumerate(people, start=1)
    ]


@pytest.fixture
def risk(writers) -> SharedRisk:
    from accounts.models import User

    return services.risk_create(
        by=User.objects.get(pk=writers[0].user_pk),
        title="Inspection capacity for the joint programme",
        description="Agreed by both bodies.",
        raised_by=factories.body("CI"),
        owner_body=factories.body("HIS"),
        likelihood=3,
        impact=4,
        review_on=datetime.date(2026, 12, 31),
    )


def risk_url(live_server, risk: SharedRisk) -> str:
    return f"{live_server.url}/api/v1/shared-risks/{risk.pk}/"


def test_twenty_writers_of_one_version_one_wins_and_nineteen_are_told(live_server, writers, risk):
    url = risk_url(live_server, risk)
    start = risk.version

    def write(writer: Writer) -> tuple[int, dict]:
        body = {"version": start, "description": f"Changed by {writer.mark}"}
        return call(url, writer.token, "PATCH", body)

    answers = at_once(write, writers)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (WRITERS - 1), statuses
    winner = writers[next(i for i, (status, _) in enumerate(answers) if status == 200)]
    for status, body in answers:
        if status == 409:
            assert body == {"detail": CONFLICT_MESSAGE, "current_version": start + 1}
    won = next(body for status, body in answers if status == 200)
    assert won["version"] == start + 1
    assert won["description"] == f"Changed by {winner.mark}"

    risk.refresh_from_db()
    assert risk.version == start + 1
    assert risk.description == f"Changed by {winner.mark}"
    changes = risk.history.filter(history_type="~")
    assert [(h.version, h.history_user_id) for h in changes] == [(start + 1, winner.user_pk)]


def test_twenty_writers_retrying_each_win_once_and_nothing_is_lost(live_server, writers, risk):
    url = risk_url(live_server, risk)
    start = risk.version

    def write_until_won(writer: Writer) -> list[int]:
        """Read, append my mark, send with the version read; on 409 read again and retry."""
        statuses = []
        for _ in range(WRITERS * 3):
            status, current = call(url, writer.token)
            assert status == 200, current
            body = {
                "version": current["version"],
                "description": f"{current['description']}\n{writer.mark}",
            }
            status, answer = call(url, writer.token, "PATCH", body)
            statuses.append(status)
            if status == 200:
                return statuses
            assert status == 409, answer
            assert answer["current_version"] > current["version"]
        raise AssertionError(f"{writer.mark} never won: {statuses}")

    tries = at_once(write_until_won, writers)

    # Each writer's change won exactly once, after as many refusals as others got in first.
    assert all(statuses[-1] == 200 and statuses.count(200) == 1 for statuses in tries)
    assert sum(statuses.count(409) for statuses in tries) >= WRITERS - 1

    risk.refresh_from_db()
    assert risk.version == start + WRITERS
    lines = risk.description.splitlines()
    assert lines[0] == "Agreed by both bodies."
    assert sorted(lines[1:]) == sorted(writer.mark for writer in writers)

    # History: one change per version, one per writer, each keeping everything before it.
    changes = list(risk.history.filter(history_type="~").order_by("version"))
    assert [h.version for h in changes] == list(range(start + 1, start + WRITERS + 1))
    assert sorted(h.history_user_id for h in changes) == sorted(w.user_pk for w in writers)
    by_user = {w.user_pk: w.mark for w in writers}
    previous = "Agreed by both bodies."
    for change in changes:
        assert change.description == f"{previous}\n{by_user[change.history_user_id]}"
        previous = change.description
