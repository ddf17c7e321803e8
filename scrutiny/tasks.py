"""Celery tasks for the shared mechanisms. Tasks stay thin: simple arguments in, a value out."""

import os
from typing import Any

from celery import Task, shared_task
from django.utils import timezone


@shared_task(bind=True)
def broker_roundtrip(self: Task, token: str) -> dict[str, Any]:
    """Echo `token` with where and when it ran: proves a worker is taking tasks from the broker.

    From an operator's shell:
    `celery -A scrutiny call scrutiny.tasks.broker_roundtrip --args='["hello"]'`.
    With no REDIS_URL the task runs in the caller's process and `eager` is true.
    """
    return {
        "token": token,
        "hostname": self.request.hostname,
        "pid": os.getpid(),
        "eager": bool(self.request.is_eager),
        "ran_at": timezone.now().isoformat(),
    }
