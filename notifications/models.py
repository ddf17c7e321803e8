"""Reminders of things coming due, the in-app notifications they make, each user's choice of
email, and personal calendar feeds.

- A `Reminder` is one reminder to one person about one record on one day. The database refuses
  a second (user, kind, record, day), so however often the daily run goes, and however many
  workers run it at once, each reminder is made (and emailed) once.
- A `Notification` is what the person sees in Scrutiny: kept when read, never deleted.
- `NotificationPreference`: an email for each reminder, one daily digest, or none.
- `CalendarFeed`: the secret behind a person's iCalendar link, stored only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from scrutiny.models import CaseRecord


class NotificationKind(models.TextChoices):
    MILESTONE = "milestone", "Inspection milestone"
    IMPROVEMENT_ACTION = "improvement_action", "Improvement action"
    PROGRESS_REVIEW = "progress_review", "Progress review"
    NOTICE_ACKNOWLEDGEMENT = "notice_acknowledgement", "No-surprises notice not acknowledged"
    ESCALATION_OVERDUE = "escalation_overdue", "Escalation past its target date"
    MEETING_GAP = "meeting_gap", "Expected meeting not held"
    ENGAGEMENT_GAP = "engagement_gap", "No recent engagement with a council area"


class EmailMode(models.TextChoices):
    EACH = "each", "An email for each reminder"
    DIGEST = "digest", "One email a day listing them all"
    NONE = "none", "No emails: notifications in Scrutiny only"


class NotificationPreference(CaseRecord):
    """How a person wants reminders emailed. Without a row, they get an email for each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notification_preference"
    )
    email_mode = models.CharField(
        "reminder emails", max_length=10, choices=EmailMode.choices, default=EmailMode.EACH
    )

    class Meta:
        verbose_name = "notification preference"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"


class Reminder(models.Model):
    """One reminder to one person about one record on one day, and how it was emailed.

    `run` marks the run that inserted the row: rows are inserted ignoring conflicts, so each run
    reads back exactly the rows it made, and only that run emails them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    on = models.DateField("reminder date")
    due_on = models.DateField("due date", null=True, blank=True)
    run = models.UUIDField(db_index=True, editable=False)
    email = models.CharField(
        "email wanted",
        max_length=10,
        choices=EmailMode.choices,
        help_text="The person's choice when the reminder was made.",
    )
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the email (single or digest) including it was sent."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "content_type", "object_id", "on"],
                name="notifications_one_reminder_a_day",
                violation_error_message="This person has already been reminded of this today.",
            ),
            models.CheckConstraint(
                condition=~Q(email="none") | Q(emailed_at__isnull=True),
                name="notifications_reminder_no_email_unsent",
            ),
        ]
        indexes = [models.Index(fields=["email", "emailed_at", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} on {self.on:%-d %B %Y}"


class Notification(models.Model):
    """What a person sees under Notifications. Kept when read; never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.CharField("link to the record", max_length=500, blank=True)
    due_on = models.DateField("due date", null=True, blank=True)
    reminder = models.OneToOneField(
        Reminder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notification",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CalendarFeed(models.Model):
    """A secret calendar link. Only the SHA-256 of its token is kept; resetting revokes the old
    link (kept, with the date it stopped working) and makes a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="notifications_one_live_calendar_feed",
                violation_error_message="This person already has a calendar link.",
            ),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar link for {self.user} ({state})"
