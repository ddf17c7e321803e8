"""Notifications, email choice and calendar link pages, and the calendar feed. Each view parses
input, checks permission (someone else's notification is "Page not found"), calls one service
or selector, and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from scrutiny.pagination import paginate
from scrutiny.services import ConflictError

from . import selectors, services
from .calendar import calendar_ics
from .forms import PreferenceForm

SESSION_NEW_FEED = "new_calendar_token"


def _back_to_list(request: HttpRequest) -> str:
    """Where the list was (its page and filter), or the list itself."""
    back = request.POST.get("next", "")
    if back.startswith(reverse("notifications:list")) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("notifications:list")


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    pagination = paginate(
        request, selectors.notification_list(user=request.user, unread_only=unread_only)
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page_title": "Notifications",
            "pagination": pagination,
            "notifications": pagination.page.object_list,
            "unread_only": unread_only,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    messages.success(request, f"“{notification.subject}” is marked as read.")
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        noun = "notification is" if count == 1 else "notifications are"
        messages.success(request, f"{count} {noun} marked as read.")
    else:
        messages.success(request, "You have no unread notifications.")
    return redirect(_back_to_list(request))


def _settings_page(request: HttpRequest, form: PreferenceForm, status: int = 200) -> HttpResponse:
    feed = selectors.live_calendar_feed(user=request.user)
    token = request.session.pop(SESSION_NEW_FEED, None)
    return render(
        request,
        "notifications/settings.html",
        {
            "page_title": "Notification settings",
            "form": form,
            "feed": feed,
            "new_feed_url": request.build_absolute_uri(
                reverse("notifications:calendar_feed", args=[token])
            )
            if token
            else None,
        },
        status=status,
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preference_for(user=request.user)
    initial = {"email_mode": current.email_mode, "version": current.version if current.pk else None}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(
                by=request.user,
                email_mode=form.cleaned_data["email_mode"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            data = form.data.copy()
            data["version"] = exc.current.version
            form.data = data
        else:
            messages.success(request, "Your email choice has been saved.")
            return redirect("notifications:preferences")
    return _settings_page(request, form, status=400 if form.errors else 200)


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    had = selectors.live_calendar_feed(user=request.user) is not None
    token = services.calendar_feed_reset(by=request.user)
    # Shown once on the next page, then gone: only its hash is stored.
    request.session[SESSION_NEW_FEED] = token
    messages.success(
        request,
        "Your calendar link has been reset: the old link no longer works."
        if had
        else "Your calendar link has been made.",
    )
    return redirect(reverse("notifications:preferences") + "#calendar")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(by=request.user):
        messages.success(request, "Your calendar link has been turned off.")
    else:
        messages.success(request, "You have no calendar link.")
    return redirect(reverse("notifications:preferences") + "#calendar")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's calendar, for calendar programs: no session, the secret link is the key.
    A revoked or unknown link is "Page not found"."""
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    services.calendar_feed_used(feed=feed)
    body = calendar_ics(
        selectors.calendar_items(user=feed.user),
        name=f"Scrutiny: {feed.user.full_name}",
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="scrutiny.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
