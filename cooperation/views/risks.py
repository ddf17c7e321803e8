"""The joint risk register: risks with their derived rating, and the mitigations the bodies
agree jointly."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import archive_page, iso, list_page, require, save_or_errors

from .. import rules, selectors, services
from ..forms import MitigationCreateForm, MitigationForm, RiskCreateForm, RiskFilterForm, RiskForm
from ..policies import mitigation_policy, risk_policy
from .common import form_page

LIST = "cooperation:risk_list"


def risk_url(risk_or_pk, anchor: str = "") -> str:
    url = reverse("cooperation:risk_detail", args=[getattr(risk_or_pk, "pk", risk_or_pk)])
    return f"{url}#{anchor}" if anchor else url


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(reverse(LIST), "Shared risks"), *extra]


def _with_band(rows, today):
    rows = list(rows)
    for risk in rows:
        risk.band = rules.risk_band(risk.rating)
        risk.review_due = risk.status == "open" and risk.review_on <= today
    return rows


@login_required
@require_safe
def risk_list(request: HttpRequest) -> HttpResponse:
    form = RiskFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    return list_page(
        request,
        template="cooperation/risk_list.html",
        form=form,
        queryset=selectors.risk_list(user=request.user, today=today, **form.selector_kwargs()),
        csv_name="shared-risks",
        csv_header=[
            "Risk",
            "Owner",
            "Raised by",
            "Likelihood",
            "Impact",
            "Rating",
            "Band",
            "Review date",
            "Status",
            "Open mitigations",
        ],
        csv_row=lambda r: [
            r.title,
            r.owner_body.name,
            r.raised_by.name,
            r.likelihood,
            r.impact,
            r.rating,
            r.band.label,
            iso(r.review_on),
            r.get_status_display(),
            r.open_mitigations,
        ],
        decorate=lambda rows: _with_band(rows, today),
        context={
            "page_title": "Shared risks",
            "section": "risks",
            "can_add": risk_policy.can_add(request.user),
        },
    )


@login_required
def risk_create(request: HttpRequest) -> HttpResponse:
    require(risk_policy.can_add(request.user))
    form = RiskCreateForm(request.POST or None, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.risk_create(by=request.user, **form.changes()),
        success=lambda r: f"{r} has been added to the joint risk register.",
        redirect_to=risk_url,
    )
    return done or form_page(
        request,
        form,
        heading="Add a shared risk",
        intro="A risk that affects both bodies. Its rating is likelihood times impact.",
        submit_label="Add risk",
        cancel_url=reverse(LIST),
        crumbs=_crumbs(),
        section="risks",
    )


@login_required
@require_safe
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    today = timezone.localdate()
    _with_band([risk], today)
    is_open = risk.archived_at is None
    return render(
        request,
        "cooperation/risk_detail.html",
        {
            "page_title": str(risk),
            "section": "risks",
            "risk": risk,
            "mitigations": list(risk.mitigations.all()),
            "meetings": list(risk.meetings.all()),
            "can_change": risk_policy.can_change(request.user, risk),
            "can_archive": risk_policy.can_archive(request.user, risk),
            "can_add_mitigation": mitigation_policy.can_add(request.user) and is_open,
            "can_change_mitigations": mitigation_policy.can_change(request.user) and is_open,
        },
    )


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    require(risk_policy.can_change(request.user, risk))
    title = str(risk)
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.risk_update(
            risk=risk,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda r: f"{r} has been updated.",
        redirect_to=risk_url,
    )
    return done or form_page(
        request,
        form,
        heading="Edit the risk",
        caption=title,
        page_title=f"Edit {title}",
        submit_label="Save changes",
        cancel_url=risk_url(pk),
        crumbs=_crumbs((risk_url(pk), title)),
        section="risks",
    )


@login_required
def risk_archive(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    require(risk_policy.can_archive(request.user, risk))
    return archive_page(
        request,
        risk,
        archive=lambda data: services.risk_archive(
            risk=risk, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=risk_url(pk),
        done_url=reverse(LIST),
    )


@login_required
@require_safe
def risk_history(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    return history_page(request, obj=risk, back_url=risk_url(pk), back_label=str(risk))


@login_required
def mitigation_create(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(user=request.user, pk=pk)
    require(mitigation_policy.can_add(request.user) and risk.archived_at is None)
    form = MitigationCreateForm(request.POST or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.mitigation_create(risk=risk, by=request.user, **form.changes()),
        success=lambda m: "The mitigation has been added.",
        redirect_to=lambda m: risk_url(pk, "mitigations"),
    )
    return done or form_page(
        request,
        form,
        heading="Add a mitigation",
        caption=str(risk),
        intro="A mitigation both bodies have agreed, with its owner and dates.",
        submit_label="Add mitigation",
        cancel_url=risk_url(pk, "mitigations"),
        crumbs=_crumbs((risk_url(pk), str(risk))),
        section="risks",
    )


@login_required
def mitigation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mitigation = selectors.mitigation_get(user=request.user, pk=pk)
    require(mitigation_policy.can_change(request.user, mitigation))
    risk = mitigation.risk
    form = MitigationForm(request.POST or None, instance=mitigation)
    done = save_or_errors(
        request,
        form,
        lambda: services.mitigation_update(
            mitigation=mitigation,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda m: "The mitigation has been updated.",
        redirect_to=lambda m: risk_url(risk, "mitigations"),
    )
    return done or form_page(
        request,
        form,
        heading="Edit the mitigation",
        caption=str(risk),
        submit_label="Save changes",
        cancel_url=risk_url(risk, "mitigations"),
        crumbs=_crumbs((risk_url(risk), str(risk))),
        section="risks",
    )


@login_required
def mitigation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    mitigation = selectors.mitigation_get(user=request.user, pk=pk)
    require(mitigation_policy.can_archive(request.user, mitigation))
    return archive_page(
        request,
        mitigation,
        archive=lambda data: services.mitigation_archive(
            mitigation=mitigation,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        back_url=risk_url(mitigation.risk_id, "mitigations"),
        done_url=risk_url(mitigation.risk_id, "mitigations"),
    )


@login_required
@require_safe
def mitigation_history(request: HttpRequest, pk: int) -> HttpResponse:
    mitigation = selectors.mitigation_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=mitigation,
        back_url=risk_url(mitigation.risk_id, "mitigations"),
        back_label=str(mitigation.risk),
    )
