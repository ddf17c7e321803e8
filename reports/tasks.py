"""Celery tasks for the PDF reports. Thin: an id in, the service makes the report."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def generate_report(report_id: int) -> str | None:
    """Make a queued report's PDF (reports.services.report_generate); a report no longer
    queued (made already, or failed) is left as it is."""
    from .services import report_generate

    return report_generate(report_id=report_id)
