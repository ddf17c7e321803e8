"""Writes for the PDF reports: asking for one (queued once, whoever asks twice), making it
(in a Celery task) and recording each download. Each write audits through scrutiny.services.

Asking for a report that is already queued or being made returns that one: a partial unique
constraint holds it in the database, so two requests at the same moment make one row. The task
is queued once the row is committed; with no REDIS_URL it runs at once, in the same process."""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutiny.services import audited_save

from . import content, pdf
from .models import (
    ACTIVE_STATUSES,
    GeneratedReport,
    GeneratedReportDownload,
    ReportKind,
    ReportStatus,
)
from .policies import audience_for
from .selectors import quarter_of

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Inspection
    from partnerships.models import Partnership

logger = logging.getLogger(__name__)

NOT_ALLOWED = "You may not ask for this report."
TARGET_MISSING = "Say which inspection, partnership or quarter the report is of."
NOT_A_QUARTER_START = "A quarter starts on 1 April, 1 July, 1 October or 1 January."
QUARTER_NOT_STARTED = "That quarter has not started yet."
FAILED_MESSAGE = (
    "The PDF could not be made. Ask for it again; if it fails again, tell your administrator "
    "(report {pk})."
)
NOT_QUEUED_MESSAGE = (
    "The PDF could not be queued: the service that makes PDFs is not answering. "
    "Ask for it again in a few minutes."
)
STALE_MESSAGE = "The PDF was not made in time. It has been asked for again."
# A report queued or running for longer than this is taken to be lost (its worker stopped).
STALE_AFTER = datetime.timedelta(minutes=30)


def _target(
    kind: str,
    inspection: Inspection | None,
    partnership: Partnership | None,
    quarter_starts_on: datetime.date | None,
) -> dict:
    if kind == ReportKind.INSPECTION_REPORT and inspection is not None:
        return {"inspection": inspection}
    if kind == ReportKind.PARTNERSHIP_PROFILE and partnership is not None:
        return {"partnership": partnership}
    if kind == ReportKind.COOPERATION_QUARTER and quarter_starts_on is not None:
        period = quarter_of(quarter_starts_on)
        if period.starts_on != quarter_starts_on:
            raise ValidationError({"quarter_starts_on": [NOT_A_QUARTER_START]})
        if period.starts_on > timezone.localdate():
            raise ValidationError({"quarter_starts_on": [QUARTER_NOT_STARTED]})
        return {"quarter_starts_on": quarter_starts_on}
    raise ValidationError(TARGET_MISSING)


def _active(kind: str, audience: str, target: dict):
    return GeneratedReport.objects.filter(
        kind=kind, audience=audience, status__in=ACTIVE_STATUSES, **target
    ).select_related("requested_by")


@transaction.atomic
def report_request(
    *,
    by: User,
    kind: str,
    inspection: Inspection | None = None,
    partnership: Partnership | None = None,
    quarter_starts_on: datetime.date | None = None,
) -> tuple[GeneratedReport, bool]:
    """Ask for a report of what `by` may read. Returns (report, created): the report already
    queued or being made for the same record and audience, if there is one, else a new one,
    queued for generation once this transaction commits."""
    target = _target(kind, inspection, partnership, quarter_starts_on)
    audience = audience_for(by, kind, inspection=inspection, partnership=partnership)
    if audience is None:
        raise PermissionDenied(NOT_ALLOWED)
    existing = _active(kind, audience, target).first()
    if existing is not None:
        if existing.requested_at >= timezone.now() - STALE_AFTER:
            return existing, False
        _finish(existing.pk, status=ReportStatus.FAILED, message=STALE_MESSAGE, by=by)
    for _attempt in range(2):
        report = GeneratedReport(
            kind=kind, audience=audience, requested_by=by, task_id=str(uuid.uuid4()), **target
        )
        report.full_clean(validate_constraints=False)  # the database decides who came first
        try:
            with transaction.atomic():
                audited_save(report, by=by, reason="PDF asked for", validate=False)
        except IntegrityError:
            # Someone asked for the same report at the same moment and their row won.
            winner = _active(kind, audience, target).first()
            if winner is not None:
                return winner, False
            continue  # it was settled meanwhile: ask once more
        transaction.on_commit(lambda pk=report.pk, task_id=report.task_id: _enqueue(pk, task_id))
        return report, True
    raise IntegrityError(f"Could not queue a {kind} report")


def _enqueue(pk: int, task_id: str) -> None:
    from .tasks import generate_report

    try:
        generate_report.apply_async(args=[pk], task_id=task_id)
    except Exception:  # the broker is down: say so on the report rather than fail the page
        logger.exception("Could not queue report %s", pk)
        _finish(pk, status=ReportStatus.FAILED, message=NOT_QUEUED_MESSAGE)


def _finish(pk: int, *, status: str, message: str = "", by: User | None = None, **fields) -> None:
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().get(pk=pk)
        if report.status not in ACTIVE_STATUSES:
            return
        report.status = status
        report.message = message
        report.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(report, name, value)
        report.version += 1
        reason = "PDF made" if status == ReportStatus.DONE else "PDF failed"
        audited_save(report, by=by, reason=reason, validate=False)


def _start(pk: int) -> GeneratedReport | None:
    """Mark a queued report as being made; None if it is not queued (made already, failed, or
    taken by another run of the task)."""
    with transaction.atomic():
        report = (
            GeneratedReport.objects.select_for_update()
            .filter(pk=pk, status=ReportStatus.QUEUED)
            .first()
        )
        if report is None:
            return None
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.version += 1
        audited_save(report, by=None, reason="PDF being made", validate=False)
    return GeneratedReport.objects.select_related(
        "requested_by__agency", "inspection", "partnership"
    ).get(pk=pk)


def report_generate(*, report_id: int) -> str:
    """Make the PDF of a queued report and store it; on any failure, mark it failed with a
    message for the person who asked (the traceback goes to the log). Returns the status."""
    report = _start(report_id)
    if report is None:
        return GeneratedReport.objects.filter(pk=report_id).values_list("status", flat=True).first()
    try:
        document = content.build(report)
        data = pdf.render_pdf(document, report)
    except content.ReportUnavailable as exc:
        _finish(report_id, status=ReportStatus.FAILED, message=str(exc))
        return ReportStatus.FAILED
    except Exception:
        logger.exception("Report %s (%s) could not be made", report_id, report.kind)
        _finish(report_id, status=ReportStatus.FAILED, message=FAILED_MESSAGE.format(pk=report_id))
        return ReportStatus.FAILED
    _store(report, data, document)
    return ReportStatus.DONE


def _store(report: GeneratedReport, data: bytes, document: content.Document) -> None:
    """Store the PDF and mark the report done, leaving no orphan file if the row cannot be
    saved."""
    storage_name = f"{uuid.uuid4().hex}.pdf"
    report.file.save(storage_name, ContentFile(data), save=False)
    stored = report.file.name
    try:
        _finish(
            report.pk,
            status=ReportStatus.DONE,
            file=stored,
            filename=content.filename(report, timezone.localdate()),
            size=len(data),
            document_status=document.status,
        )
    except BaseException:
        report.file.storage.delete(stored)
        raise
    if not GeneratedReport.objects.filter(pk=report.pk, file=stored).exists():
        report.file.storage.delete(stored)  # it was settled meanwhile (failed as lost)


def report_download_record(*, report: GeneratedReport, by: User, via: str = "page") -> None:
    """Audit a read of a report's PDF. Callers have already checked that `by` may see it."""
    GeneratedReportDownload.objects.create(report=report, user=by, via=via)
