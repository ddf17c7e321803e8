"""Site-wide pages (the start page and the error pages), and the page mechanics every app's
views share: permission, form and archive-confirmation pages, running one service for a form,
and filtered lists with a CSV export."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from dashboards.selectors import dashboards_for
from scrutiny.forms import ArchiveForm, add_service_error
from scrutiny.pagination import paginate
from scrutiny.services import ConflictError


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user starts on their own dashboard (dashboards.selectors.dashboards_for)."""
    return redirect(dashboards_for(request.user).home)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "errors/error.html", {"title": title, "message": message}, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request, 400, "There is a problem with your request", "Check the address and try again."
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to do this",
        "If you think you should, ask an administrator in your agency to check your roles.",
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, the record "
        "may have been moved or you may not have access to it.",
    )


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been lost if you saw no confirmation: go back "
        "and submit it again.",
    )


def error_preview(request: HttpRequest, code: int) -> HttpResponse:
    """DEBUG only: see each error page as a user would."""
    pages = {400: bad_request, 403: permission_denied, 404: page_not_found}
    if code == 500:
        return server_error(request)
    if code not in pages:
        raise Http404
    return pages[code](request)


# Shared page mechanics -----------------------------------------------------------------------
# What every app's pages repeat: permission, the status to answer a form with, running one
# service for a POSTed form, form and archive-confirmation pages, and filtered lists with a CSV
# export of the whole filtered list.

Crumbs = list[tuple[str, str]]
CSV_CHUNK = 500


def require(allowed: bool) -> None:
    """403 unless the user may do this (visibility, a 404, is the selectors' business)."""
    if not allowed:
        raise PermissionDenied


def form_status(form: BaseForm | None) -> int:
    """400 for a form shown again with its errors, otherwise 200."""
    return 400 if form is not None and form.errors else 200


def iso(value: datetime.date | None) -> str:
    """A date (or time) for a CSV cell: ISO 8601, blank when there is none."""
    return value.isoformat() if value else ""


def show_conflict(form: BaseForm, exc: ConflictError, *, versioned: bool = True) -> None:
    """Tell the user someone else saved first, keep their input, and move the form onto the
    current version so that saving again is a deliberate choice. A versioned model form also
    lists what changed (VersionedModelForm.show_conflict)."""
    if versioned and hasattr(form, "show_conflict"):
        form.show_conflict(exc.current, exc.message)
        return
    form.add_error(None, exc.message)
    data = form.data.copy()
    data[form.add_prefix("version")] = exc.current.version
    form.data = data


def save_or_errors(
    request: HttpRequest,
    form: BaseForm,
    write: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    redirect_to: Callable[[Any], str],
    versioned: bool = True,
) -> HttpResponse | None:
    """Call the service (`write`) for a valid POSTed form: on success a message and a redirect.
    None means show the form again: unsent, invalid, with the service's errors, or with the
    conflict (see show_conflict; `versioned=False` skips the model form's list of changes)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = write()
    except ConflictError as exc:
        show_conflict(form, exc, versioned=versioned)
    except ValidationError as exc:
        add_service_error(form, exc)
    else:
        messages.success(request, success(result) if callable(success) else success)
        return redirect(redirect_to(result))
    return None


def form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    template: str,
    heading: str,
    submit_label: str,
    cancel_url: str,
    crumbs: Crumbs | None = None,
    caption: str = "",
    page_title: str = "",
    intro: str = "",
    summary_rows: list[tuple[str, Any]] | None = None,
    section: str = "",
    multipart: bool = False,
    secondary: bool = False,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """One form on a page (an app's template extending scrutiny/form_page.html, or its own).
    The title is "heading: caption" unless `page_title` is given; `section` marks the app's
    own navigation; `context` adds what a template of its own needs."""
    return render(
        request,
        template,
        {
            "page_title": page_title or (f"{heading}: {caption}" if caption else heading),
            "heading": heading,
            "caption": caption,
            "crumbs": crumbs or [],
            "section": section,
            "form": form,
            "intro": intro,
            "summary_rows": summary_rows or [],
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "multipart": multipart,
            "secondary": secondary,
            **(context or {}),
        },
        status=form_status(form),
    )


def archive_page(
    request: HttpRequest,
    obj: Any,
    *,
    archive: Callable[[dict[str, Any]], Any],
    back_url: str,
    done_url: str,
    form: BaseForm | None = None,
) -> HttpResponse:
    """The archive confirmation (scrutiny/archive_confirm.html): `archive(cleaned_data)` for a
    valid POST, then "<obj> has been archived." and `done_url`. The form is an ArchiveForm (a
    reason, on the record's version) unless given. After a conflict the user's reason is kept
    and the form moves onto the current version (as save_or_errors does), so confirming again,
    having seen the message, archives the record as it now stands."""
    if form is None:
        form = ArchiveForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            archive(form.cleaned_data)
        except ConflictError as exc:
            show_conflict(form, exc, versioned=False)
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
    """A file-like object for csv.writer that hands each row back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_download(
    name: str, header: list[str], rows: Iterable[Any], row: Callable[[Any], list[Any]]
) -> StreamingHttpResponse:
    """Stream `rows` as the attachment "<name>-<today>.csv": the header, then `row(item)` for
    each item, written as it is read so a long export never sits in memory."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for item in rows:
            yield writer.writerow(row(item))

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def csv_url(request: HttpRequest) -> str:
    """The link to download this list, as filtered and sorted, as CSV (all pages of it)."""
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return f"?{query.urlencode()}"


def list_page(
    request: HttpRequest,
    *,
    template: str,
    form: Any,
    queryset: QuerySet,
    csv_name: str,
    csv_header: list[str],
    csv_row: Callable[[Any], list[Any]],
    decorate: Callable[[Iterable[Any]], list[Any]] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A filtered, sorted, paginated list, or (with ?format=csv) all of it as CSV. The filter
    form says whether it `filtered`; `decorate` adds derived values (flags, ages) to a chunk of
    rows without touching the database."""
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

        return csv_download(csv_name, csv_header, rows(), csv_row)
    pagination = paginate(request, queryset)
    return render(
        request,
        template,
        {
            "form": form,
            "pagination": pagination,
            "rows": decorate(pagination.page.object_list),
            "csv_url": csv_url(request),
            "filtered": form.filtered,
            **(context or {}),
        },
        status=form_status(form),
    )
