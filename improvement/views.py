"""Support assessment and decision pages. Each view parses input, checks permission through
the policies, calls one service or selector, and renders or redirects. A record the user may not
see is a 404; a form they may not use is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny.forms import add_service_error
from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError

from . import selectors, services
from .forms import (
    ActionForm,
    AgreeForm,
    AssessmentForm,
    DecisionForm,
    PlanForm,
    ProgressForm,
    ReopenForm,
)
from .policies import (
    action_policy,
    assessment_policy,
    decision_policy,
    may_assess,
    plan_policy,
)

FORM_PAGE = "improvement/form_page.html"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _status(form) -> int:
    return 400 if form.errors else 200


def assessment_url(assessment_or_pk, anchor: str = "") -> str:
    url = reverse(
        "improvement:assessment_detail", args=[getattr(assessment_or_pk, "pk", assessment_or_pk)]
    )
    return f"{url}#{anchor}" if anchor else url


def _run(request, form, write, *, success: str, redirect_to) -> HttpResponse | None:
    """Call the service for a valid POST; None to re-render the form with its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ConflictError as exc:
        form.add_error(None, exc.message)
        data = form.data.copy()
        data["version"] = exc.current.version
        form.data = data
    except ValidationError as exc:
        add_service_error(form, exc)
    else:
        messages.success(request, success)
        return redirect(redirect_to(result))
    return None


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    return partnership_policy.get_visible_or_404(request.user, Partnership.objects.all(), pk=pk)


# Assessments --------------------------------------------------------------------------------


@login_required
@require_safe
def assessment_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.assessment_list(
        user=request.user, include_archived=request.GET.get("archived") == "true"
    )
    pagination = paginate(request, qs)
    rows = list(pagination.page.object_list)
    recs = selectors.recommendations(rows, user=request.user)
    return render(
        request,
        "improvement/assessment_list.html",
        {
            "page_title": "Support assessments",
            "pagination": pagination,
            "rows": [(a, recs[a.pk]) for a in rows],
        },
    )


def _assessment_form_page(request, form, *, partnership, heading, submit_label, cancel_url):
    return render(
        request,
        "improvement/assessment_form.html",
        {
            "page_title": heading,
            "heading": heading,
            "partnership": partnership,
            "form": form,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
        },
        status=_status(form),
    )


@login_required
def assessment_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = _partnership(request, partnership_pk)
    _require(may_assess(request.user, partnership))
    form = AssessmentForm(
        request.POST or None,
        partnership=partnership,
        conditions=selectors.conditions(),
        initial={"assessed_on": timezone.localdate()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not assessment_policy.can_add(
            request.user, partnership, form.cleaned_data.get("inspection")
        )
    ):
        form.add_error("inspection", "You may not record an assessment for this inspection.")
    done = _run(
        request,
        form,
        lambda: services.assessment_create(
            by=request.user,
            partnership=partnership,
            judgements=form.judgements(),
            **form.changes(),
        ),
        success="The assessment has been recorded.",
        redirect_to=assessment_url,
    )
    return done or _assessment_form_page(
        request,
        form,
        partnership=partnership,
        heading="Assess the conditions of improvement",
        submit_label="Save assessment",
        cancel_url=reverse("partnerships:detail", args=[partnership.pk]),
    )


@login_required
@require_safe
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    recommendation = selectors.recommendation(assessment, user=request.user)
    judgements = {j.criterion_id: j for j in assessment.judgements.all()}
    conditions = [
        (result, [(c, judgements.get(c.pk)) for c in result.condition.criteria.all()])
        for result in recommendation.conditions
    ]
    decisions = list(selectors.decision_list(user=request.user, assessment=assessment))
    for decision in decisions:
        decision.can_change = decision_policy.can_change(request.user, decision)
        decision.can_agree = decision_policy.can_agree(request.user, decision)
        decision.can_reopen = decision_policy.can_reopen(request.user, decision)
    can_change = assessment_policy.can_change(request.user, assessment)
    return render(
        request,
        "improvement/assessment_detail.html",
        {
            "page_title": str(assessment),
            "assessment": assessment,
            "recommendation": recommendation,
            "conditions": conditions,
            "decisions": decisions,
            "can_change": can_change,
            "can_decide": decision_policy.can_add(request.user, assessment),
        },
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    _require(assessment_policy.can_change(request.user, assessment))
    form = AssessmentForm(
        request.POST or None,
        partnership=assessment.partnership,
        conditions=selectors.conditions(),
        assessment=assessment,
    )
    done = _run(
        request,
        form,
        lambda: services.assessment_update(
            assessment=assessment,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=form.changes(),
            judgements=form.judgements(),
        ),
        success="The assessment has been updated.",
        redirect_to=assessment_url,
    )
    return done or _assessment_form_page(
        request,
        form,
        partnership=assessment.partnership,
        heading="Change the assessment",
        submit_label="Save changes",
        cancel_url=assessment_url(assessment),
    )


@login_required
@require_safe
def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    return history_page(
        request, obj=assessment, back_url=assessment_url(assessment), back_label=str(assessment)
    )


# Decisions ----------------------------------------------------------------------------------


def _form_page(request, form, *, heading, caption, submit_label, cancel_url, intro=""):
    return render(
        request,
        FORM_PAGE,
        {
            "page_title": heading,
            "heading": heading,
            "caption": caption,
            "form": form,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
        },
        status=_status(form),
    )


def _recommendation_intro(recommendation) -> str:
    if recommendation.level is None:
        return ""
    text = f"The conditions recommend {recommendation.level.name.lower()}."
    if recommendation.differs:
        text += " " + recommendation.disagreement
    return text


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    _require(decision_policy.can_add(request.user, assessment))
    recommendation = selectors.recommendation(assessment, user=request.user)
    form = DecisionForm(request.POST or None, recommended=recommendation.level)
    done = _run(
        request,
        form,
        lambda: services.decision_create(
            by=request.user,
            assessment=assessment,
            level=form.cleaned_data["level"],
            second_level=form.cleaned_data.get("second_level"),
            rationale=form.cleaned_data.get("rationale", ""),
        ),
        success="The decision has been recorded as a draft.",
        redirect_to=lambda d: assessment_url(assessment, "decisions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Decide the level of support",
        caption=str(assessment),
        intro=_recommendation_intro(recommendation),
        submit_label="Save decision",
        cancel_url=assessment_url(assessment),
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    _require(decision_policy.can_change(request.user, decision))
    assessment = decision.assessment
    form = DecisionForm(request.POST or None, decision=decision)
    done = _run(
        request,
        form,
        lambda: services.decision_update(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            level=form.cleaned_data["level"],
            second_level=form.cleaned_data.get("second_level"),
            rationale=form.cleaned_data.get("rationale", ""),
        ),
        success="The decision has been updated.",
        redirect_to=lambda d: assessment_url(assessment, "decisions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Change the decision",
        caption=str(assessment),
        intro=_recommendation_intro(selectors.recommendation(assessment, user=request.user)),
        submit_label="Save changes",
        cancel_url=assessment_url(assessment),
    )


@login_required
def decision_agree(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    _require(decision_policy.can_agree(request.user, decision))
    form = AgreeForm(request.POST or None, initial={"version": decision.version})
    done = _run(
        request,
        form,
        lambda: services.decision_agree(
            decision=decision, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        success="The decision has been agreed.",
        redirect_to=lambda d: assessment_url(d.assessment_id, "decisions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Agree the decision",
        caption=str(decision.assessment),
        intro=f"{decision}. Once agreed it is read-only until it is reopened.",
        submit_label="Agree decision",
        cancel_url=assessment_url(decision.assessment_id),
    )


@login_required
def decision_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    _require(decision_policy.can_reopen(request.user, decision))
    form = ReopenForm(request.POST or None, initial={"version": decision.version})
    done = _run(
        request,
        form,
        lambda: services.decision_reopen(
            decision=decision,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        success="The decision has been reopened as a draft.",
        redirect_to=lambda d: assessment_url(d.assessment_id, "decisions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Reopen the decision",
        caption=str(decision.assessment),
        intro=f"{decision}. Reopening returns it to draft.",
        submit_label="Reopen decision",
        cancel_url=assessment_url(decision.assessment_id),
    )


@login_required
@require_safe
def decision_history(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=decision,
        back_url=assessment_url(decision.assessment_id, "decisions"),
        back_label=str(decision.assessment),
    )


# Improvement plans --------------------------------------------------------------------------


def plan_url(plan_or_pk, anchor: str = "") -> str:
    url = reverse("improvement:plan_detail", args=[getattr(plan_or_pk, "pk", plan_or_pk)])
    return f"{url}#{anchor}" if anchor else url


@login_required
def plan_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = _partnership(request, partnership_pk)
    _require(may_assess(request.user, partnership))
    form = PlanForm(
        request.POST or None, inspections=selectors.publishable_inspections(partnership)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not plan_policy.can_add(request.user, partnership, form.cleaned_data["inspection"])
    ):
        form.add_error("inspection", "You may not create a plan for this inspection.")
    done = _run(
        request,
        form,
        lambda: services.plan_create(by=request.user, partnership=partnership, **form.cleaned_data),
        success="The improvement plan has been created.",
        redirect_to=plan_url,
    )
    return done or _form_page(
        request,
        form,
        heading="Create an improvement plan",
        caption=str(partnership),
        submit_label="Create plan",
        cancel_url=reverse("partnerships:detail", args=[partnership.pk]),
    )


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    today = timezone.localdate()
    actions = list(plan.actions.all())
    can_change = plan_policy.can_change(request.user, plan)
    return render(
        request,
        "improvement/plan_detail.html",
        {
            "page_title": str(plan),
            "plan": plan,
            "rows": [(a, a.is_overdue(today)) for a in actions],
            "gaps": selectors.plan_gaps(plan),
            "can_change": can_change,
        },
    )


@login_required
@require_safe
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    return history_page(request, obj=plan, back_url=plan_url(plan), back_label=str(plan))


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    _require(action_policy.can_add(request.user, plan))
    form = ActionForm(request.POST or None, findings=selectors.answerable_findings(plan.inspection))
    done = _run(
        request,
        form,
        lambda: services.action_create(
            by=request.user, plan=plan, findings=form.cleaned_data["findings"], **form.changes()
        ),
        success="The action has been added.",
        redirect_to=lambda a: plan_url(plan, "actions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Add an action",
        caption=str(plan),
        submit_label="Add action",
        cancel_url=plan_url(plan),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    _require(action_policy.can_change(request.user, action))
    plan = action.plan
    form = ActionForm(
        request.POST or None,
        findings=selectors.answerable_findings(plan.inspection),
        action=action,
    )
    done = _run(
        request,
        form,
        lambda: services.action_update(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=form.changes(),
            findings=form.cleaned_data["findings"],
        ),
        success="The action has been updated.",
        redirect_to=lambda a: plan_url(plan, "actions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Change the action",
        caption=str(plan),
        submit_label="Save changes",
        cancel_url=plan_url(plan),
    )


@login_required
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    _require(action_policy.can_change(request.user, action))
    form = ProgressForm(request.POST or None, initial={"updated_on": timezone.localdate()})
    done = _run(
        request,
        form,
        lambda: services.progress_add(by=request.user, action=action, **form.cleaned_data),
        success="The progress update has been recorded.",
        redirect_to=lambda u: plan_url(action.plan_id, "actions"),
    )
    return done or _form_page(
        request,
        form,
        heading="Record progress",
        caption=str(action),
        submit_label="Save update",
        cancel_url=plan_url(action.plan_id),
    )


@login_required
@require_safe
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    return history_page(
        request, obj=action, back_url=plan_url(action.plan_id), back_label=str(action.plan)
    )
