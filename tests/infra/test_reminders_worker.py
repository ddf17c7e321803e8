"""The daily reminder task on the real Celery worker (its own process, reading and writing the
test database), run twice: one delivery row per reminder, each emailed once."""

from __future__ import annotations

import pytest
from django.db.models import Count

from notifications.models import Notification, Reminder
from tests.conftest import require
from tests.infra.conftest import Worker
from tests.notifications.conftest import TODAY, as_ids, expected, make_world, reminded

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 90  # seconds


def test_the_reminder_task_twice_on_the_worker_delivers_each_reminder_once(
    celery_worker: Worker,
) -> None:
    from django.db import connection

    from notifications.tasks import send_reminders

    require(connection.vendor == "postgresql", "the worker shares the test database on PostgreSQL")
    world = make_world()
    want = as_ids(expected(world))
    total = sum(len(items) for items in want.values())

    first = send_reminders.apply_async(
        kwargs={"today": TODAY.isoformat()}, queue=celery_worker.queue
    )
    assert first.get(timeout=WAIT) == {"made": total, "emailed": total}
    second = send_reminders.apply_async(
        kwargs={"today": TODAY.isoformat()}, queue=celery_worker.queue
    )
    assert second.get(timeout=WAIT) == {"made": 0, "emailed": 0}
    first.forget()
    second.forget()

    assert reminded() == want
    rows = Reminder.objects.filter(on=TODAY)
    assert rows.count() == Notification.objects.count() == total
    # One delivery row per person and record, each emailed (the worker's locmem outbox) once.
    per_reminder = rows.values("user", "kind", "content_type", "object_id").annotate(n=Count("pk"))
    assert {row["n"] for row in per_reminder} == {1}
    assert not rows.filter(emailed_at__isnull=True).exists()
