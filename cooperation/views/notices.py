"""No-surprises notices: the list with their flags, recording and editing one, and the summary
per quarter."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import archive_page, iso, list_page, require, save_or_errors

from .. import rules, selectors, services
from ..forms import NoticeCreateForm, NoticeFilterForm, NoticeForm, SummaryFilterForm
from ..policies import notice_policy
from .common import form_page

LIST = "cooperation:notice_list"


def notice_url(notice_or_pk) -> str:
    return reverse("cooperation:notice_detail", args=[getattr(notice_or_pk, "pk", notice_or_pk)])


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(reverse(LIST), "No-surprises notices"), *extra]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _notice_row(n) -> list:
    flags = n.flags
    return [
        n.subject,
        n.raised_by.name,
        n.get_kind_display(),
        n.get_commitment_type_display(),
        iso(n.planned_on),
        iso(n.told_on),
        n.told_whom,
        iso(n.acknowledged_on),
        "" if flags.lead_time is None else flags.lead_time,
        _yes(flags.urgent),
        _yes(flags.late),
        _yes(flags.told_after_event),
        _yes(flags.awaiting_acknowledgement),
        n.outcome,
    ]


@login_required
@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    return list_page(
        request,
        template="cooperation/notice_list.html",
        form=form,
        queryset=selectors.notice_list(user=request.user, today=today, **form.selector_kwargs()),
        csv_name="no-surprises-notices",
        csv_header=[
            "Subject",
            "Raised by",
            "Kind",
            "Kind of commitment",
            "Planned date",
            "Date told",
            "Who was told",
            "Date acknowledged",
            "Lead time (working days)",
            "Urgent",
            "Late",
            "Told after the event",
            "Awaiting acknowledgement",
            "Outcome",
        ],
        csv_row=_notice_row,
        decorate=lambda rows: selectors.with_flags(rows, today),
        context={
            "page_title": "No-surprises notices",
            "section": "notices",
            "can_add": notice_policy.can_add(request.user),
            "min_lead_days": settings.NO_SURPRISES_MIN_LEAD_DAYS,
            "ack_days": settings.NO_SURPRISES_ACK_DAYS,
        },
    )


@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    require(notice_policy.can_add(request.user))
    form = NoticeCreateForm(request.POST or None, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.notice_create(by=request.user, **form.changes()),
        success=lambda n: f"{n} has been recorded.",
        redirect_to=notice_url,
    )
    return done or form_page(
        request,
        form,
        heading="Record a no-surprises notice",
        intro=(
            "Tell the other body in advance: at least "
            f"{settings.NO_SURPRISES_MIN_LEAD_DAYS} working days before the announcement or "
            "commitment. Urgent action is never held up: record it afterwards and mark it urgent."
        ),
        submit_label="Record notice",
        cancel_url=reverse(LIST),
        crumbs=_crumbs(),
        section="notices",
    )


@login_required
@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)
    notice.flags = selectors.notice_flags(notice)
    return render(
        request,
        "cooperation/notice_detail.html",
        {
            "page_title": str(notice),
            "section": "notices",
            "notice": notice,
            "flags": notice.flags,
            "other_body": selectors.other_body(notice.raised_by),
            "min_lead_days": settings.NO_SURPRISES_MIN_LEAD_DAYS,
            "ack_days": settings.NO_SURPRISES_ACK_DAYS,
            "can_change": notice_policy.can_change(request.user, notice),
            "can_archive": notice_policy.can_archive(request.user, notice),
        },
    )


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)
    require(notice_policy.can_change(request.user, notice))
    title = str(notice)
    form = NoticeForm(request.POST or None, instance=notice, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.notice_update(
            notice=notice,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda n: f"{n} has been updated.",
        redirect_to=notice_url,
    )
    return done or form_page(
        request,
        form,
        heading="Edit the notice",
        caption=title,
        page_title=f"Edit {title}",
        submit_label="Save changes",
        cancel_url=notice_url(pk),
        crumbs=_crumbs((notice_url(pk), title)),
        section="notices",
    )


@login_required
def notice_archive(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)
    require(notice_policy.can_archive(request.user, notice))
    return archive_page(
        request,
        notice,
        archive=lambda data: services.notice_archive(
            notice=notice, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=notice_url(pk),
        done_url=reverse(LIST),
    )


@login_required
@require_safe
def notice_history(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(user=request.user, pk=pk)
    return history_page(request, obj=notice, back_url=notice_url(pk), back_label=str(notice))


@login_required
@require_safe
def notice_summary(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = SummaryFilterForm(request.GET or None, today=today)
    first, last = form.years()
    body = form.cleaned_data.get("body") if form.is_valid() else None
    quarters = selectors.notice_summary(
        user=request.user, first_year=first, last_year=last, body=body, today=today
    )
    return render(
        request,
        "cooperation/notice_summary.html",
        {
            "page_title": "No-surprises notices by quarter",
            "section": "summary",
            "form": form,
            "quarters": quarters,
            "bodies": sorted(selectors.bodies(), key=lambda b: b.code),
            "span": f"{rules.financial_year_label(first)} to {rules.financial_year_label(last)}",
            "min_lead_days": settings.NO_SURPRISES_MIN_LEAD_DAYS,
            "ack_days": settings.NO_SURPRISES_ACK_DAYS,
        },
        status=400 if form.errors else 200,
    )
