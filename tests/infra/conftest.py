"""Fixtures for the infrastructure tests: a real Celery worker consuming from Redis."""

import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

BASE_DIR = Path(__file__).resolve().parent.parent.parent
WORKER_START_TIMEOUT = 60  # seconds; Django and Celery start in a few on a quiet machine


@dataclass(frozen=True)
class Worker:
    """A Celery worker process started for this test session."""

    pid: int
    nodename: str
    queue: str


def redis_reachable(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


_PR_SET_PDEATHSIG = 1
# Loaded here, not in the forked child, so the child only makes one plain system call.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def forget_queue(url: str, queue: str) -> None:
    """Delete what kombu keeps in Redis for a queue (its bindings and any leftover messages)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _die_with_parent() -> None:
    """In the child before exec: have Linux send SIGTERM if pytest dies without tearing down."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # warm shutdown
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _test_database_env() -> dict[str, str]:
    """DATABASE_URL naming the test database pytest-django made, so tasks that read or write
    rows (reports) see what tests commit (django_db(transaction=True)). Not for SQLite, whose
    test database lives in this process's memory."""
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if not url or connection.vendor == "sqlite":
        return {}
    parts = urlsplit(url)
    return {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))}


@pytest.fixture(scope="session")
def celery_worker(django_db_setup) -> Iterator[Worker]:
    """Start one real worker for the session on a queue no other run uses; stop it at the end.

    Skips locally (fails under CI) when REDIS_URL is unset or Redis does not answer.
    """
    from scrutiny.celery import app
    from scrutiny.tasks import broker_roundtrip

    redis_url = settings.REDIS_URL
    require(bool(redis_url), "REDIS_URL is not set, so there is no broker for a worker")
    require(redis_reachable(redis_url), f"Redis at {redis_url} does not answer")
    if app.conf.task_always_eager:
        pytest.fail("REDIS_URL is set but CELERY_TASK_ALWAYS_EAGER is on: tasks would not leave")

    token = uuid.uuid4().hex[:12]
    queue = f"scrutiny-test-{token}"
    nodename = f"scrutiny-test-{token}@%h"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scrutiny.settings.test",
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
        **_test_database_env(),
    }
    log_dir = Path(tempfile.mkdtemp(prefix="scrutiny-worker-"))
    log_path = log_dir / "worker.log"
    command = [
        sys.executable,  # .venv/bin/python: `-m celery` is .venv/bin/celery without the path
        "-m",
        "celery",
        "-A",
        "scrutiny",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        "-Q",
        queue,
        "-n",
        nodename,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    try:
        # The probe waits in the queue until the worker is up, so one round trip proves it.
        probe = broker_roundtrip.apply_async(args=["ready?"], queue=queue)
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not probe.ready():
            if process.poll() is not None:
                pytest.fail(
                    f"Celery worker exited with {process.returncode}:\n{_log_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Celery worker did not answer within {WORKER_START_TIMEOUT}s:\n"
                    f"{_log_tail(log_path)}"
                )
            time.sleep(0.1)
        reply = probe.get(timeout=5)
        probe.forget()
        yield Worker(pid=process.pid, nodename=reply["hostname"], queue=queue)
    finally:
        _stop(process)
        forget_queue(redis_url, queue)
        log_path.unlink(missing_ok=True)
        log_dir.rmdir()
