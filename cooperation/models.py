"""The duty of co-operation between the Care Inspectorate and Healthcare Improvement Scotland
(s.114 Public Services Reform (Scotland) Act 2010; seed 000): meetings and their actions,
no-surprises notices, escalations and the joint risk register.

Derived values (lead times and flags, ages and overdue states, risk ratings, meeting gaps) are
computed from these records by cooperation.rules and cooperation.selectors, never stored."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from scrutiny.models import CaseRecord

# The two bodies bound by the duty. Every "body" on these records is one of them.
BODY_CODES = ("CI", "HIS")
BODIES = {"code__in": BODY_CODES}
BODY_USERS = {"agency__code__in": BODY_CODES}


def _body(related_name: str, verbose_name: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to=BODIES,
        verbose_name=verbose_name,
        **kwargs,
    )


# Meetings ------------------------------------------------------------------------------------


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", "Every quarter"
    ANNUAL = "annual", "Once a year"
    MORE_OFTEN = "more_often", "More often than quarterly"
    REGULAR = "regular", "Regularly"


# The period in which a meeting of each frequency must be held; the others have no fixed period,
# so no gap is looked for.
GAP_PERIODS = {Frequency.QUARTERLY: "quarter", Frequency.ANNUAL: "year"}


class MeetingType(CaseRecord):
    """A kind of meeting the framework expects (reference data, loaded from
    reference/cooperation_meetings.csv and edited by administrators)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200, unique=True)
    who = models.CharField("who meets", max_length=300, blank=True)
    frequency = models.CharField(
        "expected frequency",
        max_length=20,
        choices=Frequency.choices,
        help_text="Every quarter and once a year are checked for gaps; the others are not.",
    )
    purpose = models.TextField(blank=True)
    source_paragraph = models.CharField(
        max_length=20, blank=True, help_text="Paragraph of the duty of co-operation framework."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def gap_period(self) -> str | None:
        """ "quarter", "year", or None when the frequency sets no fixed period."""
        return GAP_PERIODS.get(self.frequency)


class MeetingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(CaseRecord):
    meeting_type = models.ForeignKey(
        MeetingType, on_delete=models.PROTECT, related_name="meetings", verbose_name="type"
    )
    held_on = models.DateField("date")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices)
    raised_by = _body("cooperation_meetings", "arranged by")
    title = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=300, blank=True)
    agenda = models.TextField("agenda items", blank=True, help_text="One item per line.")
    minutes = models.TextField(blank=True)
    risks = models.ManyToManyField(
        "SharedRisk",
        related_name="meetings",
        blank=True,
        verbose_name="shared risks considered",
    )

    _history_m2m_fields = ["risks"]

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["meeting_type", "held_on"])]

    def __str__(self) -> str:
        return self.title or f"{self.meeting_type.name} meeting, {self.held_on:%-d %B %Y}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class MeetingAttendee(CaseRecord):
    """Someone from one of the bodies at a meeting (they need not have an account here)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    agency = _body("+", "body")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "agency", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class MeetingAttachment(CaseRecord):
    """Minutes or papers of a meeting. Stored outside anything served publicly; every download
    goes through a view that checks permission and is recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="cooperation/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "-created_at"]

    def __str__(self) -> str:
        return self.original_name


class MeetingAttachmentDownload(models.Model):
    """An audited read: who downloaded which file of a meeting, when."""

    attachment = models.ForeignKey(
        MeetingAttachment, on_delete=models.PROTECT, related_name="downloads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, default="page")

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.attachment} downloaded by {self.user}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class MeetingAction(CaseRecord):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField("action", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cooperation_actions",
        limit_choices_to=BODY_USERS,
    )
    due_on = models.DateField("due date")
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")
    completed_on = models.DateField("date done", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="cooperation_action_done_has_date",
                violation_error_message="A done action has the date it was done, and only then.",
            ),
        ]

    def __str__(self) -> str:
        return self.description if len(self.description) <= 80 else self.description[:79] + "…"


# No-surprises notices ------------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Significant announcement"
    SENSITIVE_ISSUE = "sensitive_issue", "Potentially sensitive issue"
    COMMITMENT = "commitment", "Commitment with a material impact on the other body"


class CommitmentType(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    CORPORATE = "corporate", "Corporate"
    STRATEGIC = "strategic", "Strategic"
    FINANCIAL = "financial", "Financial"


class NoSurprisesNotice(CaseRecord):
    """One body telling the other, in advance, of an announcement, a sensitive issue or a
    commitment that affects it. Urgent action is never blocked: a notice can be recorded after
    the event and marked urgent."""

    raised_by = _body("cooperation_notices", "raised by")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    commitment_type = models.CharField(
        max_length=20,
        choices=CommitmentType.choices,
        blank=True,
        help_text="For commitments only.",
    )
    subject = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    planned_on = models.DateField("planned date of the announcement or commitment")
    told_on = models.DateField("date the other body was told", null=True, blank=True)
    told_whom = models.CharField("who was told", max_length=300, blank=True)
    acknowledged_on = models.DateField("date acknowledged", null=True, blank=True)
    outcome = models.TextField(blank=True)
    urgent = models.BooleanField(
        default=False, help_text="Urgent action taken before the other body could be told."
    )
    urgent_reason = models.TextField("why it was urgent", blank=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = "no-surprises notice"
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="commitment") & ~Q(commitment_type=""))
                | (~Q(kind="commitment") & Q(commitment_type="")),
                name="cooperation_notice_commitment_type",
                violation_error_message="Say which kind of commitment it is, for commitments only.",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True)
                | Q(told_on__isnull=False, acknowledged_on__gte=F("told_on")),
                name="cooperation_notice_acknowledged_after_told",
                violation_error_message="A notice is acknowledged on or after the day it is told.",
            ),
            models.CheckConstraint(
                condition=Q(urgent=False) | ~Q(urgent_reason=""),
                name="cooperation_notice_urgent_has_reason",
                violation_error_message="Say why it was urgent.",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


# Escalations ---------------------------------------------------------------------------------


class EscalationLevel(models.TextChoices):
    """The levels a disagreement passes through, in order (framework paragraph 27)."""

    SENIOR_MANAGERS = "senior_managers", "Relevant senior managers"
    DIRECTORS = "directors", "Directors"
    CHIEF_EXECUTIVES = "chief_executives", "Chief executives"

    @property
    def rank(self) -> int:
        return list(EscalationLevel).index(self) + 1

    @property
    def next_level(self) -> EscalationLevel | None:
        levels = list(EscalationLevel)
        index = levels.index(self)
        return levels[index + 1] if index + 1 < len(levels) else None


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Escalation(CaseRecord):
    """A disagreement escalated from senior managers to directors to chief executives. The level
    and status change only through cooperation.services (escalate, resolve, withdraw)."""

    subject = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    raised_by = _body("cooperation_escalations", "raised by")
    raised_on = models.DateField("date raised")
    raising_body_position = models.TextField("position of the body that raised it")
    other_body_position = models.TextField("position of the other body", blank=True)
    level = models.CharField(
        "current level",
        max_length=20,
        choices=EscalationLevel.choices,
        default=EscalationLevel.SENIOR_MANAGERS,
    )
    status = models.CharField(
        max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    resolution = models.TextField(
        blank=True, help_text="How it was resolved, or why it was withdrawn."
    )
    resolved_on = models.DateField("date resolved or withdrawn", null=True, blank=True)

    class Meta:
        ordering = ["raised_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_on__isnull=True)
                | (~Q(status="open") & Q(resolved_on__isnull=False)),
                name="cooperation_escalation_closed_has_date",
                violation_error_message="A resolved or withdrawn escalation has its date.",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="cooperation_escalation_resolved_after_raised",
                violation_error_message="It cannot be resolved before it was raised.",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class EscalationStep(CaseRecord):
    """The escalation reaching one level: when, who holds it, the target date to settle it."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT, related_name="steps")
    level = models.CharField(max_length=20, choices=EscalationLevel.choices)
    reached_on = models.DateField("date it reached this level")
    held_by = models.CharField("who holds it", max_length=300)
    target_on = models.DateField("target date")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["escalation", "reached_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "level"],
                condition=Q(archived_at__isnull=True),
                name="cooperation_escalation_level_once",
                violation_error_message="The escalation has already reached this level.",
            ),
            models.CheckConstraint(
                condition=Q(target_on__gte=F("reached_on")),
                name="cooperation_step_target_after_reached",
                violation_error_message="The target date cannot be before the step starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.reached_on:%-d %B %Y}"


class LogReview(CaseRecord):
    """A chief executive recording that they reviewed the co-operation log on a date."""

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cooperation_reviews"
    )
    reviewed_on = models.DateField("date reviewed")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Reviewed by {self.reviewed_by} on {self.reviewed_on:%-d %B %Y}"


# Shared risks --------------------------------------------------------------------------------


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


_ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class SharedRisk(CaseRecord):
    """A risk affecting both bodies, on the joint register. Its rating (likelihood times impact)
    is derived."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    raised_by = _body("cooperation_risks_raised", "raised by")
    owner_body = _body("cooperation_risks_owned", "owner")
    likelihood = models.PositiveSmallIntegerField(
        validators=_ONE_TO_FIVE, help_text="1 (rare) to 5 (almost certain)."
    )
    impact = models.PositiveSmallIntegerField(
        validators=_ONE_TO_FIVE, help_text="1 (negligible) to 5 (extreme)."
    )
    review_on = models.DateField("review date")
    status = models.CharField(max_length=20, choices=RiskStatus.choices, default="open")

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "shared risk"
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="cooperation_risk_scores_1_to_5",
                violation_error_message="Likelihood and impact are each from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> int:
        return self.likelihood * self.impact


class MitigationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Mitigation(CaseRecord):
    """A mitigation agreed jointly by the bodies, with its owner and dates."""

    risk = models.ForeignKey(SharedRisk, on_delete=models.PROTECT, related_name="mitigations")
    description = models.CharField("mitigation", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cooperation_mitigations",
        limit_choices_to=BODY_USERS,
    )
    agreed_on = models.DateField("date agreed")
    due_on = models.DateField("due date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=MitigationStatus.choices, default="planned")

    class Meta:
        ordering = ["risk", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description if len(self.description) <= 80 else self.description[:79] + "…"
