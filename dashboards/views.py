"""Dashboard pages. Each view parses input, calls one selector and renders; what a user may
not see never reaches the page (the selectors go through each app's policies), and a
partnership they may not see is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from . import selectors
from .forms import AreaSortForm


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The user's own dashboard (the rule is selectors.dashboards_for), as "/" is."""
    return redirect(selectors.dashboards_for(request.user).home)


def _render(request: HttpRequest, template: str, section: str, context: dict, status=200):
    context.update(section=section, dashboards=selectors.dashboards_for(request.user))
    return render(request, f"dashboards/{template}", context, status=status)


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "overview.html",
        "overview",
        {"page_title": "Overview", "overview": selectors.overview(user=request.user)},
    )


@login_required
@require_safe
def my_areas(request: HttpRequest) -> HttpResponse:
    form = AreaSortForm(request.GET or None)
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or "overdue"
    return _render(
        request,
        "my_areas.html",
        "my_areas",
        {
            "page_title": "My areas",
            "form": form,
            "sort": sort,
            "sort_label": selectors.AREA_SORT_LABELS[sort],
            "rows": selectors.my_areas(user=request.user, ordering=sort),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_safe
def my_work(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "my_work.html",
        "my_work",
        {"page_title": "My work", "work": selectors.my_work(user=request.user)},
    )


@login_required
@require_safe
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    dashboard = selectors.partnership_dashboard(user=request.user, pk=pk)
    return _render(
        request,
        "partnership.html",
        "partnership",
        {
            "page_title": f"Dashboard: {dashboard.partnership}",
            "dashboard": dashboard,
            "partnership": dashboard.partnership,
        },
    )
