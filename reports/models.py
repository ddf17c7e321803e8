"""PDF reports made in the background (Celery, WeasyPrint): an inspection report, a partnership
profile and the quarterly co-operation report for the boards of the two bodies.

A report is made for one audience: what every reader of its record sees, or that plus the
record's unpublished work (and, for an inspection still in progress, its record-reading
results). Only readers who see at least as much as the report holds may see it or download it.
The same report (kind, record and audience) cannot be queued or running twice at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from scrutiny.models import CaseRecord


class ReportKind(models.TextChoices):
    INSPECTION_REPORT = "inspection_report", "Inspection report"
    PARTNERSHIP_PROFILE = "partnership_profile", "Partnership profile"
    COOPERATION_QUARTER = "cooperation_quarter", "Co-operation quarterly report"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = [ReportStatus.QUEUED, ReportStatus.RUNNING]


class Audience(models.TextChoices):
    """Who a report was made for, from the fewest readers to the most: a report holds only what
    its audience may read."""

    GENERAL = "general", "Everyone who may see the record"
    UNPUBLISHED = "unpublished", "Readers of the record's unpublished work"
    EVIDENCE = "evidence", "Team members cleared to see the evidence"


AUDIENCE_RANK = {Audience.GENERAL: 0, Audience.UNPUBLISHED: 1, Audience.EVIDENCE: 2}


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


ONE_ACTIVE_MESSAGE = "This report is already being made."


class GeneratedReport(CaseRecord):
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="generated_reports",
    )
    quarter_starts_on = models.DateField(
        "quarter",
        null=True,
        blank=True,
        help_text="The first day of the financial quarter (co-operation reports).",
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.GENERAL)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    message = models.TextField(blank=True, help_text="Why it failed, in words for its reader.")
    document_status = models.CharField(
        max_length=10,
        choices=DocumentStatus.choices,
        blank=True,
        help_text="Draft or final, as printed on every page (once made).",
    )
    file = models.FileField(upload_to="reports/%Y/%m/", max_length=300, blank=True)
    filename = models.CharField("download name", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField("Celery task id", max_length=50, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=ReportKind.INSPECTION_REPORT,
                    inspection__isnull=False,
                    partnership__isnull=True,
                    quarter_starts_on__isnull=True,
                )
                | Q(
                    kind=ReportKind.PARTNERSHIP_PROFILE,
                    inspection__isnull=True,
                    partnership__isnull=False,
                    quarter_starts_on__isnull=True,
                )
                | Q(
                    kind=ReportKind.COOPERATION_QUARTER,
                    inspection__isnull=True,
                    partnership__isnull=True,
                    quarter_starts_on__isnull=False,
                ),
                name="generated_report_target_matches_kind",
                violation_error_message="A report is of one inspection, one partnership or one "
                "quarter, as its kind says.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DONE) | ~Q(file=""),
                name="generated_report_done_has_file",
            ),
            # The same report asked for twice while one is being made does not start a second.
            models.UniqueConstraint(
                fields=["inspection", "audience"],
                condition=Q(kind=ReportKind.INSPECTION_REPORT, status__in=ACTIVE_STATUSES),
                name="generated_report_one_active_inspection_report",
                violation_error_message=ONE_ACTIVE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["partnership", "audience"],
                condition=Q(kind=ReportKind.PARTNERSHIP_PROFILE, status__in=ACTIVE_STATUSES),
                name="generated_report_one_active_partnership_profile",
                violation_error_message=ONE_ACTIVE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["quarter_starts_on", "audience"],
                condition=Q(kind=ReportKind.COOPERATION_QUARTER, status__in=ACTIVE_STATUSES),
                name="generated_report_one_active_cooperation_quarter",
                violation_error_message=ONE_ACTIVE_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["kind", "quarter_starts_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        """What the report is of, in words."""
        if self.kind == ReportKind.INSPECTION_REPORT and self.inspection_id:
            return str(self.inspection)
        if self.kind == ReportKind.PARTNERSHIP_PROFILE and self.partnership_id:
            return str(self.partnership)
        if self.quarter_starts_on:
            from cooperation import rules

            return rules.period_containing(self.quarter_starts_on, "quarter").label
        return ""

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)


class GeneratedReportDownload(models.Model):
    """An audited read: who downloaded which PDF, when, and through which door."""

    report = models.ForeignKey(GeneratedReport, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, default="page")

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.report} downloaded by {self.user}"
