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

    class Meta:
        ordering = ["-pk"]
        constraints = [
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

    class Meta:
        ordering = ["-pk"]

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
