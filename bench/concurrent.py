"""Concurrent record-reading entry through a real server process: gunicorn on 127.0.0.1 serving
the site, and 6 clients (one per reader, each with its own API token) each saving 100 records
at once through POST /api/v1/record-reading/answers/ (every question answered, marked complete).
Afterwards every answer must be in the database exactly once and every record complete.

The sample is a throwaway inspection titled "Benchmark: concurrent record reading ..." made for
the run (bulk inserts, like the seed) and removed afterwards with everything the run wrote."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from .timing import percentile

TITLE_PREFIX = "Benchmark: concurrent record reading"
ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 6
RECORDS_EACH = 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers_for(questions, n: int) -> list[dict[str, Any]]:
    from inspections.models import AnswerType

    items = []
    for index, q in enumerate(questions):
        if q.answer_type == AnswerType.YES_NO:
            value = ("yes", "no", "na")[(n + index) % 3]
        elif q.answer_type == AnswerType.CHOICE:
            choices = [c.pk for c in q.choices.all()]
            value = str(choices[(n + index) % len(choices)])
        elif q.answer_type == AnswerType.SIX_POINT:
            value = str(1 + (n + index) % 6)
        else:
            value = f"Benchmark note {n}."
        items.append({"question": q.pk, "value": value})
    return items


def remove_leftovers() -> int:
    """Remove any benchmark inspection a previous run left (it stopped half-way)."""
    from inspections.models import Inspection

    ids = list(
        Inspection.objects.filter(title__startswith=TITLE_PREFIX).values_list("pk", flat=True)
    )
    for pk in ids:
        _remove(pk)
    return len(ids)


@transaction.atomic
def _remove(inspection_id: int, token_keys: list[str] = ()) -> None:
    from guardian.models import UserObjectPermission
    from knox.models import AuthToken

    from inspections.models import (
        Inspection,
        RecordAnswer,
        ReviewedRecord,
        StatusChange,
        TeamMember,
    )

    records = list(
        ReviewedRecord.objects.filter(inspection_id=inspection_id).values_list("pk", flat=True)
    )
    RecordAnswer.history.model.objects.filter(record_id__in=records).delete()
    RecordAnswer.objects.filter(record_id__in=records).delete()
    ReviewedRecord.history.model.objects.filter(id__in=records).delete()
    ReviewedRecord.objects.filter(pk__in=records).delete()
    members = TeamMember.objects.filter(inspection_id=inspection_id)
    TeamMember.history.model.objects.filter(inspection_id=inspection_id).delete()
    members.delete()
    UserObjectPermission.objects.filter(
        content_type__app_label="inspections",
        content_type__model="inspection",
        object_pk=str(inspection_id),
    ).delete()
    AuthToken.objects.filter(token_key__in=token_keys).delete()
    StatusChange.objects.filter(inspection_id=inspection_id).delete()
    Inspection.quality_indicators.through.objects.filter(inspection_id=inspection_id).delete()
    Inspection.history.model.objects.filter(id=inspection_id).delete()
    Inspection.objects.filter(pk=inspection_id).delete()


def _setup(template_programme_id: int):
    """The throwaway inspection, its team of a lead and 6 readers, 600 records not started and a
    token for each reader."""
    import datetime

    from django.utils import timezone
    from knox.models import AuthToken

    from accounts.models import User
    from inspections.models import (
        Inspection,
        InspectionStatus,
        Programme,
        RecordReviewTemplate,
        ReviewedRecord,
        TeamMember,
        TeamRole,
    )
    from inspections.services import inspection_permissions_sync
    from partnerships.models import Partnership
    from scrutiny.seeding.base import SEED_DOMAIN
    from scrutiny.seeding.inspections import TEMPLATE_NAME

    programme = Programme.objects.get(pk=template_programme_id)
    template = RecordReviewTemplate.objects.get(programme=programme, name=TEMPLATE_NAME)
    seeded = User.objects.filter(email__endswith=SEED_DOMAIN).order_by("email")
    lead = seeded.filter(email__startswith="lead.").first()
    readers = list(seeded.filter(email__startswith="inspector.", agency__code="CI")[:CLIENTS])
    today = timezone.localdate()
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    with transaction.atomic():
        inspection = Inspection.objects.create(
            programme=programme,
            partnership=Partnership.objects.order_by("name").first(),
            title=f"{TITLE_PREFIX} {stamp}",
            lead_agency=programme.lead_agency,
            status=InspectionStatus.EVIDENCE_GATHERING,
            planned_notification_on=today - datetime.timedelta(weeks=4),
            notified_on=today - datetime.timedelta(weeks=4),
        )
        TeamMember.objects.bulk_create(
            [TeamMember(inspection=inspection, user=lead, role=TeamRole.LEAD_INSPECTOR)]
            + [TeamMember(inspection=inspection, user=u, role=TeamRole.INSPECTOR) for u in readers]
        )
        inspection_permissions_sync(inspection=inspection)
        records = ReviewedRecord.objects.bulk_create(
            [
                ReviewedRecord(
                    inspection=inspection,
                    template=template,
                    reference=f"BENCH/{r:02d}/{n:04d}",
                    agency="social_work",
                    reader=reader,
                )
                for r, reader in enumerate(readers)
                for n in range(RECORDS_EACH)
            ]
        )
        made = {
            reader.pk: AuthToken.objects.create(reader, expiry=datetime.timedelta(hours=2))
            for reader in readers
        }
    tokens = {pk: token for pk, (_, token) in made.items()}
    keys = [instance.token_key for instance, _ in made.values()]
    return inspection, template, readers, records, tokens, keys


def run(template_programme_id: int) -> dict[str, Any]:
    from inspections.models import RecordAnswer, ReviewedRecord
    from inspections.record_reading.services import template_questions

    if connection.vendor != "postgresql":
        return {"skipped": "needs PostgreSQL"}
    remove_leftovers()
    inspection, template, readers, records, tokens, keys = _setup(template_programme_id)
    questions = list(template_questions(template.pk))
    probe = _probe(inspection, template, readers[0], tokens[readers[0].pk], questions)
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scrutiny.settings.test"}
    env.pop("REDIS_URL", None)  # tasks, if any, run in the server process
    workers = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "scrutiny.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        by_reader: dict[int, list] = {}
        for record in records:
            by_reader.setdefault(record.reader_id, []).append(record)
        barrier = threading.Barrier(len(readers))

        def client(reader) -> dict[str, Any]:
            latencies, failures = [], []
            barrier.wait()
            for n, record in enumerate(by_reader[reader.pk]):
                payload = {
                    "record": record.pk,
                    "version": record.version,
                    "answers": _answers_for(questions, n),
                    "complete": True,
                }
                request = urllib.request.Request(
                    f"{base}/api/v1/record-reading/answers/",
                    data=json.dumps(payload).encode(),
                    headers={
                        "Authorization": f"Token {tokens[reader.pk]}",
                        "Content-Type": "application/json",
                        "Accept": "application/json",
                    },
                    method="POST",
                )
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        response.read()
                        status = response.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                    failures.append(
                        {"record": record.pk, "status": status, "body": exc.read()[:300].decode()}
                    )
                latencies.append((time.perf_counter() - start) * 1000)
            return {"latencies": latencies, "failures": failures}

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(readers)) as pool:
            results = list(pool.map(client, readers))
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        errors = server.stderr.read().decode()[-2000:] if server.stderr else ""

    record_ids = [r.pk for r in records]
    answers = RecordAnswer.objects.filter(record_id__in=record_ids)
    total = answers.count()
    distinct = answers.values("record_id", "question_id").distinct().count()
    twice = (
        answers.values("record_id", "question_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    complete = ReviewedRecord.objects.filter(pk__in=record_ids, status="complete").count()
    latencies = [ms for r in results for ms in r["latencies"]]
    failures = [f for r in results for f in r["failures"]]
    expected = len(records) * len(questions)
    outcome = {
        **probe,
        "clients": len(readers),
        "records_each": RECORDS_EACH,
        "questions": len(questions),
        "server": f"gunicorn, {workers} workers x 2 threads (gthread)",
        "wall_s": round(wall, 2),
        "saves_per_s": round(len(latencies) / wall, 1) if wall else None,
        "save_p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "save_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "failed_saves": len(failures),
        "failures_sample": failures[:3],
        "answers_expected": expected,
        "answers_in_database": total,
        "answers_distinct": distinct,
        "answers_saved_twice": twice,
        "records_complete": complete,
        "all_answers_once": total == expected == distinct and twice == 0,
        "server_errors": errors if failures else "",
    }
    _remove(inspection.pk, keys)
    return outcome


def _probe(inspection, template, reader, token: str, questions) -> dict[str, Any]:
    """One save of one more record in-process (Django test Client), before the concurrent run:
    what a single save costs in queries and time with no one else writing."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from inspections.models import ReviewedRecord

    client = Client()

    records = [
        ReviewedRecord.objects.create(
            inspection=inspection,
            template=template,
            reference=f"BENCH/PROBE/{n:04d}",
            agency="social_work",
            reader=reader,
        )
        for n in (1, 2)
    ]

    def save(n: int):
        record = records[n - 1]
        payload = {
            "record": record.pk,
            "version": record.version,
            "answers": _answers_for(questions, n),
            "complete": True,
        }
        return client.post(
            "/api/v1/record-reading/answers/",
            data=json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Token {token}"},
        )

    save(1)  # the first request of a process loads what it needs: not counted
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = save(2)
        seconds = time.perf_counter() - start
    return {
        "single_save_status": response.status_code,
        "single_save_ms": round(seconds * 1000, 1),
        "single_save_queries": len(captured.captured_queries),
    }


def _wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 60 seconds")
