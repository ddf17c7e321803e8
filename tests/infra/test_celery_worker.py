"""Celery: tasks go through Redis to a real worker; with no REDIS_URL they run in-process."""

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from scrutiny.celery import app
from scrutiny.tasks import broker_roundtrip
from tests.infra.conftest import Worker

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.worker
def test_task_runs_on_the_real_worker_and_returns_its_result(celery_worker: Worker) -> None:
    token = uuid.uuid4().hex
    result = broker_roundtrip.apply_async(args=[token], queue=celery_worker.queue)

    reply = result.get(timeout=30)

    assert reply["token"] == token
    assert reply["eager"] is False
    assert reply["pid"] == celery_worker.pid
    assert reply["pid"] != os.getpid()
    assert reply["hostname"] == celery_worker.nodename
    assert reply["hostname"].startswith(celery_worker.queue + "@")
    result.forget()


def test_without_a_broker_the_task_runs_in_this_process() -> None:
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        assert app.conf.task_always_eager is True
        reply = broker_roundtrip.delay("in-process").get(timeout=5)

    assert reply["token"] == "in-process"
    assert reply["eager"] is True
    assert reply["pid"] == os.getpid()


def test_settings_run_tasks_in_process_exactly_when_redis_url_is_absent() -> None:
    """The derivation in settings/base.py, in a fresh interpreter each way."""
    script = textwrap.dedent(
        """
        import json, os
        import django
        django.setup()
        from scrutiny.celery import app
        from scrutiny.tasks import broker_roundtrip
        reply = {"eager": app.conf.task_always_eager, "broker": app.conf.broker_url}
        if reply["eager"]:
            reply["same_pid"] = broker_roundtrip.delay("x").get()["pid"] == os.getpid()
        print(json.dumps(reply))
        """
    )

    def run(redis_url: str) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "scrutiny.settings.test",
            "REDIS_URL": redis_url,  # set even when empty, so a developer's .env cannot fill it
        }
        completed = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout.strip().splitlines()[-1])

    without = run("")
    assert without == {"eager": True, "broker": "memory://", "same_pid": True}

    # No connection is made just by configuring, so a closed port is fine here.
    with_redis = run("redis://127.0.0.1:1/0")
    assert with_redis == {"eager": False, "broker": "redis://127.0.0.1:1/0"}
