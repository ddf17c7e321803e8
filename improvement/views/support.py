"""Improvement support commissioned for a partnership: what, from which provider, for which
plan, when, its status and outcome."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import archive_page, iso, list_page, require, save_or_errors

from .. import selectors, services
from ..forms import ConfirmForm, SupportCreateForm, SupportFilterForm, SupportForm
from ..models import ImprovementSupport
from ..policies import may_assess, support_policy
from .common import form_page, partnership_crumb, partnership_get

NOT_YOURS_MESSAGE = (
    "You may record support only for a plan that answers an inspection you are on, unless you "
    "are the partnership's link inspector."
)


def support_url(support_or_pk) -> str:
    return reverse("improvement:support_detail", args=[getattr(support_or_pk, "pk", support_or_pk)])


def support_list_url(partnership_or_pk) -> str:
    pk = getattr(partnership_or_pk, "pk", partnership_or_pk)
    return reverse("improvement:support_list", args=[pk])


def _list_crumbs(partnership) -> list[tuple[str, str]]:
    return [partnership_crumb(partnership), (support_list_url(partnership), "Improvement support")]


def _support_crumbs(support: ImprovementSupport) -> list[tuple[str, str]]:
    return [*_list_crumbs(support.partnership), (support_url(support), str(support))]


@login_required
@require_safe
def support_list(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    form = SupportFilterForm(request.GET or None)
    queryset = selectors.support_list(
        user=request.user, partnership=partnership, **form.selector_kwargs()
    ).order_by("-pk")
    return list_page(
        request,
        template="improvement/support_list.html",
        form=form,
        queryset=queryset,
        csv_name=f"improvement-support-{partnership.pk}",
        csv_header=[
            "Provider",
            "Support",
            "Improvement plan",
            "Start date",
            "End date",
            "Status",
            "Outcome",
        ],
        csv_row=lambda s: [
            s.provider.name,
            s.description,
            s.plan.title if s.plan_id else "",
            iso(s.starts_on),
            iso(s.ends_on),
            s.get_status_display(),
            s.outcome,
        ],
        context={
            "page_title": f"Improvement support: {partnership}",
            "partnership": partnership,
            "crumbs": [partnership_crumb(partnership)],
            "can_add": may_assess(request.user, partnership),
        },
    )


@login_required
def support_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    require(may_assess(request.user, partnership))
    plans = selectors.plan_list(user=request.user, partnership=partnership)
    form = SupportCreateForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data.get("plan")
        if not support_policy.can_add(
            request.user, partnership, plan.inspection if plan is not None else None
        ):
            form.add_error("plan", NOT_YOURS_MESSAGE)
    done = save_or_errors(
        request,
        form,
        lambda: services.support_create(by=request.user, partnership=partnership, **form.changes()),
        success="The improvement support has been recorded.",
        redirect_to=support_url,
    )
    return done or form_page(
        request,
        form,
        heading="Record improvement support",
        caption=str(partnership),
        intro="Support for the partnership's improvement from a national body or network.",
        submit_label="Save support",
        cancel_url=support_list_url(partnership),
        crumbs=_list_crumbs(partnership),
    )


@login_required
@require_safe
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.support_get(user=request.user, pk=pk)
    return render(
        request,
        "improvement/support_detail.html",
        {
            "page_title": f"{support}: {support.partnership}",
            "support": support,
            "crumbs": _list_crumbs(support.partnership),
            "can_change": support_policy.can_change(request.user, support),
            "can_archive": support_policy.can_archive(request.user, support),
        },
    )


@login_required
def support_edit(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.support_get(user=request.user, pk=pk)
    require(support_policy.can_change(request.user, support))
    plans = selectors.plan_list(user=request.user, partnership=support.partnership_id)
    # The form fills in a copy, so the service sees the support as it was (its provider).
    form = SupportForm(request.POST or None, instance=copy.copy(support), plans=plans)
    done = save_or_errors(
        request,
        form,
        lambda: services.support_update(
            support=support,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success="The improvement support has been updated.",
        redirect_to=support_url,
    )
    return done or form_page(
        request,
        form,
        heading="Change the improvement support",
        caption=str(support.partnership),
        submit_label="Save changes",
        cancel_url=support_url(support),
        crumbs=_support_crumbs(support),
    )


@login_required
def support_archive(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.support_get(user=request.user, pk=pk)
    require(support_policy.can_archive(request.user, support))
    form = ConfirmForm(request.POST or None, initial={"version": support.version})
    return archive_page(
        request,
        support,
        form=form,
        archive=lambda data: services.support_archive(
            support=support, by=request.user, expected_version=data["version"]
        ),
        back_url=support_url(support),
        done_url=support_list_url(support.partnership_id),
    )


@login_required
@require_safe
def support_history(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.support_get(user=request.user, pk=pk)
    return history_page(
        request, obj=support, back_url=support_url(support), back_label=str(support)
    )
