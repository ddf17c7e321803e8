"""The framework for support after strategic scrutiny (seed 003): the five conditions of
improvement with their fifteen criteria, the four levels of support with their aims, benefits,
situations and characteristic support (reference data administrators edit), and the casework:
a partnership's assessment against the criteria and the inspection team's decision on the level
of support."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from scrutiny.models import CaseRecord

# Which "situation" row belongs to which level is our reading of the seed's layout
# (reference/SOURCES.md says so); each such row carries this flag.
LAYOUT_READING_NOTE = (
    "Which level this situation belongs to is our reading of the layout of the framework's "
    "appendix, not a statement of the source."
)


class ImprovementCondition(CaseRecord):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ImprovementCriterion(CaseRecord):
    condition = models.ForeignKey(
        ImprovementCondition, on_delete=models.PROTECT, related_name="criteria"
    )
    number = models.CharField(max_length=10, unique=True, help_text='For example "1.1".')
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["condition__number", "order", "number"]
        verbose_name_plural = "improvement criteria"

    def __str__(self) -> str:
        return f"{self.number} {self.text}"


class SupportLevel(CaseRecord):
    """1 local partnership led, 2 commissioned, 3 assisted, 4 directed (more support as the
    order goes up)."""

    order = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class AspectKind(models.TextChoices):
    AIM = "aim", "Aim"
    BENEFIT = "benefit", "Potential benefit"
    SITUATION = "situation", "Situation where it is likely to be of value"
    CHARACTERISTIC = "characteristic", "Characteristic support"


class SupportLevelAspect(CaseRecord):
    level = models.ForeignKey(SupportLevel, on_delete=models.PROTECT, related_name="aspects")
    kind = models.CharField(max_length=20, choices=AspectKind.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    layout_reading = models.BooleanField(
        default=False,
        help_text="Ticked where placing this row under its level is our reading of the source's "
        "layout (the situations), not something the source states.",
    )

    class Meta:
        ordering = ["level__order", "kind", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.level}: {self.get_kind_display()}: {self.text}"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class SupportAssessment(CaseRecord):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="support_assessments"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_assessments",
        help_text="The inspection this assessment follows, if any.",
    )
    assessed_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Support assessment of {self.partnership} on {self.assessed_on:%d %B %Y}"


class CriterionJudgement(CaseRecord):
    assessment = models.ForeignKey(
        SupportAssessment, on_delete=models.PROTECT, related_name="judgements"
    )
    criterion = models.ForeignKey(
        ImprovementCriterion, on_delete=models.PROTECT, related_name="judgements"
    )
    met = models.BooleanField()
    evidence = models.TextField("evidence note", blank=True)

    class Meta:
        ordering = ["criterion__condition__number", "criterion__order", "criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_judgement_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.number}: {'met' if self.met else 'not met'}"


class SupportDecision(CaseRecord):
    assessment = models.ForeignKey(
        SupportAssessment, on_delete=models.PROTECT, related_name="decisions"
    )
    level = models.ForeignKey(SupportLevel, on_delete=models.PROTECT, related_name="+")
    second_level = models.ForeignKey(
        SupportLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the partnership sits between two adjacent levels: the other one.",
    )
    recommended_level = models.ForeignKey(
        SupportLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="The level the conditions recommended when the decision was last saved.",
    )
    rationale = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    agreed_at = models.DateTimeField(null=True, blank=True, editable=False)
    formal_review_on = models.DateField(
        "date of the formal progress review",
        null=True,
        blank=True,
        help_text="Assisted and directed support: the agreed date of the formal progress review.",
    )
    monitoring_interval_months = models.PositiveSmallIntegerField(
        "monitoring interval (months)",
        null=True,
        blank=True,
        help_text="Directed support: formal monitoring at this agreed regular interval until the "
        "formal progress review.",
    )

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monitoring_interval_months__isnull=True)
                | Q(monitoring_interval_months__gte=1, monitoring_interval_months__lte=12),
                name="support_decision_monitoring_interval_1_to_12",
                violation_error_message="Monitor at an interval of 1 to 12 months.",
            ),
            models.CheckConstraint(
                condition=Q(second_level__isnull=True) | ~Q(second_level=F("level")),
                name="support_decision_second_level_differs",
                violation_error_message="The second level must differ from the first.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_by__isnull=False, agreed_at__isnull=False),
                name="support_decision_agreed_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        between = f" / {self.second_level}" if self.second_level_id else ""
        return f"Support decision: {self.level}{between}"


# Improvement plans --------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    COMPLETE = "complete", "Complete"
    SUPERSEDED = "superseded", "Superseded"


CLOSED_ACTION_STATUSES = [ActionStatus.COMPLETE, ActionStatus.SUPERSEDED]


class ImprovementPlan(CaseRecord):
    """A partnership's plan in answer to a published inspection's report."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.CharField(
        max_length=200, blank=True, help_text="Who agreed the plan (name and organisation)."
    )
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(agreed_on__isnull=False) & ~Q(agreed_by="")),
                name="improvement_plan_agreed_has_date_and_who",
                violation_error_message="An agreed plan needs the date and who agreed it.",
            ),
        ]

    @property
    def is_agreed(self) -> bool:
        return self.status == PlanStatus.AGREED

    def __str__(self) -> str:
        return self.title


class ImprovementAction(CaseRecord):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    findings = models.ManyToManyField(
        "inspections.Finding",
        related_name="improvement_actions",
        blank=True,
        help_text="The areas for improvement and recommendations this action answers.",
    )
    owner_name = models.CharField(max_length=200)
    owner_organisation = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today) -> bool:
        return self.due_on < today and self.status not in CLOSED_ACTION_STATUSES


class ProgressUpdate(CaseRecord):
    action = models.ForeignKey(
        ImprovementAction, on_delete=models.PROTECT, related_name="progress_updates"
    )
    updated_on = models.DateField()
    progress = models.TextField()
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["-updated_on", "-pk"]

    def __str__(self) -> str:
        return f"Progress on {self.updated_on:%d %B %Y}"


class PlanRevision(CaseRecord):
    """A numbered change to an agreed plan, with the reason for it. The changes themselves are in
    the History of the plan and its actions, each entry carrying the revision's number."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField()
    summary = models.TextField(blank=True, help_text="What the revision changed.")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_revision_number"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.plan}"


# Progress reviews ---------------------------------------------------------------------------


class ReviewKind(models.TextChoices):
    FORMAL = "formal", "Formal progress review"
    MONITORING = "monitoring", "Formal monitoring"


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ProgressJudgement(models.TextChoices):
    GOOD = "good", "Good progress"
    SOME = "some", "Some progress"
    LIMITED = "limited", "Limited progress"
    NONE = "none", "No progress"


class ProgressReview(CaseRecord):
    """A progress review by the scrutiny partners: scheduled by an assisted or directed decision
    (or by hand), then held and recorded."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="progress_reviews"
    )
    decision = models.ForeignKey(
        SupportDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reviews",
        help_text="The support decision that scheduled this review, if any.",
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    due_on = models.DateField("date due")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED
    )
    held_on = models.DateField("date held", null=True, blank=True)
    attendees = models.TextField("who attended", blank=True)
    judgement = models.CharField(
        "judgement of progress", max_length=20, choices=ProgressJudgement.choices, blank=True
    )
    notes = models.TextField(blank=True)
    next_on = models.DateField("date of the next review", null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="held")
                | (Q(held_on__isnull=False) & ~Q(judgement="") & ~Q(attendees="")),
                name="progress_review_held_has_date_attendees_judgement",
                violation_error_message="A review held needs its date, who attended and a "
                "judgement of progress.",
            ),
            models.CheckConstraint(
                condition=Q(next_on__isnull=True)
                | Q(held_on__isnull=True)
                | Q(next_on__gt=F("held_on")),
                name="progress_review_next_after_held",
                violation_error_message="The next review must come after this one.",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on.day} {self.due_on:%B %Y}"

    def is_overdue(self, today) -> bool:
        return self.status == ReviewStatus.SCHEDULED and self.due_on < today


# Improvement support commissioned -----------------------------------------------------------


class SupportProvider(CaseRecord):
    """A national body or network that gives improvement support (reference data)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(
        default=True, help_text="Untick to stop offering this provider for new support."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupportStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    COMMISSIONED = "commissioned", "Commissioned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ImprovementSupport(CaseRecord):
    """Support commissioned for a partnership: what, from whom, when, its status and outcome."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="improvement_support"
    )
    plan = models.ForeignKey(
        ImprovementPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support",
        help_text="The improvement plan this support serves, if any.",
    )
    provider = models.ForeignKey(SupportProvider, on_delete=models.PROTECT, related_name="+")
    description = models.TextField("support")
    starts_on = models.DateField("start date", null=True, blank=True)
    ends_on = models.DateField("end date", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SupportStatus.choices, default=SupportStatus.PROPOSED
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "improvement support"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="improvement_support_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(status="complete") | ~Q(outcome=""),
                name="improvement_support_complete_has_outcome",
                violation_error_message="Record the outcome before marking the support complete.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.description[:60]}"
