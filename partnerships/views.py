"""Partnership pages. Each view parses input, checks permission, calls one service or
selector, and renders or redirects."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from inspections.selectors import inspections_for_partnership
from scrutiny.forms import ArchiveForm, add_service_error
from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError

from . import selectors, services
from .forms import ContactCreateForm, ContactForm, PartnershipFilterForm, PartnershipForm
from .models import Contact
from .policies import contact_policy, partnership_policy

INSPECTIONS_SHOWN = 10  # the most recent; the inspection list has the rest

CSV_COLUMNS = [
    "Name",
    "Kind",
    "GSS code",
    "Council areas",
    "Health boards",
    "Integration model",
    "Integration model confirmed",
]


def _filtered_partnerships(request: HttpRequest, form: PartnershipFilterForm):
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.partnership_list(
        user=request.user,
        search=data.get("q", ""),
        kind=data.get("kind", ""),
        health_board=data.get("health_board"),
        ordering=data.get("sort") or "name",
        include_archived=data.get("archived", False),
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(partnerships):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for p in partnerships.iterator(chunk_size=500):
        yield writer.writerow(
            [
                p.name,
                p.get_kind_display(),
                p.gss_code,
                "; ".join(la.name for la in p.local_authorities.all()),
                "; ".join(hb.name for hb in p.health_boards.all()),
                p.get_integration_model_display(),
                "Yes" if p.integration_model_confirmed else "No (derived)",
            ]
        )


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    partnerships = selectors.with_related(_filtered_partnerships(request, form))
    if request.GET.get("format") == "csv":
        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(_csv_rows(partnerships), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="partnerships-{stamp}.csv"'
        return response
    pagination = paginate(request, partnerships)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "page_title": "Partnerships",
            "form": form,
            "pagination": pagination,
            "partnerships": pagination.page.object_list,
            "csv_url": f"?{query.urlencode()}",
            "filtered": bool(request.GET.get("q") or request.GET.get("kind")),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.partnership_detail(user=request.user, pk=pk)
    partnership = detail.partnership
    inspections = inspections_for_partnership(user=request.user, partnership=partnership)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "page_title": str(partnership),
            "partnership": partnership,
            "detail": detail,
            "inspections": list(inspections[:INSPECTIONS_SHOWN]),
            "can_change": partnership_policy.can_change(request.user, partnership),
            "can_archive": partnership_policy.can_archive(request.user, partnership),
            "can_add_contact": contact_policy.can_add(request.user, partnership),
            "can_change_contact": contact_policy.can_change_for(request.user, partnership),
        },
    )


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if not partnership_policy.can_change(request.user, partnership):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                partnership=partnership,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
                local_authorities=list(form.cleaned_data["local_authorities"]),
                health_boards=list(form.cleaned_data["health_boards"]),
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{partnership} has been updated.")
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"page_title": f"Edit {partnership}", "partnership": partnership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def partnership_archive(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if not partnership_policy.can_archive(request.user, partnership):
        raise PermissionDenied
    form = ArchiveForm(request.POST or None, initial={"version": partnership.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_archive(
                partnership=partnership,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{partnership} has been archived.")
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "scrutiny/archive_confirm.html",
        {
            "page_title": f"Archive {partnership}",
            "object": partnership,
            "form": form,
            "back_url": reverse("partnerships:detail", args=[partnership.pk]),
        },
        status=400 if form.errors else 200,
    )


@login_required
def partnership_history(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=partnership,
        back_url=reverse("partnerships:detail", args=[partnership.pk]),
        back_label=str(partnership),
    )


def _contact_or_404(request: HttpRequest, pk: int, contact_pk: int) -> Contact:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    return contact_policy.get_visible_or_404(
        request.user,
        Contact.objects.select_related("partnership"),
        pk=contact_pk,
        partnership=partnership,
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    if not contact_policy.can_add(request.user, partnership):
        raise PermissionDenied
    form = ContactCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(partnership=partnership, by=request.user, **form.changes())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "The contact has been added.")
            return redirect("partnerships:detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/contact_form.html",
        {"page_title": f"Add a contact to {partnership}", "partnership": partnership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    if not contact_policy.can_change(request.user, contact):
        raise PermissionDenied
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                contact=contact,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except ConflictError as exc:
            form.show_conflict(exc.current, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{contact.name}'s details have been updated.")
            return redirect("partnerships:detail", pk=contact.partnership_id)
    return render(
        request,
        "partnerships/contact_form.html",
        {
            "page_title": f"Edit {contact}",
            "partnership": contact.partnership,
            "contact": contact,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def contact_archive(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    if not contact_policy.can_archive(request.user, contact):
        raise PermissionDenied
    form = ArchiveForm(request.POST or None, initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_archive(
                contact=contact,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{contact} has been archived.")
            return redirect("partnerships:detail", pk=contact.partnership_id)
    return render(
        request,
        "scrutiny/archive_confirm.html",
        {
            "page_title": f"Archive {contact}",
            "object": contact,
            "form": form,
            "back_url": reverse("partnerships:detail", args=[contact.partnership_id]),
        },
        status=400 if form.errors else 200,
    )


@login_required
def contact_history(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    return history_page(
        request,
        obj=contact,
        back_url=reverse("partnerships:detail", args=[contact.partnership_id]),
        back_label=str(contact.partnership),
    )
