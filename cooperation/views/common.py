"""What the co-operation pages share: list pages with filters, sorting, pagination and CSV
export; form pages in one layout; archive confirmation; the status to answer a form with."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from scrutiny.forms import add_service_error
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError

FORM_PAGE = "cooperation/form_page.html"
CSV_CHUNK = 500


def form_status(form) -> int:
    return 400 if form is not None and form.errors else 200


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def iso(value) -> str:
    return value.isoformat() if value else ""


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
    """A filtered, sorted, paginated list, or (with ?format=csv) all of it as CSV. `decorate`
    adds derived values (flags, ages) to a chunk of rows without touching the database."""
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


def form_page(
    request: HttpRequest,
    form,
    *,
    heading: str,
    submit_label: str,
    cancel_url: str,
    crumbs: list[tuple[str, str]] | None = None,
    section: str = "",
    caption: str = "",
    page_title: str = "",
    intro: str = "",
    summary_rows: list[tuple[str, str]] | None = None,
    multipart: bool = False,
    secondary: bool = False,
) -> HttpResponse:
    return render(
        request,
        FORM_PAGE,
        {
            "page_title": page_title or heading,
            "heading": heading,
            "caption": caption,
            "crumbs": crumbs or [],
            "section": section,
            "form": form,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "intro": intro,
            "summary_rows": summary_rows or [],
            "multipart": multipart,
            "secondary": secondary,
        },
        status=form_status(form),
    )


def save_or_errors(
    request: HttpRequest,
    form,
    write: Callable[[], Any],
    *,
    success: Callable[[Any], str],
    redirect_to: Callable[[Any], str],
    versioned: bool = True,
) -> HttpResponse | None:
    """Run a service for a valid POSTed form: on success, a message and a redirect (None is
    returned to re-render the form with the service's errors or the conflict)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ConflictError as exc:
        if versioned and hasattr(form, "show_conflict"):
            form.show_conflict(exc.current, exc.message)
        else:
            form.add_error(None, exc.message)
            data = form.data.copy()
            data[form.add_prefix("version")] = exc.current.version
            form.data = data
    except ValidationError as exc:
        add_service_error(form, exc)
    else:
        messages.success(request, success(result))
        return redirect(redirect_to(result))
    return None


def archive_page(
    request: HttpRequest,
    obj,
    form,
    *,
    archive: Callable[[str, int | None], Any],
    back_url: str,
    done_url: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            archive(form.cleaned_data["reason"], form.cleaned_data.get("version"))
        except ConflictError as exc:
            form.add_error(None, exc.message)
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
