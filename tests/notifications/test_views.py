"""Pages: the unread count in the header, the notifications list with mark as read (one and
all, POST with CSRF), the email choice, and the calendar link with its feed and revocation."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from accounts.roles import Role
from notifications import services
from notifications.models import CalendarFeed, EmailMode, Notification, NotificationPreference
from tests import factories
from tests.cooperation import factories as coop

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:preferences")


def notify(user, n: int = 1, **fields) -> list[Notification]:
    return [
        Notification.objects.create(
            user=user,
            kind="milestone",
            subject=fields.get("subject", f"Milestone due in {i + 1} days: Fieldwork ends"),
            text="The milestone is due soon.",
            url="/inspections/1/#milestones",
            due_on=datetime.date(2026, 3, 10) + datetime.timedelta(days=i),
        )
        for i in range(n)
    ]


def header(body: str) -> str:
    return re.search(r'<a href="/notifications/" id="header-notifications">(.*?)</a>', body).group(
        1
    )


@pytest.fixture
def user(db):
    return factories.inspector(full_name="Nina Notified")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_header_shows_the_unread_count_to_screen_readers_too(signed_in, user):
    assert header(signed_in.get(LIST).content.decode()) == "Notifications"
    notify(user, 3)
    notify(factories.inspector())  # someone else's
    read = notify(user)[0]
    services.notification_mark_read(notification=read, by=user)

    body = signed_in.get(reverse("accounts:profile")).content.decode()

    count = '<strong class="ds_tag">3<span class="visually-hidden"> unread</span></strong>'
    assert header(body) == f"Notifications {count}"


def test_signed_out_pages_have_no_notifications_link(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "header-notifications" not in body


def test_the_list_shows_only_my_notifications_newest_first(signed_in, user):
    mine = notify(user, 2)
    theirs = notify(factories.inspector(), subject="Someone else's reminder")

    response = signed_in.get(LIST)

    assert response.status_code == 200
    assert response.templates[0].name == "notifications/list.html"
    rows = list(response.context["notifications"])
    assert rows == [mine[1], mine[0]]
    body = response.content.decode()
    assert theirs[0].subject not in body
    assert 'href="/inspections/1/#milestones"' in body
    assert "Mark all as read" in body


def test_the_list_is_paginated_and_filters_unread(signed_in, user):
    notes = notify(user, 30)
    services.notification_mark_read(notification=notes[0], by=user)

    first = signed_in.get(LIST)
    assert len(first.context["notifications"]) == 25
    assert first.context["pagination"].count == 30
    second = signed_in.get(LIST, {"page": 2})
    assert len(second.context["notifications"]) == 5
    unread = signed_in.get(LIST, {"show": "unread"})
    assert unread.context["pagination"].count == 29


def test_mark_as_read_keeps_the_notification_and_returns_to_the_list(signed_in, user):
    note = notify(user)[0]
    back = f"{LIST}?page=1&show=unread"

    response = signed_in.post(reverse("notifications:read", args=[note.pk]), {"next": back})

    assert response.status_code == 302 and response["Location"] == back
    note.refresh_from_db()
    assert note.read_at is not None
    assert Notification.objects.filter(pk=note.pk).exists()
    follow = signed_in.get(LIST)
    assert "is marked as read" in follow.content.decode()
    assert header(follow.content.decode()) == "Notifications"


def test_mark_as_read_does_not_redirect_elsewhere(signed_in, user):
    note = notify(user)[0]
    response = signed_in.post(
        reverse("notifications:read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_mark_all_as_read(signed_in, user):
    notify(user, 4)
    other = notify(factories.inspector())[0]

    response = signed_in.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert "4 notifications are marked as read." in signed_in.get(LIST).content.decode()


def test_someone_elses_notification_is_not_found(signed_in):
    other = notify(factories.inspector())[0]
    response = signed_in.post(reverse("notifications:read", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_read_needs_post_and_a_csrf_token(user):
    note = notify(user)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = reverse("notifications:read", args=[note.pk])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    assert client.post(reverse("notifications:read_all")).status_code == 403
    note.refresh_from_db()
    assert note.read_at is None

    page = client.get(LIST).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_pages_need_sign_in(client):
    for url in (LIST, SETTINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_profile_links_to_the_settings(signed_in):
    body = signed_in.get(reverse("accounts:profile")).content.decode()
    assert f'href="{SETTINGS}"' in body


# Email choice ----------------------------------------------------------------------------------


def test_choosing_a_daily_digest(signed_in, user):
    page = signed_in.get(SETTINGS)
    assert page.status_code == 200
    assert page.context["form"].initial["email_mode"] == EmailMode.EACH

    response = signed_in.post(SETTINGS, {"email_mode": "digest"})

    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=user)
    assert pref.email_mode == EmailMode.DIGEST
    again = signed_in.get(SETTINGS)
    assert "Your email choice has been saved." in again.content.decode()
    assert again.context["form"].initial == {"email_mode": "digest", "version": pref.version}


def test_a_stale_email_choice_is_refused_and_keeps_the_input(signed_in, user):
    services.preference_set(by=user, email_mode=EmailMode.DIGEST)
    pref = services.preference_set(by=user, email_mode=EmailMode.NONE, expected_version=1)

    response = signed_in.post(SETTINGS, {"email_mode": "each", "version": "1"})

    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    assert response.context["form"].data["email_mode"] == "each"
    assert NotificationPreference.objects.get(pk=pref.pk).email_mode == EmailMode.NONE


def test_an_unknown_email_choice_is_an_error(signed_in):
    response = signed_in.post(SETTINGS, {"email_mode": "carrier-pigeon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# Calendar --------------------------------------------------------------------------------------


def feed_url(body: str) -> str:
    return re.search(r'id="calendar-link">https?://[^/]+(/calendar/[^<]+\.ics)<', body).group(1)


def make_link(client) -> str:
    response = client.post(reverse("notifications:calendar_reset"))
    assert response.status_code == 302
    return feed_url(client.get(SETTINGS).content.decode())


def test_the_calendar_link_is_shown_once_and_stored_only_as_a_hash(signed_in, user):
    url = make_link(signed_in)
    token = url.removeprefix("/calendar/").removesuffix(".ics")

    assert len(token) >= 43  # 32 random bytes
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash != token and token not in feed.token_hash
    assert "calendar-link" not in signed_in.get(SETTINGS).content.decode()  # not shown again


@freeze_time("2026-03-10")
def test_the_feed_lists_my_dates_without_signing_in(user):
    inspection, lead = factories.inspection_with_team()
    milestone = factories.MilestoneFactory(
        inspection=inspection, name="Fieldwork starts", due_on=datetime.date(2026, 4, 6)
    )
    factories.MilestoneFactory(name="Not my inspection", due_on=datetime.date(2026, 4, 7))
    owner = coop.director("CI", full_name="Dana Director")
    meeting = coop.MeetingFactory(
        title="Quarterly chairs and chief executives",
        held_on=datetime.date(2026, 3, 24),
        status="booked",
    )
    action = coop.MeetingActionFactory(
        meeting=meeting,
        owner=owner,
        description="Share the draft framework",
        due_on=datetime.date(2026, 3, 31),
    )
    lead_client = Client()
    lead_client.force_login(lead)
    director_client = Client()
    director_client.force_login(owner)

    lead_feed = Client().get(make_link(lead_client))
    director_feed = Client().get(make_link(director_client))

    assert lead_feed.status_code == 200
    assert lead_feed["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(lead_feed.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"milestone-{milestone.pk}@scrutiny.invalid"}
    event = events[f"milestone-{milestone.pk}@scrutiny.invalid"]
    assert str(event["SUMMARY"]) == f"Milestone: Fieldwork starts ({inspection.title})"
    assert event.decoded("DTSTART") == datetime.date(2026, 4, 6)
    assert str(event["URL"]).endswith(f"/inspections/{inspection.pk}/#milestones")

    director_events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(director_feed.content).walk("VEVENT")
    }
    assert set(director_events) == {
        f"meeting-action-{action.pk}@scrutiny.invalid",
        f"meeting-{meeting.pk}@scrutiny.invalid",
    }
    assert str(director_events[f"meeting-{meeting.pk}@scrutiny.invalid"]["SUMMARY"]) == (
        "Meeting: Quarterly chairs and chief executives"
    )


@freeze_time("2026-03-10")
def test_the_feed_includes_improvement_actions_and_reviews_i_answer_for(user):
    from improvement.models import ImprovementAction, ImprovementPlan, ProgressReview

    inspection, lead = factories.inspection_with_team()
    link = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    factories.AreaAssignmentFactory(
        user=link,
        local_authority=inspection.partnership.local_authorities.first(),
        started_on=datetime.date(2025, 1, 1),
    )
    plan = ImprovementPlan.objects.create(
        partnership=inspection.partnership, inspection=inspection, title="Plan"
    )
    action = ImprovementAction.objects.create(
        plan=plan,
        description="Audit case files",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=datetime.date(2026, 5, 1),
    )
    review = ProgressReview.objects.create(
        partnership=inspection.partnership, kind="formal", due_on=datetime.date(2026, 6, 1)
    )
    member = inspection.team.exclude(role="lead_inspector").first().user
    wanted = {
        f"improvement-action-{action.pk}@scrutiny.invalid",
        f"progress-review-{review.pk}@scrutiny.invalid",
    }
    for person, sees in (
        (lead, {f"improvement-action-{action.pk}@scrutiny.invalid"}),
        (link, wanted),
        (member, set()),
    ):
        client = Client()
        client.force_login(person)
        body = Client().get(make_link(client)).content
        uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
        assert uids & wanted == sees, person


def test_resetting_the_link_revokes_the_old_one(signed_in, user):
    old = make_link(signed_in)
    assert Client().get(old).status_code == 200

    new = make_link(signed_in)

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=user).count() == 2  # the old one kept, revoked
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 1


def test_turning_the_link_off(signed_in, user):
    url = make_link(signed_in)
    response = signed_in.post(reverse("notifications:calendar_revoke"))
    assert response.status_code == 302
    assert Client().get(url).status_code == 404
    assert "You have no calendar link." in signed_in.get(SETTINGS).content.decode()


def test_unknown_links_and_inactive_people_get_not_found(signed_in, user):
    url = make_link(signed_in)
    assert Client().get("/calendar/not-a-real-token.ics").status_code == 404
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404


def test_a_feed_url_needs_no_session_but_the_reset_does(client):
    assert client.post(reverse("notifications:calendar_reset")).status_code == 302
    assert not CalendarFeed.objects.exists()
