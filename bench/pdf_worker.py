"""Make one inspection report PDF the way the Celery worker does (reports.services), in a
process of its own, and print its time, peak memory and page count as JSON.

    python -m bench.pdf_worker INSPECTION_ID USER_ID

Run by bench/__main__.py with no REDIS_URL, so the task runs in this process (eagerly): the
peak resident memory measured is the worker's."""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time


def _rss_mib() -> float:
    """This process's peak resident memory so far (VmHWM). Not getrusage's ru_maxrss, which
    after fork and exec still carries the parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(inspection_id: int, user_id: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings.test")
    import django

    django.setup()
    import weasyprint  # noqa: F401  (imported before the baseline, as a worker has it loaded)
    from pypdf import PdfReader

    from accounts.models import User
    from inspections.models import Inspection
    from reports.models import GeneratedReport, ReportKind
    from reports.services import report_request

    user = User.objects.get(pk=user_id)
    inspection = Inspection.objects.get(pk=inspection_id)
    baseline = _rss_mib()
    start = time.perf_counter()
    report, _ = report_request(by=user, kind=ReportKind.INSPECTION_REPORT, inspection=inspection)
    seconds = time.perf_counter() - start
    report = GeneratedReport.objects.get(pk=report.pk)
    result = {
        "inspection": inspection_id,
        "status": report.status,
        "message": report.message,
        "audience": report.audience,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(_rss_mib(), 1),
        "baseline_rss_mib": round(baseline, 1),
    }
    if report.file:
        with report.file.open("rb") as handle:
            data = handle.read()
        result["pages"] = len(PdfReader(io.BytesIO(data)).pages)
        result["bytes"] = len(data)
        report.file.delete(save=False)
    # The benchmark's report leaves nothing behind.
    report.downloads.all().delete()
    GeneratedReport.history.filter(id=report.pk).delete()
    report.delete()
    return result


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
