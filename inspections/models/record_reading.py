"""Record reading: a record review template per programme, the sample of records an
inspection reads, and each reader's answers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from scrutiny.models import CaseRecord

__all__ = [
    "AnswerType",
    "QuestionChoice",
    "ReadingStatus",
    "RecordAgency",
    "RecordAnswer",
    "RecordReviewTemplate",
    "ReviewedRecord",
    "TemplateQuestion",
    "TemplateSection",
]

reference_validator = RegexValidator(
    r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/._-]{1,39}$",
    "Use the record's case reference (letters, digits, / . _ -, with at least one digit and no "
    "spaces), never a person's name.",
)


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", "Yes / no / not applicable"
    CHOICE = "choice", "A choice from a list"
    SIX_POINT = "six_point", "Six-point evaluation"
    TEXT = "text", "Free text"


# Values stored for yes/no questions; NOT_APPLICABLE is also offered on choice and six-point ones.
YES, NO, NOT_APPLICABLE = "yes", "no", "na"


class RecordReviewTemplate(CaseRecord):
    programme = models.ForeignKey(
        "inspections.Programme", on_delete=models.PROTECT, related_name="record_templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="record_template_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateSection(CaseRecord):
    template = models.ForeignKey(
        RecordReviewTemplate, on_delete=models.PROTECT, related_name="sections"
    )
    number = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TemplateQuestion(CaseRecord):
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="questions")
    number = models.CharField(max_length=10)
    text = models.TextField()
    help_text = models.CharField(max_length=300, blank=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices)
    allow_not_applicable = models.BooleanField(
        default=True, help_text="Offer 'not applicable' (always offered on yes/no questions)."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.text}"

    @property
    def has_results(self) -> bool:
        """Free-text answers are read, not counted: only counted questions show results."""
        return self.answer_type != AnswerType.TEXT


class QuestionChoice(CaseRecord):
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="choices")
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class RecordAgency(models.TextChoices):
    SOCIAL_WORK = "social_work", "Social work"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"


class ReadingStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class ReviewedRecord(CaseRecord):
    """One record in an inspection's sample: a reference (never a name), the agency holding it,
    and who reads it. Its answers are saved together, under this record's version."""

    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="reviewed_records"
    )
    template = models.ForeignKey(
        RecordReviewTemplate, on_delete=models.PROTECT, related_name="records"
    )
    reference = models.CharField(max_length=40, validators=[reference_validator])
    agency = models.CharField(
        "agency holding the record", max_length=20, choices=RecordAgency.choices
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="records_to_read",
        null=True,
        blank=True,
    )
    status = models.CharField(
        max_length=20, choices=ReadingStatus.choices, default=ReadingStatus.NOT_STARTED
    )
    read_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "reference"],
                condition=Q(archived_at__isnull=True),
                name="record_reference_unique_per_inspection",
                violation_error_message="This record is already in the sample.",
            ),
        ]

    def __str__(self) -> str:
        return f"Record {self.reference}"


class RecordAnswer(models.Model):
    """One answer to one question for one record. Kept simple and unversioned: a record's
    answers are written together under the record's version, and History is the record's."""

    record = models.ForeignKey(ReviewedRecord, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="answers")
    # yes / no / na for yes-no questions; "na" on others when not applicable.
    value = models.CharField(max_length=10, blank=True)
    choice = models.ForeignKey(
        QuestionChoice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=6),
                name="answer_grade_on_the_six_point_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} / {self.question.number}"
