"""Escalations: the list with ages and overdue states, raising one, its steps through the
levels (to the next level only), and resolving or withdrawing it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import archive_page, iso, list_page, require, save_or_errors

from .. import selectors, services
from ..forms import (
    EscalateForm,
    EscalationCreateForm,
    EscalationFilterForm,
    EscalationForm,
    ResolveForm,
    StepForm,
    WithdrawForm,
)
from ..models import EscalationLevel, EscalationStatus, EscalationStep
from ..policies import escalation_policy
from .common import form_page

LIST = "cooperation:escalation_list"


def escalation_url(escalation_or_pk) -> str:
    pk = getattr(escalation_or_pk, "pk", escalation_or_pk)
    return reverse("cooperation:escalation_detail", args=[pk])


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(reverse(LIST), "Escalations"), *extra]


def _escalation_row(e) -> list:
    return [
        e.subject,
        e.raised_by.name,
        iso(e.raised_on),
        e.get_level_display(),
        e.current_held_by or "",
        iso(e.current_target_on),
        e.get_status_display(),
        e.state.age,
        "yes" if e.state.overdue else "no",
        iso(e.resolved_on),
        e.resolution,
    ]


@login_required
@require_safe
def escalation_list(request: HttpRequest) -> HttpResponse:
    form = EscalationFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    return list_page(
        request,
        template="cooperation/escalation_list.html",
        form=form,
        queryset=selectors.escalation_list(
            user=request.user, today=today, **form.selector_kwargs()
        ),
        csv_name="escalations",
        csv_header=[
            "Subject",
            "Raised by",
            "Date raised",
            "Level",
            "Held by",
            "Target date",
            "Status",
            "Age (days)",
            "Overdue",
            "Date resolved or withdrawn",
            "Resolution",
        ],
        csv_row=_escalation_row,
        decorate=lambda rows: selectors.with_state(rows, today),
        context={
            "page_title": "Escalations",
            "section": "escalations",
            "can_add": escalation_policy.can_add(request.user),
        },
    )


@login_required
def escalation_create(request: HttpRequest) -> HttpResponse:
    require(escalation_policy.can_add(request.user))
    form = EscalationCreateForm(request.POST or None, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.escalation_raise(by=request.user, **form.cleaned_data),
        success=lambda e: f"{e} has been raised with the relevant senior managers.",
        redirect_to=escalation_url,
        versioned=False,
    )
    return done or form_page(
        request,
        form,
        heading="Raise an escalation",
        intro=(
            "A disagreement starts with the relevant senior managers. If they cannot resolve "
            "it, it goes to the directors and then to the chief executives."
        ),
        submit_label="Raise escalation",
        cancel_url=reverse(LIST),
        crumbs=_crumbs(),
        section="escalations",
    )


def _step_form(escalation, data=None) -> EscalateForm | None:
    """The form to escalate to the next level, or None at the top or once closed."""
    if escalation.status != EscalationStatus.OPEN or escalation.archived_at is not None:
        return None
    following = EscalationLevel(escalation.level).next_level
    if following is None:
        return None
    form = EscalateForm(
        data,
        initial={"version": escalation.version, "level": following.value},
        auto_id="id_step_%s",
    )
    form.level_label = following.label
    return form


def _render_detail(request, escalation, step_form=None, status: int = 200) -> HttpResponse:
    escalation.state = selectors.escalation_state(escalation, timezone.localdate())
    can_change = escalation_policy.can_change(request.user, escalation)
    is_open = escalation.status == EscalationStatus.OPEN and escalation.archived_at is None
    step_form = step_form or (_step_form(escalation) if can_change else None)
    steps = list(escalation.steps.all())
    return render(
        request,
        "cooperation/escalation_detail.html",
        {
            "page_title": str(escalation),
            "section": "escalations",
            "escalation": escalation,
            "steps": steps,
            "current_step": next((s for s in steps if s.level == escalation.level), None),
            "levels": list(EscalationLevel),
            "other_body": selectors.other_body(escalation.raised_by),
            "step_form": step_form,
            "form": step_form if status == 400 else None,  # the error summary
            "can_change": can_change,
            "is_open": is_open,
            "can_archive": escalation_policy.can_archive(request.user, escalation),
        },
        status=status,
    )


@login_required
@require_safe
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.escalation_get(user=request.user, pk=pk))


@login_required
def escalation_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    require(escalation_policy.can_change(request.user, escalation))
    form = _step_form(escalation, request.POST or None)
    if form is None:
        raise Http404
    if request.method != "POST":
        return _render_detail(request, escalation)
    done = save_or_errors(
        request,
        form,
        lambda: services.escalation_escalate(
            escalation=escalation,
            by=request.user,
            to_level=form.cleaned_data["level"],
            reached_on=form.cleaned_data["reached_on"],
            held_by=form.cleaned_data["held_by"],
            target_on=form.cleaned_data["target_on"],
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
        ),
        success=lambda e: f"{e} has been escalated to the {e.get_level_display().lower()}.",
        redirect_to=escalation_url,
        versioned=False,
    )
    return done or _render_detail(
        request, selectors.escalation_get(user=request.user, pk=pk), form, status=400
    )


@login_required
def escalation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    require(escalation_policy.can_change(request.user, escalation))
    title = str(escalation)
    form = EscalationForm(request.POST or None, instance=escalation)
    done = save_or_errors(
        request,
        form,
        lambda: services.escalation_update(
            escalation=escalation,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda e: f"{e} has been updated.",
        redirect_to=escalation_url,
    )
    return done or form_page(
        request,
        form,
        heading="Edit the escalation",
        caption=title,
        page_title=f"Edit {title}",
        submit_label="Save changes",
        cancel_url=escalation_url(pk),
        crumbs=_crumbs((escalation_url(pk), title)),
        section="escalations",
    )


@login_required
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    require(escalation_policy.can_change(request.user, escalation))
    step = _step_or_404(escalation, step_pk)
    if escalation.status != EscalationStatus.OPEN or step.level != escalation.level:
        raise Http404  # only the current step of an open escalation changes
    form = StepForm(request.POST or None, instance=step)
    done = save_or_errors(
        request,
        form,
        lambda: services.escalation_step_update(
            step=step,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda s: f"The step with the {s.get_level_display().lower()} has been updated.",
        redirect_to=lambda s: escalation_url(pk),
    )
    return done or form_page(
        request,
        form,
        heading=f"Change the step: {step.get_level_display()}",
        caption=str(escalation),
        submit_label="Save changes",
        cancel_url=escalation_url(pk),
        crumbs=_crumbs((escalation_url(pk), str(escalation))),
        section="escalations",
    )


def _step_or_404(escalation, step_pk: int) -> EscalationStep:
    step = next((s for s in escalation.steps.all() if s.pk == step_pk), None)
    if step is None:
        raise Http404
    step.escalation = escalation
    return step


@login_required
@require_safe
def step_history(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    step = _step_or_404(escalation, step_pk)
    return history_page(request, obj=step, back_url=escalation_url(pk), back_label=str(escalation))


def _close_page(request, pk: int, *, withdraw: bool) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    require(escalation_policy.can_change(request.user, escalation))
    if escalation.status != EscalationStatus.OPEN or escalation.archived_at is not None:
        raise Http404
    form_class = WithdrawForm if withdraw else ResolveForm
    form = form_class(request.POST or None, initial={"version": escalation.version})
    if withdraw:

        def write():
            return services.escalation_withdraw(
                escalation=escalation,
                by=request.user,
                reason=form.cleaned_data["reason"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                expected_version=form.cleaned_data["version"],
            )
    else:

        def write():
            return services.escalation_resolve(
                escalation=escalation,
                by=request.user,
                resolution=form.cleaned_data["resolution"],
                resolved_on=form.cleaned_data["resolved_on"],
                expected_version=form.cleaned_data["version"],
            )

    done = save_or_errors(
        request,
        form,
        write,
        success=lambda e: f"{e} has been {e.get_status_display().lower()}.",
        redirect_to=escalation_url,
        versioned=False,
    )
    return done or form_page(
        request,
        form,
        heading="Withdraw the escalation" if withdraw else "Record the resolution",
        caption=str(escalation),
        submit_label="Withdraw escalation" if withdraw else "Mark resolved",
        secondary=withdraw,
        cancel_url=escalation_url(pk),
        crumbs=_crumbs((escalation_url(pk), str(escalation))),
        section="escalations",
    )


@login_required
def escalation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _close_page(request, pk, withdraw=False)


@login_required
def escalation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _close_page(request, pk, withdraw=True)


@login_required
def escalation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    require(escalation_policy.can_archive(request.user, escalation))
    return archive_page(
        request,
        escalation,
        archive=lambda data: services.escalation_archive(
            escalation=escalation,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        back_url=escalation_url(pk),
        done_url=reverse(LIST),
    )


@login_required
@require_safe
def escalation_history(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = selectors.escalation_get(user=request.user, pk=pk)
    return history_page(
        request, obj=escalation, back_url=escalation_url(pk), back_label=str(escalation)
    )
