"""Meetings between the bodies: the list, recording and editing one (attendees from each body,
agenda, minutes and files, shared risks considered), and its actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from scrutiny.files import download_response, open_stored
from scrutiny.history import history_page
from scrutiny.views import archive_page, iso, list_page, require, save_or_errors

from .. import selectors, services
from ..forms import (
    ActionCreateForm,
    ActionFilterForm,
    ActionForm,
    ActionStatusForm,
    AttachmentForm,
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingForm,
    ReasonArchiveForm,
)
from ..policies import action_policy, attachment_policy, meeting_policy
from .common import form_page

MEETINGS = ("Meetings", "cooperation:meeting_list")
ACTIONS = ("Actions", "cooperation:action_list")


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [(reverse(name) if ":" in name else name, label) for label, name in pairs]


def meeting_url(meeting_or_pk, anchor: str = "") -> str:
    pk = getattr(meeting_or_pk, "pk", meeting_or_pk)
    url = reverse("cooperation:meeting_detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


# Meetings ------------------------------------------------------------------------------------


@login_required
@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None, user=request.user)
    return list_page(
        request,
        template="cooperation/meeting_list.html",
        form=form,
        queryset=selectors.meeting_list(user=request.user, **form.selector_kwargs()),
        csv_name="meetings",
        csv_header=["Date", "Type", "Title", "Status", "Arranged by", "Open actions"],
        csv_row=lambda m: [
            iso(m.held_on),
            m.meeting_type.name,
            m.title,
            m.get_status_display(),
            m.raised_by.name,
            m.open_actions,
        ],
        context={
            "page_title": "Meetings",
            "section": "meetings",
            "can_add": meeting_policy.can_add(request.user),
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    require(meeting_policy.can_add(request.user))
    form = MeetingCreateForm(request.POST or None, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.meeting_create(
            by=request.user,
            attendees=form.attendees(),
            risks=list(form.cleaned_data["risks"]),
            **form.changes(),
        ),
        success=lambda m: f"{m} has been recorded.",
        redirect_to=meeting_url,
    )
    return done or form_page(
        request,
        form,
        heading="Record a meeting",
        submit_label="Record meeting",
        cancel_url=reverse("cooperation:meeting_list"),
        crumbs=_crumbs(MEETINGS),
        section="meetings",
    )


@login_required
@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.meeting_detail(user=request.user, pk=pk)
    meeting = detail.meeting
    is_open = meeting.archived_at is None
    return render(
        request,
        "cooperation/meeting_detail.html",
        {
            "page_title": str(meeting),
            "section": "meetings",
            "meeting": meeting,
            "detail": detail,
            "can_change": meeting_policy.can_change(request.user, meeting),
            "can_archive": meeting_policy.can_archive(request.user, meeting),
            "can_add_action": action_policy.can_add(request.user) and is_open,
            "can_change_actions": action_policy.can_change(request.user) and is_open,
            "can_upload": attachment_policy.can_add(request.user) and is_open,
        },
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(meeting_policy.can_change(request.user, meeting))
    title = str(meeting)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    done = save_or_errors(
        request,
        form,
        lambda: services.meeting_update(
            meeting=meeting,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            attendees=form.attendees(),
            risks=list(form.cleaned_data["risks"]),
        ),
        success=lambda m: f"{m} has been updated.",
        redirect_to=meeting_url,
    )
    return done or form_page(
        request,
        form,
        heading="Edit the meeting",
        caption=title,
        page_title=f"Edit {title}",
        submit_label="Save changes",
        cancel_url=meeting_url(pk),
        crumbs=_crumbs(MEETINGS, (title, meeting_url(pk))),
        section="meetings",
    )


@login_required
def meeting_archive(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(meeting_policy.can_archive(request.user, meeting))
    return archive_page(
        request,
        meeting,
        archive=lambda data: services.meeting_archive(
            meeting=meeting,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        back_url=meeting_url(pk),
        done_url=reverse("cooperation:meeting_list"),
    )


@login_required
@require_safe
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return history_page(request, obj=meeting, back_url=meeting_url(pk), back_label=str(meeting))


# Files ---------------------------------------------------------------------------------------


@login_required
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(attachment_policy.can_add(request.user) and meeting.archived_at is None)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.meeting_attachment_upload(
            meeting=meeting,
            by=request.user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        success=lambda a: f"{a} has been uploaded.",
        redirect_to=lambda a: meeting_url(pk, "files"),
        versioned=False,
    )
    return done or form_page(
        request,
        form,
        heading="Upload minutes or papers",
        caption=str(meeting),
        submit_label="Upload file",
        intro="The file is checked by its content, not only its name.",
        cancel_url=meeting_url(pk, "files"),
        crumbs=_crumbs(MEETINGS, (str(meeting), meeting_url(pk))),
        section="meetings",
        multipart=True,
    )


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    handle = open_stored(attachment.file)
    services.meeting_attachment_download_record(attachment=attachment, by=request.user)
    return download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def attachment_archive(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    require(attachment_policy.can_archive(request.user, attachment))
    form = ReasonArchiveForm(request.POST or None)
    return archive_page(
        request,
        attachment,
        form=form,
        archive=lambda data: services.meeting_attachment_archive(
            attachment=attachment, by=request.user, reason=data["reason"]
        ),
        back_url=meeting_url(attachment.meeting_id, "files"),
        done_url=meeting_url(attachment.meeting_id, "files"),
    )


# Actions -------------------------------------------------------------------------------------


def _action_row(action) -> list:
    return [
        action.description,
        str(action.meeting),
        iso(action.meeting.held_on),
        action.owner.full_name,
        action.owner.agency.name,
        iso(action.due_on),
        action.get_status_display(),
        iso(action.completed_on),
        "yes" if action.overdue else "no",
    ]


@login_required
@require_safe
def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    return list_page(
        request,
        template="cooperation/action_list.html",
        form=form,
        queryset=selectors.action_list(user=request.user, today=today, **form.selector_kwargs()),
        csv_name="meeting-actions",
        csv_header=[
            "Action",
            "Meeting",
            "Meeting date",
            "Owner",
            "Owner's body",
            "Due",
            "Status",
            "Done on",
            "Overdue",
        ],
        csv_row=_action_row,
        decorate=lambda rows: selectors.with_overdue(rows, today),
        context={
            "page_title": "Meeting actions",
            "section": "actions",
            "can_change": action_policy.can_change(request.user),
        },
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(action_policy.can_add(request.user) and meeting.archived_at is None)
    form = ActionCreateForm(request.POST or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.action_create(meeting=meeting, by=request.user, **form.changes()),
        success=lambda a: f"The action for {a.owner} has been added.",
        redirect_to=lambda a: meeting_url(pk, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Add an action",
        caption=str(meeting),
        submit_label="Add action",
        cancel_url=meeting_url(pk, "actions"),
        crumbs=_crumbs(MEETINGS, (str(meeting), meeting_url(pk))),
        section="meetings",
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_change(request.user, action))
    meeting = action.meeting
    form = ActionForm(request.POST or None, instance=action)
    done = save_or_errors(
        request,
        form,
        lambda: services.action_update(
            action=action,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda a: f"The action for {a.owner} has been updated.",
        redirect_to=lambda a: meeting_url(meeting, "actions"),
    )
    return done or form_page(
        request,
        form,
        heading="Edit the action",
        caption=str(meeting),
        submit_label="Save changes",
        cancel_url=meeting_url(meeting, "actions"),
        crumbs=_crumbs(MEETINGS, (str(meeting), meeting_url(meeting))),
        section="meetings",
    )


@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_change(request.user, action))
    meeting = action.meeting
    form = ActionStatusForm(
        request.POST or None,
        initial={
            "version": action.version,
            "status": action.status,
            "completed_on": action.completed_on,
        },
    )
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = meeting_url(meeting, "actions")
    done = save_or_errors(
        request,
        form,
        lambda: services.action_set_status(
            action=action,
            by=request.user,
            status=form.cleaned_data["status"],
            completed_on=form.cleaned_data["completed_on"],
            expected_version=form.cleaned_data["version"],
        ),
        success=lambda a: f"The action is now: {a.get_status_display().lower()}.",
        redirect_to=lambda a: back,
        versioned=False,
    )
    return done or form_page(
        request,
        form,
        heading="Update the action's status",
        caption=str(meeting),
        summary_rows=[
            ("Action", action.description),
            ("Owner", f"{action.owner.full_name} ({action.owner.agency.name})"),
            ("Due", action.due_on.strftime("%-d %B %Y")),
        ],
        submit_label="Save status",
        cancel_url=back,
        crumbs=_crumbs(MEETINGS, (str(meeting), meeting_url(meeting))),
        section="meetings",
    )


@login_required
def action_archive(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    require(action_policy.can_archive(request.user, action))
    return archive_page(
        request,
        action,
        archive=lambda data: services.action_archive(
            action=action, by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        back_url=meeting_url(action.meeting_id, "actions"),
        done_url=meeting_url(action.meeting_id, "actions"),
    )


@login_required
@require_safe
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=action,
        back_url=meeting_url(action.meeting_id, "actions"),
        back_label=str(action.meeting),
    )
