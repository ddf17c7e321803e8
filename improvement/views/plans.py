"""Improvement plans: created for a published inspection, agreed (the date and who agreed it),
then changed only through numbered revisions with a reason; their actions with status changes
and dated progress updates (progress, not revisions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from scrutiny.history import history_page
from scrutiny.views import archive_page, require, save_or_errors

from .. import selectors, services
from ..forms import (
    ActionArchiveForm,
    ActionForm,
    ActionStatusForm,
    ConfirmForm,
    PlanAgreeForm,
    PlanEditForm,
    PlanForm,
    ProgressEditForm,
    ProgressForm,
)
from ..models import ImprovementPlan
from ..policies import action_policy, may_assess, plan_policy, progress_policy
from .common import form_page, partnership_crumb, partnership_get

REVISION_INTRO = (
    "The plan has been agreed: changing the action is a numbered revision of the plan, with "
    "its reason. A change of status alone is progress: use Update status instead."
)


def plan_url(plan_or_pk, anchor: str = "") -> str:
    url = reverse("improvement:plan_detail", args=[getattr(plan_or_pk, "pk", plan_or_pk)])
    return f"{url}#{anchor}" if anchor else url


def _plan_crumbs(plan: ImprovementPlan) -> list[tuple[str, str]]:
    return [partnership_crumb(plan.partnership), (plan_url(plan), plan.title)]


# Plans --------------------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get(request, partnership_pk)
    require(may_assess(request.user, partnership))
    form = PlanForm(
        request.POST or None, inspections=selectors.publishable_inspections(partnership)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not plan_policy.can_add(request.user, partnership, form.cleaned_data["inspection"])
    ):
        form.add_error("inspection", "You may not create a plan for this inspection.")
    done = save_or_errors(
        request,
        form,
        lambda: services.plan_create(by=request.user, partnership=partnership, **form.cleaned_data),
        success="The improvement plan has been created.",
        redirect_to=plan_url,
    )
    return done or form_page(
        request,
        form,
        heading="Create an improvement plan",
        caption=str(partnership),
        intro="Add its actions next, then record when the partnership agreed it.",
        submit_label="Create plan",
        cancel_url=reverse("partnerships:detail", args=[partnership.pk]),
        crumbs=[partnership_crumb(partnership)],
    )


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    today = timezone.localdate()
    can_change = plan_policy.can_change(request.user, plan)
    return render(
        request,
        "improvement/plan_detail.html",
        {
            "page_title": str(plan),
            "plan": plan,
            "rows": [(a, a.is_overdue(today)) for a in plan.actions.all()],
            "revisions": list(plan.revisions.all()),
            "gaps": selectors.plan_gaps(plan),
            "can_change": can_change,
            "can_agree": can_change and not plan.is_agreed,
            "can_archive": plan_policy.can_archive(request.user, plan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require(plan_policy.can_change(request.user, plan))
    form = PlanEditForm(request.POST or None, plan=plan)
    done = save_or_errors(
        request,
        form,
        lambda: services.plan_update(
            plan=plan,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            revision_reason=form.revision_reason(),
        ),
        success="The plan has been updated.",
        redirect_to=plan_url,
    )
    return done or form_page(
        request,
        form,
        heading="Change the plan's title",
        caption=str(plan),
        intro=(
            "The plan has been agreed: changing it is a numbered revision, with its reason."
            if plan.is_agreed
            else ""
        ),
        submit_label="Save changes",
        cancel_url=plan_url(plan),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require(plan_policy.can_change(request.user, plan) and not plan.is_agreed)
    form = PlanAgreeForm(
        request.POST or None, initial={"agreed_on": timezone.localdate(), "version": plan.version}
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.plan_agree(
            plan=plan,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            agreed_on=form.cleaned_data["agreed_on"],
            agreed_by=form.who_agreed(),
        ),
        success="The plan has been recorded as agreed.",
        redirect_to=plan_url,
    )
    return done or form_page(
        request,
        form,
        heading="Agree the plan",
        caption=str(plan),
        intro=(
            "Record when the plan was agreed and who agreed it. Once agreed, the plan and its "
            "actions change only through numbered revisions, each with its reason; progress "
            "and status updates carry on as before."
        ),
        summary_rows=[
            ("Inspection it answers", str(plan.inspection)),
            ("Actions", str(len(plan.actions.all()))),
        ],
        submit_label="Agree the plan",
        cancel_url=plan_url(plan),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def plan_archive(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require(plan_policy.can_archive(request.user, plan))
    return archive_page(
        request,
        plan,
        archive=lambda data: services.plan_archive(
            plan=plan, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=plan_url(plan),
        done_url=reverse("partnerships:detail", args=[plan.partnership_id]),
    )


@login_required
@require_safe
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    return history_page(request, obj=plan, back_url=plan_url(plan), back_label=str(plan))


# Actions ------------------------------------------------------------------------------------


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    require(action_policy.can_add(request.user, plan))
    form = ActionForm(
        request.POST or None, findings=selectors.answerable_findings(plan.inspection), plan=plan
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.action_create(
            by=request.user,
            plan=plan,
            findings=form.cleaned_data["findings"],
            revision_reason=form.revision_reason(),
            **form.changes(),
        ),
        success="The action has been added.",
        redirect_to=lambda a: plan_url(plan, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Add an action",
        caption=str(plan),
        intro=(
            "The plan has been agreed: adding an action is a numbered revision of it."
            if plan.is_agreed
            else ""
        ),
        submit_label="Add action",
        cancel_url=plan_url(plan),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_change(request.user, action))
    plan = action.plan
    form = ActionForm(
        request.POST or None,
        findings=selectors.answerable_findings(plan.inspection),
        plan=plan,
        action=action,
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.action_update(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data.get("version"),
            changes=form.changes(),
            findings=form.cleaned_data["findings"],
            revision_reason=form.revision_reason(),
        ),
        success="The action has been updated.",
        redirect_to=lambda a: plan_url(plan, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Change the action",
        caption=str(plan),
        intro=REVISION_INTRO if plan.is_agreed else "",
        submit_label="Save changes",
        cancel_url=plan_url(plan, "actions"),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_change(request.user, action))
    plan = action.plan
    form = ActionStatusForm(
        request.POST or None, initial={"status": action.status, "version": action.version}
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.action_update(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes={"status": form.cleaned_data["status"]},
        ),
        success=lambda a: f"The action's status is now {a.get_status_display().lower()}.",
        redirect_to=lambda a: plan_url(plan, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Update the action's status",
        caption=str(plan),
        summary_rows=[
            ("Action", action.description),
            ("Owner", f"{action.owner_name}, {action.owner_organisation}"),
            ("Due", f"{action.due_on.day} {action.due_on:%B %Y}"),
        ],
        submit_label="Update status",
        cancel_url=plan_url(plan, "actions"),
        crumbs=_plan_crumbs(plan),
    )


@login_required
def action_archive(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_archive(request.user, action))
    plan = action.plan
    form = ActionArchiveForm(request.POST or None, plan=plan, initial={"version": action.version})
    return archive_page(
        request,
        action,
        form=form,
        archive=lambda data: services.action_archive(
            action=action,
            by=request.user,
            expected_version=data["version"],
            revision_reason=form.revision_reason(),
        ),
        back_url=plan_url(plan, "actions"),
        done_url=plan_url(plan, "actions"),
    )


@login_required
@require_safe
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    return history_page(
        request, obj=action, back_url=plan_url(action.plan_id), back_label=str(action.plan)
    )


# Progress updates ---------------------------------------------------------------------------


@login_required
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_change(request.user, action))
    form = ProgressForm(request.POST or None, initial={"updated_on": timezone.localdate()})
    done = save_or_errors(
        request,
        form,
        lambda: services.progress_add(by=request.user, action=action, **form.cleaned_data),
        success="The progress update has been recorded.",
        redirect_to=lambda u: plan_url(action.plan_id, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Record progress",
        caption=str(action),
        submit_label="Save update",
        cancel_url=plan_url(action.plan_id, "actions"),
        crumbs=_plan_crumbs(action.plan),
    )


@login_required
def progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.progress_get(user=request.user, pk=pk)
    require(progress_policy.can_change(request.user, update))
    action = update.action
    form = ProgressEditForm(request.POST or None, instance=update)
    done = save_or_errors(
        request,
        form,
        lambda: services.progress_update(
            update=update,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **form.changes(),
        ),
        success="The progress update has been changed.",
        redirect_to=lambda u: plan_url(action.plan_id, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Change the progress update",
        caption=str(action),
        submit_label="Save changes",
        cancel_url=plan_url(action.plan_id, "actions"),
        crumbs=_plan_crumbs(action.plan),
    )


@login_required
def progress_archive(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.progress_get(user=request.user, pk=pk)
    require(progress_policy.can_archive(request.user, update))
    form = ConfirmForm(request.POST or None, initial={"version": update.version})
    return archive_page(
        request,
        update,
        form=form,
        archive=lambda data: services.progress_archive(
            update=update, by=request.user, expected_version=data["version"]
        ),
        back_url=plan_url(update.action.plan_id, "actions"),
        done_url=plan_url(update.action.plan_id, "actions"),
    )


@login_required
@require_safe
def progress_history(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.progress_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=update,
        back_url=plan_url(update.action.plan_id, "actions"),
        back_label=str(update.action.plan),
    )
