"""What the improvement pages share: running a service for a form (errors and conflicts shown
on the form, input kept), form pages in one layout with breadcrumbs, confirmation pages, and
list pages with filters, pagination and a CSV export of the filtered list."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny.forms import add_service_error
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError

FORM_PAGE = "improvement/form_page.html"
CSV_CHUNK = 500

Crumbs = list[tuple[str, str]]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def form_status(form) -> int:
    return 400 if form is not None and form.errors else 200


def iso(value) -> str:
    return value.isoformat() if value else ""


def partnership_get(request: HttpRequest, pk: int) -> Partnership:
    return partnership_policy.get_visible_or_404(request.user, Partnership.objects.all(), pk=pk)


def partnership_crumb(partnership_or_pk, label: str = "") -> tuple[str, str]:
    pk = getattr(partnership_or_pk, "pk", partnership_or_pk)
    return (reverse("partnerships:detail", args=[pk]), label or str(partnership_or_pk))


def run_service(
    request: HttpRequest,
    form,
    write: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    redirect_to: Callable[[Any], str],
) -> HttpResponse | None:
    """Call the service for a valid POST: on success a message and a redirect; otherwise None to
    re-render the form with the service's errors, or with the conflict (the user's input kept,
    the form moved onto the current version so saving again is a deliberate choice)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ConflictError as exc:
        if hasattr(form, "show_conflict"):
            form.show_conflict(exc.current, exc.message)
        else:
            form.add_error(None, exc.message)
            data = form.data.copy()
            data[form.add_prefix("version")] = exc.current.version
            form.data = data
    except ValidationError as exc:
        add_service_error(form, exc)
    else:
        messages.success(request, success(result) if callable(success) else success)
        return redirect(redirect_to(result))
    return None


def form_page(
    request: HttpRequest,
    form,
    *,
    heading: str,
    submit_label: str,
    cancel_url: str,
    crumbs: Crumbs | None = None,
    caption: str = "",
    intro: str = "",
    summary_rows: list[tuple[str, Any]] | None = None,
    template: str = FORM_PAGE,
    secondary: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "page_title": f"{heading}: {caption}" if caption else heading,
            "heading": heading,
            "caption": caption,
            "crumbs": crumbs or [],
            "form": form,
            "intro": intro,
            "summary_rows": summary_rows or [],
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "secondary": secondary,
            **(context or {}),
        },
        status=form_status(form),
    )


def archive_page(
    request: HttpRequest,
    obj,
    form,
    *,
    archive: Callable[[dict[str, Any]], Any],
    back_url: str,
    done_url: str,
) -> HttpResponse:
    """The shared archive confirmation (templates/scrutiny/archive_confirm.html)."""
    if request.method == "POST" and form.is_valid():
        try:
            archive(form.cleaned_data)
        except ConflictError as exc:
            form.add_error(None, exc.message)
            data = form.data.copy()
            data[form.add_prefix("version")] = exc.current.version
            form.data = data
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{obj} has been archived.")
            return redirect(done_url)
    return render(
        request,
        "scrutiny/archive_confirm.html",
        {"page_title": f"Archive {obj}", "object": obj, "form": form, "back_url": back_url},
        status=form_status(form),
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(
    header: list[str], rows: Iterable[Any], row: Callable[[Any], list[Any]]
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for item in rows:
        yield writer.writerow(row(item))


def list_page(
    request: HttpRequest,
    *,
    template: str,
    form,
    queryset: QuerySet,
    csv_name: str,
    csv_header: list[str],
    csv_row: Callable[[Any], list[Any]],
    decorate: Callable[[Iterable[Any]], list[Any]] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A filtered, paginated list, or (with ?format=csv) all of it as CSV. `decorate` adds
    derived values (such as the overdue flag) to a chunk of rows without touching the
    database."""
    decorate = decorate or list
    if request.GET.get("format") == "csv":

        def rows() -> Iterator[Any]:
            chunk: list[Any] = []
            for item in queryset.iterator(chunk_size=CSV_CHUNK):
                chunk.append(item)
                if len(chunk) == CSV_CHUNK:
                    yield from decorate(chunk)
                    chunk = []
            yield from decorate(chunk)

        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(
            _csv_rows(csv_header, rows(), csv_row), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{csv_name}-{stamp}.csv"'
        return response
    pagination = paginate(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        template,
        {
            "form": form,
            "pagination": pagination,
            "rows": decorate(pagination.page.object_list),
            "csv_url": f"?{query.urlencode()}",
            "filtered": form.filtered,
            **(context or {}),
        },
        status=form_status(form),
    )
