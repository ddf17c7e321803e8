"""Inspection pages, used during fieldwork: quick and forgiving. Each view parses input,
checks permission through the policies, calls one service or selector, and renders or
redirects. Anything the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from scrutiny.files import download_response, open_stored
from scrutiny.forms import add_service_error
from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError
from scrutiny.views import (
    CSV_CHUNK,
    archive_page,
    csv_download,
    csv_url,
    form_status,
    iso,
    require,
    save_or_errors,
)

from . import lifecycle, selectors, services
from .forms import (
    AttachmentArchiveForm,
    AttachmentForm,
    ConflictDecisionForm,
    DeclarationForm,
    EvidenceActivityCreateForm,
    EvidenceActivityForm,
    EvidenceArchiveForm,
    InspectionArchiveForm,
    InspectionCreateForm,
    InspectionFilterForm,
    InspectionForm,
    MilestoneCompleteForm,
    MilestoneMoveForm,
    ReasonForm,
    TeamMemberForm,
    TransitionForm,
    step_forms,
)
from .models import Inspection, InspectionStatus, TeamMember
from .policies import evidence_policy, inspection_policy

CSV_COLUMNS = [
    "Title",
    "Partnership",
    "Programme",
    "Status",
    "Lead inspector",
    "Planned notification date",
    "Notification date",
    "Fieldwork starts",
    "Fieldwork ends",
    "Publication date",
]
FORM_PAGE = "inspections/form_page.html"


def _is_open(inspection: Inspection) -> bool:
    """Whether the inspection can still be changed (offer the links only then)."""
    return inspection.archived_at is None and inspection.status not in lifecycle.TERMINAL


def _detail_url(inspection_or_pk, anchor: str = "") -> str:
    pk = getattr(inspection_or_pk, "pk", inspection_or_pk)
    url = reverse("inspections:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


# The list ------------------------------------------------------------------------------------


def _csv_row(i: Inspection) -> list[str]:
    return [
        i.title,
        str(i.partnership),
        i.programme.name,
        i.get_status_display(),
        "; ".join(m.user.full_name for m in i.leads),
        iso(i.planned_notification_on),
        iso(i.notified_on),
        iso(i.fieldwork_starts_on),
        iso(i.fieldwork_ends_on),
        iso(i.published_on),
    ]


@login_required
@require_safe
def inspection_list(request: HttpRequest) -> HttpResponse:
    form = InspectionFilterForm(request.GET or None, user=request.user)
    inspections = selectors.inspection_list(user=request.user, **form.selector_kwargs())
    if request.GET.get("format") == "csv":
        return csv_download(
            "inspections", CSV_COLUMNS, inspections.iterator(chunk_size=CSV_CHUNK), _csv_row
        )
    pagination = paginate(request, inspections)
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "page_title": "Inspections",
            "form": form,
            "pagination": pagination,
            "inspections": pagination.page.object_list,
            "csv_url": csv_url(request),
            "filtered": form.filtered,
            "can_add": inspection_policy.can_add(request.user),
        },
        status=form_status(form),
    )


# One inspection ------------------------------------------------------------------------------


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    if not inspection_policy.can_add(request.user):
        raise PermissionDenied
    form = InspectionCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{inspection} has been planned.")
            return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        FORM_PAGE,
        {
            "page_title": "Plan an inspection",
            "caption": "Inspections",
            "heading": "Plan an inspection",
            "form": form,
            "submit_label": "Plan inspection",
            "cancel_url": reverse("inspections:list"),
        },
        status=form_status(form),
    )


def _render_overview(request, overview, failed: TransitionForm | None = None) -> HttpResponse:
    inspection = overview.inspection
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "page_title": str(inspection),
            "inspection": inspection,
            "overview": overview,
            "steps": step_forms(inspection, overview.next_steps, failed),
            "form": failed,  # the error summary shows a refused step's messages
            "is_open": _is_open(inspection),
        },
        status=400 if failed is not None and failed.errors else 200,
    )


@login_required
@require_safe
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_overview(request, selectors.inspection_overview(user=request.user, pk=pk))


@login_required
@require_POST
def inspection_transition(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["status"]
        try:
            services.inspection_transition(
                inspection=inspection,
                by=request.user,
                to_status=target,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:  # TransitionRefused lists every unmet condition
            add_service_error(form, exc)
        else:
            label = InspectionStatus(target).label
            messages.success(request, f"{inspection} is now at: {label}.")
            return redirect("inspections:detail", pk=inspection.pk)
    return _render_overview(
        request, selectors.inspection_overview(user=request.user, pk=pk), failed=form
    )


@login_required
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    require(inspection_policy.can_change(request.user, inspection))
    title = str(inspection)
    form = InspectionForm(request.POST or None, instance=inspection, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.inspection_update(
            inspection=inspection,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            quality_indicators=list(form.cleaned_data["quality_indicators"]),
        ),
        success=lambda _: f"{form.cleaned_data['title']} has been updated.",
        redirect_to=lambda _: _detail_url(pk),
    )
    return done or render(
        request,
        FORM_PAGE,
        {
            "page_title": f"Edit {title}",
            "inspection_pk": pk,
            "inspection_title": title,
            "caption": title,
            "heading": "Edit the inspection",
            "form": form,
            "submit_label": "Save changes",
            "cancel_url": _detail_url(pk),
        },
        status=form_status(form),
    )


@login_required
def inspection_archive(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    require(inspection_policy.can_lead(request.user, inspection))
    return archive_page(
        request,
        inspection,
        form=InspectionArchiveForm(request.POST or None),
        archive=lambda data: services.inspection_archive(
            inspection=inspection, by=request.user, reason=data["reason"]
        ),
        back_url=_detail_url(pk),
        done_url=_detail_url(pk),
    )


def _drafts_or_404(request: HttpRequest, pk: int) -> Inspection:
    """The inspection, for pages showing unpublished work: 404 for those who may only see
    the published inspection."""
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if not inspection_policy.can_see_drafts(request.user, inspection):
        raise Http404
    return inspection


@login_required
@require_safe
def inspection_history(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    return history_page(
        request, obj=inspection, back_url=_detail_url(pk), back_label=str(inspection)
    )


# Team ----------------------------------------------------------------------------------------


def _member_or_404(
    request: HttpRequest, pk: int, member_pk: int, *, current: bool = True
) -> TeamMember:
    inspection = _drafts_or_404(request, pk)
    return selectors.team_member_get(
        user=request.user, inspection=inspection, pk=member_pk, current=current
    )


def _form_page(request, inspection, form, *, activity=None, **context) -> HttpResponse:
    """A form about one inspection (or one of its evidence activities), in the shared layout."""
    crumbs = []
    if activity is not None:
        url = reverse("inspections:evidence_detail", args=[activity.pk])
        crumbs.append((url, str(activity)))
    context.setdefault("cancel_url", crumbs[0][0] if crumbs else _detail_url(inspection))
    return render(
        request,
        FORM_PAGE,
        {
            "inspection_pk": inspection.pk,
            "inspection_title": str(inspection),
            "crumbs": crumbs,
            "caption": str(inspection),
            "form": form,
            **context,
        },
        status=form_status(form),
    )


@login_required
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _drafts_or_404(request, pk)
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.team_member_add(
                inspection=inspection, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{member.user} has joined the team.")
            return redirect(_detail_url(inspection, "team"))
    return _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "team"),
        page_title=f"Add a team member: {inspection}",
        heading="Add a team member",
        submit_label="Add to the team",
    )


@login_required
def team_member_declare(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member_or_404(request, pk, member_pk)
    inspection = member.inspection
    if member.user_id != request.user.pk and not inspection_policy.can_lead(
        request.user, inspection
    ):
        raise PermissionDenied
    initial = {"conflict": member.conflict, "conflict_details": member.conflict_details}
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_declare(member=member, by=request.user, **form.cleaned_data)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"The declaration for {member.user} has been saved.")
            return redirect(_detail_url(inspection, "team"))
    own = member.user_id == request.user.pk
    return _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "team"),
        page_title=f"Declare a connection: {inspection}",
        heading="Declare a connection" if own else f"Declare a connection for {member.user}",
        intro=(
            f"Tell the lead inspector about any connection with {inspection.partnership}: "
            "work you have done there, or family who work there or use its services. "
            "Until the lead inspector decides, the evidence is closed to "
            f"{'you' if own else 'them'}."
        ),
        submit_label="Save declaration",
    )


@login_required
def conflict_decide(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member_or_404(request, pk, member_pk)
    inspection = member.inspection
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied
    form = ConflictDecisionForm(
        request.POST or None,
        initial={"decision": member.decision, "notes": member.decision_notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_decide(member=member, by=request.user, **form.cleaned_data)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Your decision on {member.user} has been recorded.")
            return redirect(_detail_url(inspection, "team"))
    return _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "team"),
        page_title=f"Decide on a declared connection: {member.user}",
        heading=f"Decide on {member.user}'s connection",
        summary_rows=[
            ("Role", member.get_role_display()),
            ("Agency", member.user.agency.name),
            ("Connection", member.get_conflict_display()),
            ("Details", member.conflict_details or "None given"),
            ("Current decision", member.get_decision_display()),
        ],
        submit_label="Record decision",
    )


@login_required
def team_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member_or_404(request, pk, member_pk)
    inspection = member.inspection
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label="Why are they leaving the team?")
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_remove(
                member=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{member.user} has left the team.")
            return redirect(_detail_url(inspection, "team"))
    return _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "team"),
        page_title=f"Remove {member.user} from the team",
        heading=f"Remove {member.user} from the team?",
        intro="They will no longer see the inspection's unpublished work or its evidence. "
        "Nothing is deleted: their part stays in the history.",
        submit_label="Remove from the team",
        secondary=True,
    )


@login_required
@require_safe
def team_member_history(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member_or_404(request, pk, member_pk, current=False)
    return history_page(
        request,
        obj=member,
        back_url=_detail_url(member.inspection, "team"),
        back_label=str(member.inspection),
    )


# Milestones ----------------------------------------------------------------------------------


def _milestone(request: HttpRequest, pk: int, milestone_pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return selectors.milestone_get(user=request.user, inspection=inspection, pk=milestone_pk)


@login_required
def milestone_move(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, milestone_pk)
    inspection = milestone.inspection
    if not inspection_policy.can_lead(request.user, inspection):
        raise PermissionDenied
    name = str(milestone)
    form = MilestoneMoveForm(request.POST or None, instance=milestone)
    done = save_or_errors(
        request,
        form,
        lambda: services.milestone_move(
            milestone=milestone,
            by=request.user,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        success=f"{name} has moved.",
        redirect_to=lambda _: _detail_url(inspection, "milestones"),
    )
    return done or _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "milestones"),
        page_title=f"Move a milestone: {name}",
        heading=f"Move: {name}",
        summary_rows=[
            ("Stage", milestone.get_stage_display()),
            ("Planned due date", date_format(milestone.planned_due_on, "j F Y")),
        ],
        submit_label="Move milestone",
    )


@login_required
def milestone_complete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, milestone_pk)
    inspection = milestone.inspection
    if not inspection_policy.can_change(request.user, inspection):
        raise PermissionDenied
    form = MilestoneCompleteForm(
        request.POST or None, initial={"version": milestone.version, "done": "yes"}
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.milestone_complete(
            milestone=milestone,
            by=request.user,
            completed_on=form.cleaned_data["completed_on"],
            expected_version=form.cleaned_data["version"],
        ),
        success=lambda _: (
            f"{milestone} is marked {'done' if form.cleaned_data['done'] else 'not done'}."
        ),
        redirect_to=lambda _: _detail_url(inspection, "milestones"),
    )
    return done or _form_page(
        request,
        inspection,
        form,
        cancel_url=_detail_url(inspection, "milestones"),
        page_title=f"Mark done: {milestone}",
        heading=f"Mark done: {milestone}",
        summary_rows=[("Due", date_format(milestone.due_on, "j F Y"))],
        submit_label="Save",
    )


@login_required
@require_safe
def milestone_history(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, milestone_pk)
    return history_page(
        request,
        obj=milestone,
        back_url=_detail_url(milestone.inspection, "milestones"),
        back_label=str(milestone.inspection),
    )


# Evidence ------------------------------------------------------------------------------------


@login_required
def evidence_create(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    if not inspection_policy.can_view_evidence(request.user, inspection):
        raise Http404
    if not inspection_policy.can_change(request.user, inspection):
        raise PermissionDenied
    form = EvidenceActivityCreateForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.evidence_activity_create(
                inspection=inspection,
                by=request.user,
                carried_out_by=list(form.cleaned_data["carried_out_by"]) or None,
                **form.changes(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{activity} has been recorded.")
            return redirect("inspections:evidence_detail", pk=activity.pk)
    return _form_page(
        request,
        inspection,
        form,
        page_title=f"Record an evidence activity: {inspection}",
        heading="Record an evidence activity",
        submit_label="Record activity",
        cancel_url=_detail_url(inspection, "evidence"),
    )


@login_required
@require_safe
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.evidence_activity_get(user=request.user, pk=pk)
    attachments = selectors.attachment_list(user=request.user).filter(evidence_activity=activity)
    return render(
        request,
        "inspections/evidence_detail.html",
        {
            "page_title": str(activity),
            "activity": activity,
            "inspection": activity.inspection,
            "attachments": attachments,
            "can_change": evidence_policy.can_change(request.user, activity)
            and activity.archived_at is None
            and _is_open(activity.inspection),
        },
    )


def _evidence_or_403(request: HttpRequest, pk: int):
    activity = selectors.evidence_activity_get(user=request.user, pk=pk)
    if not evidence_policy.can_change(request.user, activity):
        raise PermissionDenied
    return activity


@login_required
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _evidence_or_403(request, pk)
    name = str(activity)
    form = EvidenceActivityForm(
        request.POST or None, instance=activity, inspection=activity.inspection
    )
    done = save_or_errors(
        request,
        form,
        lambda: services.evidence_activity_update(
            activity=activity,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            carried_out_by=list(form.cleaned_data["carried_out_by"]),
        ),
        success=lambda _: f"{form.cleaned_data['title']} has been updated.",
        redirect_to=lambda _: reverse("inspections:evidence_detail", args=[pk]),
    )
    return done or _form_page(
        request,
        activity.inspection,
        form,
        activity=activity,
        page_title=f"Edit {name}",
        heading=f"Edit: {name}",
        submit_label="Save changes",
    )


@login_required
def evidence_archive(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _evidence_or_403(request, pk)
    return archive_page(
        request,
        activity,
        form=EvidenceArchiveForm(request.POST or None, initial={"version": activity.version}),
        archive=lambda data: services.evidence_activity_archive(
            activity=activity,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        back_url=reverse("inspections:evidence_detail", args=[pk]),
        done_url=_detail_url(activity.inspection, "evidence"),
    )


@login_required
@require_safe
def evidence_history(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.evidence_activity_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=activity,
        back_url=reverse("inspections:evidence_detail", args=[pk]),
        back_label=str(activity),
    )


@login_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _evidence_or_403(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_upload(
                activity=activity,
                by=request.user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{attachment} has been uploaded.")
            return redirect("inspections:evidence_detail", pk=pk)
    return _form_page(
        request,
        activity.inspection,
        form,
        activity=activity,
        page_title=f"Upload a file: {activity}",
        heading="Upload a file",
        intro=f"For {activity}. The file is checked by its content, not only its name.",
        submit_label="Upload file",
        multipart=True,
    )


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    handle = open_stored(attachment.file)
    services.attachment_download_record(attachment=attachment, by=request.user)
    return download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def attachment_archive(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    activity = attachment.evidence_activity
    require(evidence_policy.can_change(request.user, activity))
    evidence_url = reverse("inspections:evidence_detail", args=[activity.pk])
    return archive_page(
        request,
        attachment,
        form=AttachmentArchiveForm(request.POST or None),
        archive=lambda data: services.attachment_archive(
            attachment=attachment, by=request.user, reason=data["reason"]
        ),
        back_url=evidence_url,
        done_url=evidence_url,
    )
