"""The Reports section's pages: ask for a PDF (a POST from a record's page), its status as JSON
for the page's script, and the download. Each view parses input, checks permission through the
selectors (a record or report the user may not see is a 404), calls one service and answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cooperation.policies import is_body_member
from scrutiny.files import download_response, open_stored

from . import selectors, services
from .forms import ReportRequestForm
from .models import GeneratedReport, ReportKind, ReportStatus

READY = "The PDF is ready: download it from the list of reports below."
BEING_MADE = "The PDF is being made. This page shows when it is ready."
ALREADY = (
    "This PDF is already being made (asked for by {who} at {when}). "
    "This page shows when it is ready."
)


def status_payload(report: GeneratedReport) -> dict:
    """What the page's script (and anyone polling) reads about a report."""
    done = report.status == ReportStatus.DONE
    return {
        "id": report.pk,
        "kind": report.kind,
        "status": report.status,
        "status_label": report.get_status_display(),
        "finished": report.is_finished,
        "message": report.message,
        "document_status": report.document_status,
        "download_url": reverse("reports:download", args=[report.pk]) if done else None,
        "size": report.size if done else None,
    }


def _announce(request: HttpRequest, report: GeneratedReport, created: bool) -> None:
    report.refresh_from_db()  # with no broker the PDF has been made already
    if report.status == ReportStatus.DONE:
        messages.success(request, READY)
    elif report.status == ReportStatus.FAILED:
        messages.error(request, report.message)
    elif created:
        messages.success(request, BEING_MADE)
    else:
        when = timezone.localtime(report.requested_at)
        messages.info(
            request, ALREADY.format(who=report.requested_by.full_name, when=f"{when:%H:%M}")
        )


@login_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST, request=request)
    if not form.is_valid():
        for _, message in form.error_summary():
            messages.error(request, message)
        return redirect(form.next_url() or reverse("home"))
    data = form.cleaned_data
    kind = data["kind"]
    target: dict = {}
    if kind == ReportKind.INSPECTION_REPORT:
        target["inspection"] = selectors.inspection_target(user=request.user, pk=data["inspection"])
    elif kind == ReportKind.PARTNERSHIP_PROFILE:
        target["partnership"] = selectors.partnership_target(
            user=request.user, pk=data["partnership"]
        )
    else:
        if not is_body_member(request.user):
            raise Http404
        target["quarter_starts_on"] = data["quarter"]
    back = form.next_url()
    try:
        report, created = services.report_request(by=request.user, kind=kind, **target)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{back or reverse('home')}#reports")
    _announce(request, report, created)
    return redirect(f"{back or selectors.target_url(report)}#reports")


@login_required
@require_safe
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    response = JsonResponse(status_payload(report))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    handle = open_stored(report.file)
    services.report_download_record(report=report, by=request.user)
    return download_response(
        handle, filename=report.filename or "report.pdf", content_type="application/pdf"
    )
