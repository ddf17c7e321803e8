"""The chief executives' review of the log, and the meeting gaps."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.forms import add_service_error
from scrutiny.views import require

from .. import rules, selectors, services
from ..forms import GapFilterForm, LogReviewForm
from ..policies import review_policy


def _review_page(request: HttpRequest, form: LogReviewForm | None = None) -> HttpResponse:
    can_record = review_policy.can_add(request.user)
    if can_record and form is None:
        form = LogReviewForm()
    return render(
        request,
        "cooperation/review.html",
        {
            "page_title": "Duty of co-operation: the chief executives' review",
            "section": "review",
            "review": selectors.review_overview(user=request.user),
            "form": form if can_record else None,
            "min_lead_days": settings.NO_SURPRISES_MIN_LEAD_DAYS,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    return _review_page(request)


@login_required
def review_record(request: HttpRequest) -> HttpResponse:
    require(review_policy.can_add(request.user))
    if request.method != "POST":
        return redirect("cooperation:review")
    form = LogReviewForm(request.POST)
    if form.is_valid():
        try:
            recorded = services.log_review_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            on = recorded.reviewed_on.strftime("%-d %B %Y")
            messages.success(request, f"You have recorded that you reviewed the log on {on}.")
            return redirect("cooperation:review")
    return _review_page(request, form)


@login_required
@require_safe
def meeting_gaps(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = GapFilterForm(request.GET or None, today=today)
    first, last = form.years()
    meeting_type = form.cleaned_data.get("meeting_type") if form.is_valid() else None
    return render(
        request,
        "cooperation/gaps.html",
        {
            "page_title": "Meeting gaps",
            "section": "gaps",
            "form": form,
            "gaps": selectors.meeting_gaps(
                user=request.user,
                first_year=first,
                last_year=last,
                meeting_type=meeting_type,
                today=today,
            ),
            "types": [t for t in selectors.meeting_type_list() if t.gap_period],
            "span": f"{rules.financial_year_label(first)} to {rules.financial_year_label(last)}",
            "warning_days": settings.MEETING_GAP_WARNING_DAYS,
        },
        status=400 if form.errors else 200,
    )
