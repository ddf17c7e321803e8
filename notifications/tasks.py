"""Celery tasks for reminders: thin wrappers that call a service. Their daily schedules are
rows in django-celery-beat's tables (made by notifications/migrations/0002_schedules.py),
edited in the admin site under Periodic tasks."""

from __future__ import annotations

import dataclasses
import datetime

from celery import shared_task

from . import services


def _day(today: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(today) if today else None


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_reminders(today: str | None = None) -> dict:
    """Daily: remind the people responsible of what is due or overdue. Safe to run again, or
    on two workers at once: nobody is reminded of the same thing twice on one day."""
    return dataclasses.asdict(services.reminders_send(today=_day(today)))


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_digests(today: str | None = None) -> int:
    """Daily, after the reminders: one email per person who chose a digest."""
    return services.digests_send(today=_day(today))
