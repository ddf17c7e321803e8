"""Partnership pages. Each view parses input, checks permission, calls one service or
selector, and renders or redirects."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from inspections.selectors import inspections_for_partnership
from scrutiny.history import history_page
from scrutiny.pagination import paginate
from scrutiny.views import (
    CSV_CHUNK,
    archive_page,
    csv_download,
    csv_url,
    form_status,
    require,
    save_or_errors,
)

from . import selectors, services
from .forms import ContactCreateForm, ContactForm, PartnershipFilterForm, PartnershipForm
from .models import Contact, Partnership
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


def _detail_url(pk: int) -> str:
    return reverse("partnerships:detail", args=[pk])


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


def _csv_row(p: Partnership) -> list[str]:
    return [
        p.name,
        p.get_kind_display(),
        p.gss_code,
        "; ".join(la.name for la in p.local_authorities.all()),
        "; ".join(hb.name for hb in p.health_boards.all()),
        p.get_integration_model_display(),
        "Yes" if p.integration_model_confirmed else "No (derived)",
    ]


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    partnerships = selectors.with_related(_filtered_partnerships(request, form))
    if request.GET.get("format") == "csv":
        return csv_download(
            "partnerships", CSV_COLUMNS, partnerships.iterator(chunk_size=CSV_CHUNK), _csv_row
        )
    pagination = paginate(request, partnerships)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "page_title": "Partnerships",
            "form": form,
            "pagination": pagination,
            "partnerships": pagination.page.object_list,
            "csv_url": csv_url(request),
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
    require(partnership_policy.can_change(request.user, partnership))
    form = PartnershipForm(request.POST or None, instance=partnership)
    done = save_or_errors(
        request,
        form,
        lambda: services.partnership_update(
            partnership=partnership,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            local_authorities=list(form.cleaned_data["local_authorities"]),
            health_boards=list(form.cleaned_data["health_boards"]),
        ),
        success=lambda _: f"{partnership} has been updated.",
        redirect_to=lambda _: _detail_url(partnership.pk),
    )
    return done or render(
        request,
        "partnerships/partnership_form.html",
        {"page_title": f"Edit {partnership}", "partnership": partnership, "form": form},
        status=form_status(form),
    )


@login_required
def partnership_archive(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    require(partnership_policy.can_archive(request.user, partnership))
    return archive_page(
        request,
        partnership,
        archive=lambda data: services.partnership_archive(
            partnership=partnership,
            by=request.user,
            expected_version=data["version"],
            reason=data["reason"],
        ),
        back_url=_detail_url(partnership.pk),
        done_url=_detail_url(partnership.pk),
    )


@login_required
def partnership_history(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    return history_page(
        request,
        obj=partnership,
        back_url=_detail_url(partnership.pk),
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
    require(contact_policy.can_add(request.user, partnership))
    form = ContactCreateForm(request.POST or None)
    done = save_or_errors(
        request,
        form,
        lambda: services.contact_create(partnership=partnership, by=request.user, **form.changes()),
        success="The contact has been added.",
        redirect_to=lambda _: _detail_url(partnership.pk),
    )
    return done or render(
        request,
        "partnerships/contact_form.html",
        {"page_title": f"Add a contact to {partnership}", "partnership": partnership, "form": form},
        status=form_status(form),
    )


@login_required
def contact_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    require(contact_policy.can_change(request.user, contact))
    form = ContactForm(request.POST or None, instance=contact)
    done = save_or_errors(
        request,
        form,
        lambda: services.contact_update(
            contact=contact,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        ),
        success=lambda _: f"{contact.name}'s details have been updated.",
        redirect_to=lambda _: _detail_url(contact.partnership_id),
    )
    return done or render(
        request,
        "partnerships/contact_form.html",
        {
            "page_title": f"Edit {contact}",
            "partnership": contact.partnership,
            "contact": contact,
            "form": form,
        },
        status=form_status(form),
    )


@login_required
def contact_archive(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    require(contact_policy.can_archive(request.user, contact))
    return archive_page(
        request,
        contact,
        archive=lambda data: services.contact_archive(
            contact=contact,
            by=request.user,
            expected_version=data["version"],
            reason=data["reason"],
        ),
        back_url=_detail_url(contact.partnership_id),
        done_url=_detail_url(contact.partnership_id),
    )


@login_required
def contact_history(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk, contact_pk)
    return history_page(
        request,
        obj=contact,
        back_url=_detail_url(contact.partnership_id),
        back_label=str(contact.partnership),
    )
