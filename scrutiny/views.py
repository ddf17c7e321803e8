"""Site-wide pages: the start page and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import requires_csrf_token

from dashboards.selectors import dashboards_for


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
