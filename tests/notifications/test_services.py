"""The daily run and the digest: never the same reminder twice on a day (run again, or by two
workers at once), emails as each person chose, a fixed number of queries however much is due."""

from __future__ import annotations

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from notifications import services, sources
from notifications.models import EmailMode, Notification, NotificationPreference, Reminder
from tests.conftest import require
from tests.notifications.conftest import TODAY, as_ids, days, expected, make_world, reminded


def choose(user, mode: str) -> None:
    services.preference_set(by=user, email_mode=mode)


@pytest.mark.django_db
@freeze_time(TODAY)
def test_running_the_task_twice_sends_each_reminder_once(world):
    from notifications.tasks import send_reminders

    first = send_reminders.apply().get()  # in this process; the worker test is in infra
    outbox = len(mail.outbox)
    second = send_reminders.apply().get()

    total = sum(len(items) for items in as_ids(expected(world)).values())
    assert first == {"made": total, "emailed": total}
    assert second == {"made": 0, "emailed": 0}
    assert len(mail.outbox) == outbox == total
    assert Notification.objects.count() == Reminder.objects.count() == total
    assert not Reminder.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_next_day_reminds_again(world):
    services.reminders_send(today=TODAY, sources=[sources.milestones])
    services.reminders_send(today=days(1), sources=[sources.milestones])

    mine = Reminder.objects.filter(user=world.member)
    assert mine.filter(on=TODAY).count() == 2
    # The next day the same two again, and one that has come within 14 days.
    assert mine.filter(on=days(1)).count() == 3


@pytest.mark.django_db
def test_a_single_email_says_what_is_due_and_where(world, settings):
    settings.SITE_URL = "https://scrutiny.example.org"
    services.reminders_send(today=TODAY, sources=[sources.milestones])

    email = next(
        m for m in mail.outbox if m.to == [world.member.email] and "Evidence in" in m.subject
    )
    assert (
        email.subject
        == f"Reminder: Milestone 3 days overdue: Evidence in ({world.inspection.title})"
    )
    assert (
        f"https://scrutiny.example.org/inspections/{world.inspection.pk}/#milestones" in email.body
    )
    assert "https://scrutiny.example.org/notifications/settings/" in email.body


@pytest.mark.django_db
def test_digest_users_get_one_email_listing_their_reminders(world):
    choose(world.lead, EmailMode.DIGEST)
    choose(world.member, EmailMode.NONE)

    services.reminders_send(today=TODAY)
    singles = [m for m in mail.outbox if m.to in ([world.lead.email], [world.member.email])]
    assert singles == []  # the lead waits for the digest; the member wants no email
    lead_count = len(expected(world)[world.lead])
    assert Notification.objects.filter(user=world.lead).count() == lead_count == 5
    assert Notification.objects.filter(user=world.member).count() == 2

    mail.outbox.clear()
    assert services.digests_send(today=TODAY) == 1
    assert services.digests_send(today=TODAY) == 0  # already sent

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [world.lead.email]
    assert digest.subject == "Your Scrutiny reminders: 5 for 10 March 2026"
    for subject in Notification.objects.filter(user=world.lead).values_list("subject", flat=True):
        assert f"- {subject}" in digest.body
    assert not Reminder.objects.filter(user=world.lead, emailed_at__isnull=True).exists()
    assert not Reminder.objects.filter(user=world.member, emailed_at__isnull=False).exists()


@pytest.mark.django_db
def test_a_failed_email_is_left_unsent_and_the_rest_go(world, monkeypatch):
    from django.core.mail.backends import locmem

    real = locmem.EmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to == [world.member.email]:
            raise OSError("mail server refused")
        return real(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", flaky)
    run = services.reminders_send(today=TODAY, sources=[sources.milestones])

    assert run.made == 4 and run.emailed == 2
    assert Reminder.objects.filter(user=world.member, emailed_at__isnull=True).count() == 2
    assert Reminder.objects.filter(user=world.lead, emailed_at__isnull=False).count() == 2
    # Not retried: running again sends nothing more.
    assert services.reminders_send(today=TODAY, sources=[sources.milestones]).made == 0


@pytest.mark.django_db
def test_the_run_takes_the_same_queries_whatever_is_due():
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    make_world()
    # Warm the content-type cache, as any running worker has it warm.
    ContentType.objects.get_for_models(*apps.get_models())

    def queries(today) -> tuple[int, int]:
        """(reads and updates, inserts) made by the day's run."""
        with CaptureQueriesContext(connection) as ctx:
            run = services.reminders_send(today=today)
        assert run.made > 0
        inserts = sum(q["sql"].startswith("INSERT") for q in ctx.captured_queries)
        return len(ctx.captured_queries) - inserts, inserts

    one_world = queries(TODAY)
    make_world()
    make_world()
    three_worlds = queries(days(1))

    assert (
        Reminder.objects.filter(on=days(1)).count() > 2 * Reminder.objects.filter(on=TODAY).count()
    )
    assert one_world[0] == three_worlds[0] <= 25, (one_world, three_worlds)
    if connection.vendor == "postgresql":
        assert one_world[1] == three_worlds[1] == 2  # reminders, notifications
    else:  # SQLite splits a long insert into batches of at most 999 parameters
        assert one_world[1] <= three_worlds[1] <= one_world[1] + 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_remind_each_person_once(monkeypatch):
    require(connection.vendor == "postgresql", "needs PostgreSQL's row locks and ON CONFLICT")
    with freeze_time(TODAY):
        world = make_world()
    want = sum(len(items) for items in as_ids(expected(world)).values())

    # Hold each run's transaction open after its insert, so the other's insert meets it.
    real = Notification.objects.bulk_create

    def slow_bulk_create(objs, *args, **kwargs):
        time.sleep(0.5)
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Notification.objects, "bulk_create", slow_bulk_create)
    start = threading.Barrier(2)
    results, errors, spans = [], [], []

    def run() -> None:
        try:
            start.wait(timeout=10)
            began = time.monotonic()
            results.append(services.reminders_send(today=TODAY))
            spans.append((began, time.monotonic()))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    (_, first_ended), (second_began, _) = sorted(spans)
    assert second_began < first_ended  # the two runs were under way at the same time
    assert sum(r.made for r in results) == want
    assert sum(r.emailed for r in results) == want
    assert len(mail.outbox) == want
    assert Reminder.objects.count() == Notification.objects.count() == want
    assert reminded() == as_ids(expected(world))


@pytest.mark.django_db
def test_email_choice_is_audited_and_version_checked(world):
    from scrutiny.services import ConflictError

    first = services.preference_set(by=world.lead, email_mode=EmailMode.DIGEST)
    assert first.history.first().history_user == world.lead
    second = services.preference_set(
        by=world.lead, email_mode=EmailMode.NONE, expected_version=first.version
    )
    assert second.email_mode == EmailMode.NONE and second.version == first.version + 1
    with pytest.raises(ConflictError):
        services.preference_set(
            by=world.lead, email_mode=EmailMode.EACH, expected_version=first.version
        )
    assert NotificationPreference.objects.get(user=world.lead).email_mode == EmailMode.NONE


@pytest.mark.django_db
def test_inactive_people_are_not_reminded(world):
    world.member.is_active = False
    world.member.save()
    services.reminders_send(today=TODAY, sources=[sources.milestones])
    assert not Reminder.objects.filter(user=world.member).exists()
    assert Reminder.objects.filter(user=world.lead).count() == 2


def test_schedules_are_rows_administrators_edit():
    """The data migration made the daily schedules; settings hold none to write over them."""
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE == {}
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.django_db
def test_the_data_migration_made_the_daily_schedules():
    from django_celery_beat.models import PeriodicTask

    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab").filter(enabled=True)}
    reminders = tasks["Daily reminders"]
    assert reminders.task == "notifications.tasks.send_reminders"
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("6", "0")
    assert str(reminders.crontab.timezone) == "Europe/London"
    assert tasks["Daily reminder digest"].task == "notifications.tasks.send_digests"
    sync = tasks["sync-area-permissions"]
    assert sync.task == "partnerships.tasks.sync_area_permissions"
    assert (sync.crontab.hour, sync.crontab.minute) == ("2", "15")
    # Every scheduled task exists.
    from scrutiny.celery import app

    app.loader.import_default_modules()
    for task in tasks.values():
        assert task.task in app.tasks, task.task
