"""The report: findings, the chain of evaluations with moderation, the partnership's factual
accuracy comments, and the frozen published versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from scrutiny.models import CaseRecord

__all__ = [
    "EvaluationLink",
    "EvaluationStage",
    "FactualAccuracyComment",
    "FactualAccuracyResponse",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "PanelOutcome",
    "PublishedVersion",
]


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    RECOMMENDATION = "recommendation", "Recommendation"
    GOOD_PRACTICE = "good_practice", "Good practice"


class FindingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class Finding(CaseRecord):
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    text = models.TextField()
    quality_indicators = models.ManyToManyField(
        "inspections.QualityIndicator", related_name="findings"
    )
    evidence_activities = models.ManyToManyField(
        "inspections.EvidenceActivity", related_name="findings", blank=True
    )
    cited_questions = models.ManyToManyField(
        "inspections.TemplateQuestion",
        related_name="findings",
        blank=True,
        help_text="Record-reading questions whose figures support this finding.",
    )
    national_outcomes = models.ManyToManyField(
        "partnerships.NationalOutcome", related_name="findings", blank=True
    )
    status = models.CharField(
        max_length=10, choices=FindingStatus.choices, default=FindingStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    agreed_at = models.DateTimeField(null=True, blank=True, editable=False)

    _history_m2m_fields = [
        "quality_indicators",
        "evidence_activities",
        "cited_questions",
        "national_outcomes",
    ]

    class Meta:
        ordering = ["inspection", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_by__isnull=False, agreed_at__isnull=False),
                name="agreed_finding_records_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 60 else f"{self.text[:57]}..."
        return f"{self.get_kind_display()}: {text}"


class EvaluationStage(models.TextChoices):
    PROPOSED = "proposed", "Proposed by the team"
    PANEL = "panel", "Quality and consistency panel"
    FINAL = "final", "Final"
    REOPENED = "reopened", "Moderation reopened"


class PanelOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CHANGED = "changed", "Changed"


class EvaluationLink(models.Model):
    """One link in the chain of an indicator's evaluation. Links are never edited: each step
    (proposal, the panel's decision, the final grade, a reopening) adds a new one."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="evaluation_links"
    )
    quality_indicator = models.ForeignKey(
        "inspections.QualityIndicator", on_delete=models.PROTECT, related_name="evaluation_links"
    )
    stage = models.CharField(max_length=20, choices=EvaluationStage.choices)
    level = models.ForeignKey(
        "inspections.EvaluationLevel",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    rationale = models.TextField(blank=True, help_text="The team's rationale, or the reason.")
    panel_outcome = models.CharField(max_length=10, choices=PanelOutcome.choices, blank=True)
    panel_members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    panel_date = models.DateField(null=True, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_link"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "quality_indicator", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="panel", panel_outcome="changed") | ~Q(rationale=""),
                name="panel_change_needs_a_reason",
                violation_error_message="Give the panel's reason for changing the grade.",
            ),
            models.CheckConstraint(
                condition=Q(stage="reopened") | Q(level__isnull=False),
                name="evaluation_link_has_a_grade",
            ),
            models.CheckConstraint(
                condition=~Q(stage="panel") | ~Q(panel_outcome=""),
                name="panel_link_has_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quality_indicator}: {self.get_stage_display()} {self.level or ''}".strip()


class FactualAccuracyResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class FactualAccuracyComment(CaseRecord):
    """A point of the draft report the partnership disputes, and the team's response."""

    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        related_name="factual_accuracy_comments",
    )
    report_reference = models.CharField(
        "where in the draft report", max_length=100, help_text="For example: page 12, paragraph 3."
    )
    comment = models.TextField("the partnership's comment")
    response = models.CharField(max_length=20, choices=FactualAccuracyResponse.choices, blank=True)
    response_text = models.TextField("the team's response", blank=True)
    change_made = models.TextField("change made to the report", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return f"{self.report_reference}: {self.comment[:50]}"


class PublishedVersion(models.Model):
    """What was published, frozen: findings, evaluations and record-reading figures exactly as
    they stood. A later correction is a new version with a reason; versions are never edited."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="published_versions"
    )
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField()
    reason = models.TextField(blank=True, help_text="Why a correction was published.")
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="published_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""),
                name="correction_needs_a_reason",
                violation_error_message="Say why this correction is published.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection}: published version {self.number}"
