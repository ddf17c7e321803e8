"""Joint inspections: programmes and their frameworks, the inspections themselves, their
teams, milestones and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from scrutiny.models import CaseRecord


class ProgrammeFamily(models.TextChoices):
    ADULT_SUPPORT_AND_PROTECTION = "asp", "Adult support and protection"
    ADULT_SERVICES = "adult_services", "Joint inspections of adult services"
    JUSTICE = "justice", "Justice"


class EvaluationScale(CaseRecord):
    """A named scale on which quality indicators are graded (e.g. the six-point scale)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    source_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the wording comes from and what is unconfirmed.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EvaluationLevel(CaseRecord):
    scale = models.ForeignKey(EvaluationScale, on_delete=models.PROTECT, related_name="levels")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    meaning = models.CharField(max_length=300, blank=True)
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["scale", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="evaluation_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Programme(CaseRecord):
    """A programme of joint inspections, with its lead and partner agencies, its quality
    indicator framework, its evaluation scale and its milestone template."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200, unique=True)
    family = models.CharField(max_length=30, choices=ProgrammeFamily.choices)
    description = models.TextField(blank=True)
    theme = models.CharField(
        max_length=200,
        blank=True,
        help_text="For themed inspections: the care group the theme looks through, "
        "e.g. adults living with mental illness.",
    )
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="led_programmes"
    )
    partner_agencies = models.ManyToManyField(
        "accounts.Agency", related_name="partner_programmes", blank=True
    )
    evaluation_scale = models.ForeignKey(
        EvaluationScale, on_delete=models.PROTECT, related_name="programmes"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    _history_m2m_fields = ["partner_agencies"]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QualityIndicator(CaseRecord):
    """One indicator (or sub-indicator) of a programme's framework."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="quality_indicators"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    number = models.CharField(
        max_length=20, blank=True, help_text="Left blank where no source confirms a number."
    )
    title = models.CharField(max_length=500)
    order = models.PositiveIntegerField(default=0)
    confirmed = models.BooleanField(
        default=False, help_text="Ticked only where a source confirms the number and wording."
    )
    source_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                condition=~Q(number=""),
                name="quality_indicator_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    NOTIFIED = "notified", "Notified"
    EVIDENCE_GATHERING = "evidence_gathering", "Evidence gathering"
    FIELDWORK = "fieldwork", "Fieldwork"
    EVALUATION = "evaluation", "Evaluation and moderation"
    REPORT_DRAFTING = "report_drafting", "Report drafting"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual accuracy check"
    PUBLISHED = "published", "Published"
    IMPROVEMENT_PLAN_AGREED = "improvement_plan_agreed", "Improvement plan agreed"
    CLOSED = "closed", "Closed"
    SUSPENDED = "suspended", "Suspended"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The main sequence, in order; suspended and withdrawn sit outside it.
STATUS_SEQUENCE = [
    InspectionStatus.PLANNED,
    InspectionStatus.NOTIFIED,
    InspectionStatus.EVIDENCE_GATHERING,
    InspectionStatus.FIELDWORK,
    InspectionStatus.EVALUATION,
    InspectionStatus.REPORT_DRAFTING,
    InspectionStatus.FACTUAL_ACCURACY,
    InspectionStatus.PUBLISHED,
    InspectionStatus.IMPROVEMENT_PLAN_AGREED,
    InspectionStatus.CLOSED,
]
PUBLISHED_STATUSES = [
    InspectionStatus.PUBLISHED,
    InspectionStatus.IMPROVEMENT_PLAN_AGREED,
    InspectionStatus.CLOSED,
]


class MilestoneTemplate(CaseRecord):
    """A programme's standard milestone, due a number of weeks after notification."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="milestone_templates"
    )
    stage = models.CharField(max_length=30, choices=InspectionStatus.choices)
    name = models.CharField(max_length=200)
    offset_weeks = models.PositiveSmallIntegerField(
        help_text="Weeks after the notification date that this is due."
    )
    order = models.PositiveSmallIntegerField(default=0)
    source_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "offset_weeks", "order"]

    def __str__(self) -> str:
        return f"{self.name} (week {self.offset_weeks})"


class Inspection(CaseRecord):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="inspections")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=200, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="led_inspections"
    )
    status = models.CharField(
        max_length=30, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    status_changed_on = models.DateField(null=True, blank=True, editable=False)
    suspended_from = models.CharField(
        max_length=30, choices=InspectionStatus.choices, blank=True, editable=False
    )
    status_reason = models.TextField(
        blank=True, editable=False, help_text="Why it was suspended or withdrawn."
    )
    planned_notification_on = models.DateField("planned notification date", null=True, blank=True)
    notified_on = models.DateField("notification date", null=True, blank=True, editable=False)
    fieldwork_starts_on = models.DateField("fieldwork starts", null=True, blank=True)
    fieldwork_ends_on = models.DateField("fieldwork ends", null=True, blank=True)
    published_on = models.DateField("publication date", null=True, blank=True, editable=False)
    quality_indicators = models.ManyToManyField(
        QualityIndicator,
        related_name="inspections",
        blank=True,
        verbose_name="quality indicators in scope",
    )
    summary = models.TextField(blank=True)

    _history_m2m_fields = ["quality_indicators"]

    class Meta:
        ordering = ["-planned_notification_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fieldwork_ends_on__isnull=True)
                | Q(fieldwork_starts_on__isnull=True)
                | Q(fieldwork_ends_on__gte=F("fieldwork_starts_on")),
                name="inspection_fieldwork_dates_in_order",
                violation_error_message="Fieldwork cannot end before it starts.",
            ),
        ]
        permissions = [
            ("view_inspection_evidence", "Can see the inspection's evidence"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES


class StatusChange(models.Model):
    """One step of an inspection's lifecycle: from, to, on which date, by whom, why."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=30, choices=InspectionStatus.choices)
    to_status = models.CharField(max_length=30, choices=InspectionStatus.choices)
    changed_on = models.DateField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class TeamRole(models.TextChoices):
    LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
    INSPECTOR = "inspector", "Inspector"
    HEALTH_INSPECTOR = "health_inspector", "Health inspector"
    POLICE_INSPECTOR = "police_inspector", "Police inspector"
    ASSOCIATE_ASSESSOR = "associate_assessor", "Associate assessor"
    RECORD_READER = "record_reader", "Record reader"


class ConflictKind(models.TextChoices):
    NONE = "none", "No connection"
    WORKED_THERE = "worked_there", "I have worked for the partnership or its services"
    FAMILY = "family", "A family member works there or uses its services"
    OTHER = "other", "Another connection"


class ConflictDecision(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    PENDING = "pending", "Awaiting the lead inspector's decision"
    CLEARED = "cleared", "Cleared to take part"
    RESTRICTED = "restricted", "Cleared with restrictions"
    EXCLUDED = "excluded", "Not to take part"


class TeamMember(CaseRecord):
    """A person on an inspection team, with their declaration of any connection with the
    partnership and the lead inspector's decision on it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_teams"
    )
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    conflict = models.CharField(
        "connection with the partnership",
        max_length=20,
        choices=ConflictKind.choices,
        default=ConflictKind.NONE,
    )
    conflict_details = models.TextField(blank=True)
    decision = models.CharField(
        max_length=20, choices=ConflictDecision.choices, default=ConflictDecision.NOT_NEEDED
    )
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["inspection", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"],
                condition=Q(archived_at__isnull=True),
                name="team_member_once_per_inspection",
                violation_error_message="This person is already on the team.",
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=Q(role="lead_inspector", archived_at__isnull=True),
                name="one_lead_inspector_per_inspection",
                violation_error_message="This inspection already has a lead inspector.",
            ),
            models.CheckConstraint(
                condition=Q(conflict="none") | ~Q(decision="not_needed"),
                name="declared_conflict_needs_a_decision_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def may_see_evidence(self) -> bool:
        return self.archived_at is None and self.decision in (
            ConflictDecision.NOT_NEEDED,
            ConflictDecision.CLEARED,
            ConflictDecision.RESTRICTED,
        )


class Milestone(CaseRecord):
    """A milestone copied from the programme's template when the inspection is notified."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="milestones")
    stage = models.CharField(max_length=30, choices=InspectionStatus.choices)
    name = models.CharField(max_length=200)
    offset_weeks = models.PositiveSmallIntegerField()
    planned_due_on = models.DateField(editable=False)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "due_on", "order"]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.TextChoices):
    POSITION_STATEMENT = (
        "position_statement",
        "Information request and position statement",
    )
    STAFF_SURVEY = "staff_survey", "Staff survey"
    RECORD_READING = "record_reading", "Record reading"
    FOCUS_GROUPS = "focus_groups", "Focus groups and professional discussions"
    ENGAGEMENT = "engagement", "Engagement with people who use services and unpaid carers"
    ORDER_INTERVIEWS = "order_interviews", "Interviews with people on an order"


class EvidenceStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class EvidenceActivity(CaseRecord):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="evidence_activities"
    )
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    carried_out_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evidence_activities", blank=True
    )
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.PLANNED
    )

    _history_m2m_fields = ["carried_out_by"]

    class Meta:
        ordering = ["inspection", "starts_on", "pk"]
        verbose_name_plural = "evidence activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="evidence_dates_in_order",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attachment(CaseRecord):
    """A file supporting an evidence activity. Stored outside anything served publicly;
    every download goes through a view that checks permission and is audited."""

    evidence_activity = models.ForeignKey(
        EvidenceActivity, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["evidence_activity", "-created_at"]

    def __str__(self) -> str:
        return self.original_name


class AttachmentDownload(models.Model):
    """An audited read: who downloaded which attachment, when."""

    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, default="page")

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.attachment} downloaded by {self.user} at {self.downloaded_at:%d %b %Y %H:%M}"
