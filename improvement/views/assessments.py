"""Support assessments against the conditions of improvement, and the decisions on the level of
support: recorded, agreed by the lead inspector (which schedules the progress reviews an assisted
or directed level brings) and reopened."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.views import form_status, require, save_or_errors

from .. import rules, selectors, services
from ..forms import AgreeForm, AssessmentForm, DecisionForm, ReopenForm
from ..models import ReviewKind, SupportDecision
from ..policies import assessment_policy, decision_policy, may_assess
from .common import form_page, partnership_crumb, partnership_get

REVIEW_ARRANGEMENT_MESSAGES = (
    services.FORMAL_REVIEW_REQUIRED_MESSAGE,
    services.FORMAL_REVIEW_FUTURE_MESSAGE,
    services.INTERVAL_REQUIRED_MESSAGE,
)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def assessment_url(assessment_or_pk, anchor: str = "") -> str:
    url = reverse(
        "improvement:assessment_detail", args=[getattr(assessment_or_pk, "pk", assessment_or_pk)]
    )
    return f"{url}#{anchor}" if anchor else url


def _assessment_crumbs(assessment) -> list[tuple[str, str]]:
    return [
        partnership_crumb(assessment.partnership),
        (assessment_url(assessment), "Support assessment"),
    ]


def _regime(decision: SupportDecision) -> int | None:
    return rules.needs_reviews(
        decision.level.order, decision.second_level.order if decision.second_level_id else None
    )


def review_arrangements(decision: SupportDecision) -> str:
    """The progress reviews the decided level brings, in words."""
    regime = _regime(decision)
    if regime is None:
        return "None: this level brings no formal progress review."
    when = (
        f"on {long_date(decision.formal_review_on)}"
        if decision.formal_review_on
        else "(date not given yet)"
    )
    text = f"Formal progress review {when}"
    if regime == rules.DIRECTED:
        if decision.monitoring_interval_months:
            months = decision.monitoring_interval_months
            text += f"; formal monitoring every {months} month{'s' if months != 1 else ''}"
        else:
            text += "; formal monitoring (interval not given yet)"
    return text + "."


def reviews_to_schedule(decision: SupportDecision, today: datetime.date) -> list[str]:
    """What agreeing the decision today would schedule (as the service does), for the agree
    page."""
    regime = _regime(decision)
    if regime is None or decision.formal_review_on is None:
        return []
    lines = []
    if regime == rules.DIRECTED and decision.monitoring_interval_months:
        lines += [
            f"{ReviewKind.MONITORING.label} on {long_date(day)}"
            for day in rules.monitoring_dates(
                today, decision.monitoring_interval_months, decision.formal_review_on
            )
        ]
    lines.append(f"{ReviewKind.FORMAL.label} on {long_date(decision.formal_review_on)}")
    return lines


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
        status=form_status(form),
    )


@login_required
def assessment_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    require(may_assess(request.user, partnership))
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
    done = save_or_errors(
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
        decision.arrangements = review_arrangements(decision)
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
    require(assessment_policy.can_change(request.user, assessment))
    form = AssessmentForm(
        request.POST or None,
        partnership=assessment.partnership,
        conditions=selectors.conditions(),
        assessment=assessment,
    )
    done = save_or_errors(
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
    require(decision_policy.can_add(request.user, assessment))
    recommendation = selectors.recommendation(assessment, user=request.user)
    form = DecisionForm(request.POST or None, recommended=recommendation.level)
    done = save_or_errors(
        request,
        form,
        lambda: services.decision_create(
            by=request.user, assessment=assessment, **form.service_kwargs()
        ),
        success="The decision has been recorded as a draft.",
        redirect_to=lambda d: assessment_url(assessment, "decisions"),
    )
    return done or form_page(
        request,
        form,
        heading="Decide the level of support",
        caption=str(assessment),
        intro=_recommendation_intro(recommendation),
        submit_label="Save decision",
        cancel_url=assessment_url(assessment),
        crumbs=_assessment_crumbs(assessment),
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    require(decision_policy.can_change(request.user, decision))
    assessment = decision.assessment
    form = DecisionForm(request.POST or None, decision=decision)
    done = save_or_errors(
        request,
        form,
        lambda: services.decision_update(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            **form.service_kwargs(),
        ),
        success="The decision has been updated.",
        redirect_to=lambda d: assessment_url(assessment, "decisions"),
    )
    return done or form_page(
        request,
        form,
        heading="Change the decision",
        caption=str(assessment),
        intro=_recommendation_intro(selectors.recommendation(assessment, user=request.user)),
        submit_label="Save changes",
        cancel_url=assessment_url(assessment),
        crumbs=_assessment_crumbs(assessment),
    )


@login_required
def decision_agree(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    require(decision_policy.can_agree(request.user, decision))
    form = AgreeForm(request.POST or None, initial={"version": decision.version})
    done = save_or_errors(
        request,
        form,
        lambda: services.decision_agree(
            decision=decision, by=request.user, expected_version=form.cleaned_data["version"]
        ),
        success=_agreed_message,
        redirect_to=lambda d: assessment_url(d.assessment_id, "decisions"),
    )
    if done:
        return done
    # The review arrangements are the decision's fields, not this form's: their errors go at
    # the top of the error summary, and the page says where to give them.
    missing_arrangements = any(
        message in form.non_field_errors() for message in REVIEW_ARRANGEMENT_MESSAGES
    )
    schedule = reviews_to_schedule(decision, timezone.localdate())
    summary_rows = [
        ("Level of support", _level_text(decision)),
        ("Rationale", decision.rationale or "None needed"),
        ("Progress reviews", review_arrangements(decision)),
    ]
    if schedule:
        summary_rows.append(("Agreeing schedules", "\n".join(schedule)))
    return form_page(
        request,
        form,
        template="improvement/decision_agree.html",
        heading="Agree the decision",
        caption=str(decision.assessment),
        intro="Once agreed, the decision is read-only until it is reopened.",
        summary_rows=summary_rows,
        submit_label="Agree decision",
        cancel_url=assessment_url(decision.assessment_id),
        crumbs=_assessment_crumbs(decision.assessment),
        context={
            "missing_arrangements": missing_arrangements,
            "decision_directed": _regime(decision) == rules.DIRECTED,
            "edit_url": (
                reverse("improvement:decision_edit", args=[decision.pk])
                if decision_policy.can_change(request.user, decision)
                else ""
            ),
        },
    )


def _level_text(decision: SupportDecision) -> str:
    if decision.second_level_id:
        return f"{decision.level.name}, between it and {decision.second_level.name.lower()}"
    return decision.level.name


def _agreed_message(decision: SupportDecision) -> str:
    count = decision.progress_reviews.count()
    if not count:
        return "The decision has been agreed."
    return (
        f"The decision has been agreed. {count} progress review{'s have' if count != 1 else ' has'}"
        " been scheduled."
    )


@login_required
def decision_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    require(decision_policy.can_reopen(request.user, decision))
    form = ReopenForm(request.POST or None, initial={"version": decision.version})
    done = save_or_errors(
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
    return done or form_page(
        request,
        form,
        heading="Reopen the decision",
        caption=str(decision.assessment),
        intro=(
            f"{decision}. Reopening returns it to draft and cancels the progress reviews it "
            "scheduled that have not been held."
        ),
        submit_label="Reopen decision",
        cancel_url=assessment_url(decision.assessment_id),
        crumbs=_assessment_crumbs(decision.assessment),
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
