"""Progress reviews of a partnership: scheduled by an agreed assisted or directed decision (or by
hand), rescheduled, recorded as held (which can schedule the next one) or cancelled with a
reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import iso, list_page, require, save_or_errors

from .. import selectors, services
from ..forms import (
    ReviewCancelForm,
    ReviewFilterForm,
    ReviewRecordForm,
    ReviewRescheduleForm,
    ReviewScheduleForm,
)
from ..models import ProgressReview, RecordStatus, ReviewStatus
from ..policies import may_assess, review_policy
from .common import form_page, partnership_crumb, partnership_get

NOT_YOURS_MESSAGE = (
    "You may schedule a review only for a decision that follows an inspection you are on, "
    "unless you are the partnership's link inspector."
)


def review_url(review_or_pk) -> str:
    return reverse("improvement:review_detail", args=[getattr(review_or_pk, "pk", review_or_pk)])


def reviews_url(partnership_or_pk) -> str:
    pk = getattr(partnership_or_pk, "pk", partnership_or_pk)
    return reverse("improvement:review_list", args=[pk])


def _list_crumbs(partnership) -> list[tuple[str, str]]:
    return [partnership_crumb(partnership), (reviews_url(partnership), "Progress reviews")]


def _review_crumbs(review: ProgressReview) -> list[tuple[str, str]]:
    return [*_list_crumbs(review.partnership), (review_url(review), str(review))]


def _with_overdue(rows):
    today = timezone.localdate()
    rows = list(rows)
    for review in rows:
        review.overdue = review.is_overdue(today)
    return rows


def _may_act(user, review: ProgressReview) -> bool:
    return review.status == ReviewStatus.SCHEDULED and review_policy.can_change(user, review)


@login_required
@require_safe
def review_list(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    form = ReviewFilterForm(request.GET or None)
    queryset = selectors.review_list(
        user=request.user, partnership=partnership, **form.selector_kwargs()
    ).order_by(*form.ordering())
    return list_page(
        request,
        template="improvement/review_list.html",
        form=form,
        queryset=queryset,
        csv_name=f"progress-reviews-{partnership.pk}",
        csv_header=[
            "Kind",
            "Date due",
            "Status",
            "Overdue",
            "Support decision",
            "Date held",
            "Who attended",
            "Judgement of progress",
            "Notes",
            "Date of the next review",
            "Reason cancelled",
        ],
        csv_row=lambda r: [
            r.get_kind_display(),
            iso(r.due_on),
            r.get_status_display(),
            "Yes" if r.overdue else "No",
            r.decision.level.name if r.decision_id else "",
            iso(r.held_on),
            r.attendees,
            r.get_judgement_display() if r.judgement else "",
            r.notes,
            iso(r.next_on),
            r.cancelled_reason,
        ],
        decorate=_with_overdue,
        context={
            "page_title": f"Progress reviews: {partnership}",
            "partnership": partnership,
            "crumbs": [partnership_crumb(partnership)],
            "can_add": may_assess(request.user, partnership),
        },
    )


@login_required
def review_schedule(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    require(may_assess(request.user, partnership))
    decisions = selectors.decision_list(
        user=request.user, partnership=partnership, status=RecordStatus.AGREED
    )
    form = ReviewScheduleForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data.get("decision")
        inspection = decision.assessment.inspection if decision is not None else None
        if not review_policy.can_add(request.user, partnership, inspection):
            form.add_error("decision", NOT_YOURS_MESSAGE)
    done = save_or_errors(
        request,
        form,
        lambda: services.review_schedule(
            by=request.user,
            partnership=partnership,
            kind=form.cleaned_data["kind"],
            due_on=form.cleaned_data["due_on"],
            decision=form.cleaned_data.get("decision"),
        ),
        success=lambda r: f"The {r.get_kind_display().lower()} has been scheduled.",
        redirect_to=review_url,
    )
    return done or form_page(
        request,
        form,
        heading="Schedule a review",
        caption=str(partnership),
        intro=(
            "Agreeing an assisted or directed decision schedules its reviews for you. Schedule "
            "one here when a review has been arranged otherwise."
        ),
        submit_label="Schedule review",
        cancel_url=reviews_url(partnership),
        crumbs=_list_crumbs(partnership),
    )


@login_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    review.overdue = review.is_overdue(timezone.localdate())
    return render(
        request,
        "improvement/review_detail.html",
        {
            "page_title": f"{review}: {review.partnership}",
            "review": review,
            "crumbs": _list_crumbs(review.partnership),
            "can_act": _may_act(request.user, review),
        },
    )


def _summary(review: ProgressReview) -> list[tuple[str, str]]:
    return [
        ("Kind", review.get_kind_display()),
        ("Date due", f"{review.due_on.day} {review.due_on:%B %Y}"),
    ]


@login_required
def review_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    require(_may_act(request.user, review))
    form = ReviewRescheduleForm(
        request.POST or None, initial={"due_on": review.due_on, "version": review.version}
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.review_reschedule(
            review=review,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            due_on=form.cleaned_data["due_on"],
        ),
        success="The review has been rescheduled.",
        redirect_to=review_url,
    )
    return done or form_page(
        request,
        form,
        heading="Reschedule the review",
        caption=str(review.partnership),
        summary_rows=_summary(review),
        submit_label="Reschedule",
        cancel_url=review_url(review),
        crumbs=_review_crumbs(review),
    )


@login_required
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    require(_may_act(request.user, review))
    initial = {"version": review.version}
    if review.due_on <= timezone.localdate():
        initial["held_on"] = review.due_on
    form = ReviewRecordForm(request.POST or None, initial=initial)
    done = save_or_errors(
        request,
        form,
        lambda: services.review_record(
            review=review,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data["attendees"],
            judgement=form.cleaned_data["judgement"],
            notes=form.cleaned_data.get("notes", ""),
            next_on=form.cleaned_data.get("next_on"),
        ),
        success=lambda r: (
            "The review has been recorded as held."
            + (
                f" The next review is scheduled for {r.next_on.day} {r.next_on:%B %Y}."
                if r.next_on
                else ""
            )
        ),
        redirect_to=review_url,
    )
    return done or form_page(
        request,
        form,
        heading="Record the review",
        caption=str(review.partnership),
        summary_rows=_summary(review),
        submit_label="Record review",
        cancel_url=review_url(review),
        crumbs=_review_crumbs(review),
    )


@login_required
def review_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    require(_may_act(request.user, review))
    form = ReviewCancelForm(request.POST or None, initial={"version": review.version})
    done = save_or_errors(
        request,
        form,
        lambda: services.review_cancel(
            review=review,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        success="The review has been cancelled.",
        redirect_to=review_url,
    )
    return done or form_page(
        request,
        form,
        heading="Cancel the review",
        caption=str(review.partnership),
        summary_rows=_summary(review),
        submit_label="Cancel the review",
        cancel_url=review_url(review),
        crumbs=_review_crumbs(review),
        context={"cancel_label": "Keep the review"},
    )


@login_required
@require_safe
def review_history(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(user=request.user, pk=pk)
    return history_page(request, obj=review, back_url=review_url(review), back_label=str(review))
