"""Writes for notifications: the daily reminder run and the daily digest, marking notifications
read, each person's email choice and their calendar link.

The reminder run never reminds anyone of the same record twice on one day, however often it
runs and however many workers run it at once: reminder rows are inserted ignoring conflicts with
the database's unique (user, kind, record, day), each run reads back only the rows it inserted
(tagged with its own run id), and only that run makes their notifications and sends their
emails, after its transaction has committed. An email that fails is logged and left unsent (its
`emailed_at` stays empty); it is never retried, so it is never sent twice."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from scrutiny.services import audited_save, versioned_update

from . import sources as reminder_sources
from .models import CalendarFeed, EmailMode, Notification, NotificationPreference, Reminder
from .policies import notification_policy
from .selectors import email_mode_of

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an email: SITE_URL plus the path (emails are sent by tasks, with no request)."""
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


# The daily reminder run ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    made: int  # reminders (and notifications) this run made
    emailed: int  # single emails this run sent


def reminders_send(
    *,
    today: datetime.date | None = None,
    sources: Sequence[reminder_sources.Source] | None = None,
) -> ReminderRun:
    """Remind the people responsible of everything due today (see notifications.sources):
    a notification each, and an email to those who want one for each reminder. Digest users'
    reminders wait for `digests_send`."""
    today = today or timezone.localdate()
    dues = [due for source in (sources or reminder_sources.SOURCES) for due in source(today)]
    made = _reminders_record(dues, today)
    return ReminderRun(made=len(made), emailed=_emails_send(made))


@transaction.atomic
def _reminders_record(
    dues: list[reminder_sources.Due], today: datetime.date
) -> list[tuple[Reminder, Notification]]:
    """Insert today's reminders, ignoring those already made today (by an earlier run or one
    running now), and make a notification for each one this run inserted."""
    if not dues:
        return []
    run = uuid.uuid4()
    wanted = set().union(*(due.recipients for due in dues))
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=wanted, is_active=True).select_related(
            "notification_preference"
        )
    }
    types = ContentType.objects.get_for_models(*{type(due.record) for due in dues})
    by_key: dict[tuple, reminder_sources.Due] = {}
    rows: list[Reminder] = []
    for due in dues:
        content_type = types[type(due.record)]
        for user_id in sorted(due.recipients):
            key = (user_id, due.kind, content_type.pk, due.record.pk)
            if user_id not in users or key in by_key:
                continue
            by_key[key] = due
            rows.append(
                Reminder(
                    user_id=user_id,
                    kind=due.kind,
                    content_type=content_type,
                    object_id=due.record.pk,
                    on=today,
                    due_on=due.due_on,
                    run=run,
                    email=email_mode_of(users[user_id]),
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    mine = list(Reminder.objects.filter(run=run).order_by("pk"))
    notes = []
    for reminder in mine:
        due = by_key[
            (reminder.user_id, reminder.kind, reminder.content_type_id, reminder.object_id)
        ]
        reminder.user = users[reminder.user_id]
        notes.append(
            Notification(
                user_id=reminder.user_id,
                kind=reminder.kind,
                subject=due.subject[:300],
                text=due.text,
                url=due.url,
                due_on=due.due_on,
                reminder=reminder,
            )
        )
    Notification.objects.bulk_create(notes)
    return list(zip(mine, notes, strict=True))


def _preferences_url() -> str:
    return absolute_url(reverse("notifications:preferences"))


def _single_email(reminder: Reminder, note: Notification) -> EmailMessage:
    user = reminder.user
    lines = [f"Hello {user.get_short_name()},", "", note.text]
    if note.url:
        lines += ["", f"Open it in {settings.SERVICE_NAME}: {absolute_url(note.url)}"]
    lines += [
        "",
        "You get an email for each reminder. To get one email a day listing them instead, or "
        f"none, change your notification settings: {_preferences_url()}",
    ]
    return EmailMessage(
        subject=f"Reminder: {note.subject}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def _send(messages: Iterable[tuple[int, EmailMessage]]) -> list[int]:
    """Send each message through one connection; the keys of those sent. A failure is logged
    and the rest still go."""
    sent: list[int] = []
    connection = get_connection()
    try:
        connection.open()
        for key, message in messages:
            try:
                if connection.send_messages([message]):
                    sent.append(key)
            except Exception:
                logger.exception("Reminder email to %s was not sent", message.to)
    except Exception:
        logger.exception("Could not connect to send reminder emails")
    finally:
        connection.close()
    return sent


def _emails_send(made: list[tuple[Reminder, Notification]]) -> int:
    """One email for each reminder this run made for someone who wants them one by one; sent
    after the run's transaction has committed, and marked sent."""
    each = [(r.pk, _single_email(r, n)) for r, n in made if r.email == EmailMode.EACH]
    if not each:
        return 0
    sent = _send(each)
    if sent:
        Reminder.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


# The daily digest ----------------------------------------------------------------------------


def _digest_email(user: User, reminders: list[Reminder], today: datetime.date) -> EmailMessage:
    count = len(reminders)
    noun = "reminder" if count == 1 else "reminders"
    lines = [f"Hello {user.get_short_name()},", "", f"Your {count} {noun} for {today:%-d %B %Y}:"]
    for reminder in reminders:
        note = getattr(reminder, "notification", None)
        if note is None:
            continue
        lines += ["", f"- {note.subject}"]
        if note.url:
            lines.append(f"  {absolute_url(note.url)}")
    lines += [
        "",
        f"See them all under Notifications in {settings.SERVICE_NAME}: "
        f"{absolute_url(reverse('notifications:list'))}",
        "",
        "You get one email a day listing your reminders. To change that, change your "
        f"notification settings: {_preferences_url()}",
    ]
    return EmailMessage(
        subject=f"Your {settings.SERVICE_NAME} reminders: {count} for {today:%-d %B %Y}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def digests_send(*, today: datetime.date | None = None) -> int:
    """For each person who chose a daily digest, one email listing the reminders not yet
    emailed to them (up to today). Rows are locked while their digest is sent, so a second
    run at the same time skips them, and a later one finds them sent. Returns emails sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        pending = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                email=EmailMode.DIGEST,
                emailed_at__isnull=True,
                on__lte=today,
                user__is_active=True,
            )
            .select_related("user", "notification")
            .order_by("user_id", "due_on", "pk")
        )
        by_user: dict[int, list[Reminder]] = defaultdict(list)
        for reminder in pending:
            by_user[reminder.user_id].append(reminder)
        messages = [
            (user_id, _digest_email(rows[0].user, rows, today)) for user_id, rows in by_user.items()
        ]
        sent_users = set(_send(messages)) if messages else set()
        sent = [r.pk for r in pending if r.user_id in sent_users]
        if sent:
            Reminder.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent_users)


# Reading -------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if not notification_policy.can_change(by, notification):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notification of this person read; how many there were."""
    return notification_policy.visible(
        by, Notification.objects.filter(read_at__isnull=True)
    ).update(read_at=timezone.now())


# Email choice --------------------------------------------------------------------------------


@transaction.atomic
def preference_set(
    *, by: User, email_mode: str, expected_version: int | None = None
) -> NotificationPreference:
    """Record how `by` wants reminders emailed. The first choice makes their row; a change
    needs the version they saw (ConflictError if it has moved on)."""
    User.objects.select_for_update().filter(pk=by.pk).first()  # one change at a time per person
    current = NotificationPreference.objects.filter(user=by).first()
    if current is None:
        return audited_save(
            NotificationPreference(user=by, email_mode=email_mode), by=by, reason="Email choice"
        )
    return versioned_update(
        current,
        by=by,
        expected_version=expected_version,
        changes={"email_mode": email_mode},
        reason="Email choice",
    )


# Calendar links ------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_reset(*, by: User) -> str:
    """Stop the person's calendar link working (if they have one) and make a new one. Returns
    the new link's token, which is shown once: only its hash is kept."""
    User.objects.select_for_update().filter(pk=by.pk).first()  # one reset at a time per person
    CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)  # 256 random bits
    CalendarFeed.objects.create(user=by, token_hash=hash_token(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, by: User) -> bool:
    """Stop the person's calendar link working. False if they had none."""
    return bool(
        CalendarFeed.objects.filter(user=by, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def calendar_feed_used(*, feed: CalendarFeed) -> None:
    """Note when a calendar last fetched the link (shown beside it)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
