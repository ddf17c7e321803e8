"""Report pages: findings, evaluations with moderation, the factual accuracy log and the
published version. Each view parses input, checks permission through the report's policies,
calls one service or selector, and renders or redirects. Drafts are a 404 for anyone who may
not read the inspection's unpublished work; what was published is read by everyone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from scrutiny.forms import add_service_error
from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError
from scrutiny.views import csv_download, csv_url, form_status

from .. import lifecycle
from .. import selectors as inspection_selectors
from ..models import PUBLISHED_STATUSES, EvaluationStage, Finding, FindingStatus, Inspection
from ..policies import inspection_policy
from . import figures, policies, selectors, services
from .forms import (
    STEP_FORMS,
    CommentArchiveForm,
    CorrectionForm,
    FactualAccuracyCommentCreateForm,
    FactualAccuracyCommentForm,
    FactualAccuracyResponseForm,
    FindingArchiveForm,
    FindingCreateForm,
    FindingFilterForm,
    FindingForm,
    VersionForm,
)

FORM_PAGE = "inspections/form_page.html"
CSV_COLUMNS = [
    "Kind",
    "Finding",
    "Quality indicators",
    "National outcomes",
    "Record-reading questions cited",
    "Status",
    "Drafted by",
    "Agreed by",
    "Agreed on",
]


def _is_open(inspection: Inspection) -> bool:
    return inspection.archived_at is None and inspection.status not in lifecycle.TERMINAL


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    return inspection_selectors.inspection_get(user=request.user, pk=pk)


def _drafts_or_404(request: HttpRequest, pk: int) -> Inspection:
    inspection = _inspection(request, pk)
    if not policies.can_read_drafts(request.user, inspection):
        raise Http404
    return inspection


def _form_page(request, inspection, form, *, crumbs=(), **context) -> HttpResponse:
    return render(
        request,
        FORM_PAGE,
        {
            "inspection_pk": inspection.pk,
            "inspection_title": str(inspection),
            "crumbs": list(crumbs),
            "caption": str(inspection),
            "form": form,
            **context,
        },
        status=form_status(form),
    )


def _findings_url(inspection_or_pk) -> str:
    return reverse(
        "inspections:finding_list", args=[getattr(inspection_or_pk, "pk", inspection_or_pk)]
    )


def _finding_url(finding) -> str:
    return reverse("inspections:finding_detail", args=[finding.inspection_id, finding.pk])


def _fa_url(inspection_or_pk) -> str:
    return reverse("inspections:fa_list", args=[getattr(inspection_or_pk, "pk", inspection_or_pk)])


# Findings ------------------------------------------------------------------------------------


def _csv_row(f: Finding) -> list[str]:
    return [
        f.get_kind_display(),
        f.text,
        "; ".join(str(qi) for qi in f.quality_indicators.all()),
        "; ".join(str(o.number) for o in f.national_outcomes.all()),
        "; ".join(q.number for q in f.cited_questions.all()),
        f.get_status_display() + (" (archived)" if f.archived_at else ""),
        f.drafted_by.full_name,
        f.agreed_by.full_name if f.agreed_by else "",
        f.agreed_at.date().isoformat() if f.agreed_at else "",
    ]


@login_required
@require_safe
def finding_list(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    form = FindingFilterForm(request.GET or None, inspection=inspection)
    as_csv = request.GET.get("format") == "csv"
    findings = selectors.findings_for(
        user=request.user, inspection=inspection, brief=not as_csv, **form.selector_kwargs()
    )
    if as_csv:
        return csv_download(f"findings-{inspection.pk}", CSV_COLUMNS, findings, _csv_row)
    pagination = paginate(request, findings)
    return render(
        request,
        "inspections/report/finding_list.html",
        {
            "page_title": f"Findings: {inspection}",
            "inspection": inspection,
            "form": form,
            "pagination": pagination,
            "findings": pagination.page.object_list,
            "csv_url": csv_url(request),
            "filtered": form.filtered,
            "can_draft": policies.can_draft(request.user, inspection) and _is_open(inspection),
            "can_decide": policies.can_decide(request.user, inspection) and _is_open(inspection),
        },
        status=form_status(form),
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    if not policies.can_draft(request.user, inspection):
        raise PermissionDenied
    form = FindingCreateForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_create(
                inspection=inspection, by=request.user, **form.changes(), **form.relations()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The finding has been saved as a draft.")
            return redirect(_finding_url(finding))
    return _form_page(
        request,
        inspection,
        form,
        crumbs=[(_findings_url(inspection), "Findings")],
        page_title=f"Record a finding: {inspection}",
        heading="Record a finding",
        intro="A finding is saved as a draft until the lead inspector agrees it.",
        submit_label="Save finding",
        cancel_url=_findings_url(inspection),
    )


def _finding(request: HttpRequest, pk: int, finding_pk: int):
    inspection = _drafts_or_404(request, pk)
    return inspection, selectors.finding_get(
        user=request.user, pk=finding_pk, inspection=inspection
    )


@login_required
@require_safe
def finding_detail(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection, finding = _finding(request, pk, finding_pk)
    results = figures.results_by_question(inspection) if finding.cited_questions.all() else {}
    is_open = _is_open(inspection) and finding.archived_at is None
    return render(
        request,
        "inspections/report/finding_detail.html",
        {
            "page_title": f"Finding: {finding}",
            "inspection": inspection,
            "finding": finding,
            "cited": [
                (q, figures.figure_of(results.get(q.pk))) for q in finding.cited_questions.all()
            ],
            "can_view_evidence": inspection_policy.can_view_evidence(request.user, inspection),
            "can_draft": policies.can_draft(request.user, inspection) and is_open,
            "can_decide": policies.can_decide(request.user, inspection) and is_open,
        },
    )


@login_required
def finding_edit(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection, finding = _finding(request, pk, finding_pk)
    if not policies.can_draft(request.user, inspection):
        raise PermissionDenied
    form = FindingForm(request.POST or None, instance=finding, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.finding_update(
                finding=finding,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                **form.relations(),
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if finding.status == FindingStatus.AGREED and updated.status == FindingStatus.DRAFT:
                messages.success(
                    request, "The finding has been changed. It is a draft again until agreed."
                )
            else:
                messages.success(request, "The finding has been changed.")
            return redirect(_finding_url(finding))
    intro = ""
    if finding.status == FindingStatus.AGREED:
        intro = (
            "This finding is agreed. If you change it, it goes back to draft and the lead "
            "inspector must agree it again."
        )
    return _form_page(
        request,
        inspection,
        form,
        crumbs=[(_findings_url(inspection), "Findings"), (_finding_url(finding), "Finding")],
        page_title=f"Edit a finding: {inspection}",
        heading="Edit the finding",
        intro=intro,
        submit_label="Save changes",
        cancel_url=_finding_url(finding),
    )


@login_required
@require_POST
def finding_agree(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection, finding = _finding(request, pk, finding_pk)
    if not policies.can_decide(request.user, inspection):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The finding could not be agreed: reload the page and try again.")
        return redirect(_finding_url(finding))
    try:
        services.finding_agree(
            finding=finding, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The finding is agreed.")
    back_to_list = request.POST.get("next") == "list"
    return redirect(_findings_url(inspection) if back_to_list else _finding_url(finding))


@login_required
def finding_archive(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    inspection, finding = _finding(request, pk, finding_pk)
    if not (
        policies.can_draft(request.user, inspection)
        or policies.can_decide(request.user, inspection)
    ):
        raise PermissionDenied
    form = FindingArchiveForm(request.POST or None, initial={"version": finding.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_archive(
                finding=finding,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "The finding has been archived.")
            return redirect(_findings_url(inspection))
    return render(
        request,
        "scrutiny/archive_confirm.html",
        {
            "page_title": f"Archive a finding: {inspection}",
            "object": finding,
            "form": form,
            "back_url": _finding_url(finding),
        },
        status=form_status(form),
    )


@login_required
@require_safe
def finding_history(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    _, finding = _finding(request, pk, finding_pk)
    return history_page(request, obj=finding, back_url=_finding_url(finding), back_label="Finding")


# Evaluations ---------------------------------------------------------------------------------


@login_required
@require_safe
def evaluation_list(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    chains = selectors.evaluation_chains(user=request.user, inspection=inspection)
    return render(
        request,
        "inspections/report/evaluation_list.html",
        {
            "page_title": f"Evaluations and moderation: {inspection}",
            "inspection": inspection,
            "chains": chains,
            "scale": inspection.programme.evaluation_scale,
        },
    )


def _may_take(request: HttpRequest, inspection: Inspection, step: str) -> bool:
    if not _is_open(inspection):
        return False
    if step == "propose":
        return policies.can_draft(request.user, inspection)
    return policies.can_decide(request.user, inspection)


def _step_form(step: str, inspection: Inspection, chain, data=None):
    form_class = STEP_FORMS[step]
    kwargs = {"last_id": chain.last_id}
    if step in ("propose", "panel"):
        kwargs["levels"] = selectors.scale_levels(inspection)
    if step == "panel":
        kwargs["inspection"] = inspection
    return form_class(data, **kwargs)


def _take_step(request, inspection, chain, form) -> None:
    """Call the step's service; raises what it raises."""
    common = {
        "inspection": inspection,
        "quality_indicator": chain.indicator,
        "by": request.user,
        "expected_last": form.expected_last,
    }
    data = form.cleaned_data
    if form.step == "propose":
        services.evaluation_propose(level=data["level"], rationale=data["rationale"], **common)
    elif form.step == "panel":
        services.evaluation_panel(
            outcome=data["outcome"],
            level=data.get("level"),
            reason=data.get("reason") or "",
            panel_members=list(data["panel_members"]),
            panel_date=data["panel_date"],
            **common,
        )
    elif form.step == "finalise":
        services.evaluation_finalise(**common)
    else:
        services.evaluation_reopen(reason=data["reason"], **common)


STEP_DONE = {
    "propose": "The team's proposed grade has been recorded.",
    "panel": "The panel's decision has been recorded.",
    "finalise": "The final grade has been recorded.",
    "reopen": "Moderation has been reopened. The team can now propose a grade again.",
}


@login_required
def evaluation_detail(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """One indicator's chain, and the form for the one step that may follow (if the user may
    take it)."""
    inspection = _drafts_or_404(request, pk)
    chain = selectors.evaluation_chain(
        user=request.user, inspection=inspection, indicator_pk=indicator_pk
    )
    step = chain.next_step
    may_take = _may_take(request, inspection, step)
    form = None
    here = reverse("inspections:evaluation_detail", args=[inspection.pk, indicator_pk])
    if request.method == "POST":
        if not may_take:
            raise PermissionDenied
        if request.POST.get("step") != step:  # the chain moved on while the form was open
            messages.error(request, services.CHAIN_MOVED_ON)
            return redirect(here)
        form = _step_form(step, inspection, chain, request.POST)
        if form.is_valid():
            try:
                _take_step(request, inspection, chain, form)
            except ConflictError as exc:
                messages.error(request, exc.message)
                return redirect(here)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, STEP_DONE[step])
                return redirect(here)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    if form is None and may_take:
        form = _step_form(step, inspection, chain)
    return render(
        request,
        "inspections/report/evaluation_detail.html",
        {
            "page_title": f"Evaluation: {chain.indicator}",
            "inspection": inspection,
            "chain": chain,
            "step": step,
            "form": form,
            "scale": inspection.programme.evaluation_scale,
            "proposal": chain.proposal,
            "is_open": _is_open(inspection),
        },
        status=form_status(form),
    )


# Factual accuracy ----------------------------------------------------------------------------


@login_required
@require_safe
def fa_list(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    include_archived = request.GET.get("archived") in ("1", "true", "on")
    comments = list(
        selectors.fa_comment_list(
            user=request.user, inspection=inspection, include_archived=include_archived
        )
    )
    in_stage = _is_open(inspection) and inspection.status in services.COMMENT_STAGES
    return render(
        request,
        "inspections/report/fa_list.html",
        {
            "page_title": f"Factual accuracy: {inspection}",
            "inspection": inspection,
            "comments": comments,
            "include_archived": include_archived,
            "without_response": sum(1 for c in comments if not c.response and not c.archived_at),
            "in_stage": in_stage,
            "can_record": in_stage and policies.can_record_comments(request.user, inspection),
            "can_decide": in_stage and policies.can_decide(request.user, inspection),
        },
    )


@login_required
def fa_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    if not policies.can_record_comments(request.user, inspection):
        raise PermissionDenied
    form = FactualAccuracyCommentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fa_comment_create(inspection=inspection, by=request.user, **form.changes())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The partnership's comment has been recorded.")
            return redirect(_fa_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        crumbs=[(_fa_url(inspection), "Factual accuracy")],
        page_title=f"Record a factual accuracy comment: {inspection}",
        heading="Record a factual accuracy comment",
        intro="A point of the draft report the partnership disputes, as they sent it.",
        submit_label="Save comment",
        cancel_url=_fa_url(inspection),
    )


def _comment(request: HttpRequest, pk: int, comment_pk: int):
    inspection = _drafts_or_404(request, pk)
    return inspection, selectors.fa_comment_get(
        user=request.user, pk=comment_pk, inspection=inspection
    )


@login_required
def fa_edit(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    inspection, comment = _comment(request, pk, comment_pk)
    if not policies.can_record_comments(request.user, inspection):
        raise PermissionDenied
    form = FactualAccuracyCommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.fa_comment_update(
                comment=comment,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The comment has been changed.")
            return redirect(_fa_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        crumbs=[(_fa_url(inspection), "Factual accuracy")],
        page_title=f"Edit a factual accuracy comment: {inspection}",
        heading="Edit the comment",
        submit_label="Save changes",
        cancel_url=_fa_url(inspection),
    )


@login_required
def fa_respond(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    inspection, comment = _comment(request, pk, comment_pk)
    if not policies.can_decide(request.user, inspection):
        raise PermissionDenied
    form = FactualAccuracyResponseForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fa_comment_respond(
                comment=comment,
                by=request.user,
                expected_version=data["version"],
                response=data["response"],
                response_text=data["response_text"],
                change_made=data["change_made"],
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The team's response has been recorded.")
            return redirect(_fa_url(inspection))
    return _form_page(
        request,
        inspection,
        form,
        crumbs=[(_fa_url(inspection), "Factual accuracy")],
        page_title=f"Respond to a factual accuracy comment: {inspection}",
        heading="Respond to the comment",
        summary_rows=[
            ("Where in the draft report", comment.report_reference),
            ("The partnership's comment", comment.comment),
        ],
        submit_label="Save response",
        cancel_url=_fa_url(inspection),
    )


@login_required
def fa_archive(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    inspection, comment = _comment(request, pk, comment_pk)
    if not policies.can_decide(request.user, inspection):
        raise PermissionDenied
    form = CommentArchiveForm(request.POST or None, initial={"version": comment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.fa_comment_archive(
                comment=comment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The comment has been archived.")
            return redirect(_fa_url(inspection))
    return render(
        request,
        "scrutiny/archive_confirm.html",
        {
            "page_title": f"Archive a factual accuracy comment: {inspection}",
            "object": comment,
            "form": form,
            "back_url": _fa_url(inspection),
        },
        status=form_status(form),
    )


@login_required
@require_safe
def fa_history(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    inspection, comment = _comment(request, pk, comment_pk)
    return history_page(
        request, obj=comment, back_url=_fa_url(inspection), back_label="Factual accuracy"
    )


# The published version -----------------------------------------------------------------------


def _render_published(request, inspection, number=None, form=None) -> HttpResponse:
    version = selectors.published_version_get(
        user=request.user, inspection=inspection, number=number
    )
    # The list of versions without their content: only the one shown is read in full.
    versions = list(
        selectors.published_versions(user=request.user, inspection=inspection).defer("content")
    )
    can_correct = (
        policies.can_decide(request.user, inspection)
        and inspection.archived_at is None
        and inspection.status in PUBLISHED_STATUSES
    )
    if form is None and can_correct:
        form = CorrectionForm()
    return render(
        request,
        "inspections/report/published.html",
        {
            "page_title": f"Published report: {inspection}",
            "inspection": inspection,
            "version": version,
            "content": version.content,
            "latest": versions[0],
            "versions": versions,
            "form": form if can_correct else None,
            "summary": selectors.summary_from_version(version),
            "final": EvaluationStage.FINAL,
        },
        status=form_status(form),
    )


@login_required
@require_safe
def published(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    """The published version: the latest, or an earlier one by number. Everyone reads it."""
    return _render_published(request, _inspection(request, pk), number)


@login_required
@require_POST
def published_correct(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection(request, pk)
    if not policies.can_decide(request.user, inspection):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            version = services.published_correction(
                inspection=inspection, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Version {version.number} has been published.")
            return redirect("inspections:published", pk=inspection.pk)
    return _render_published(request, inspection, form=form)
