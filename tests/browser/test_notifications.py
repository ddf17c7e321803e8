"""A lead inspector sees the unread count in the header, opens Notifications (axe-clean),
marks one reminder read and then all; chooses a daily digest and makes a calendar link."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from notifications import services, sources
from notifications.models import CalendarFeed, Notification, NotificationPreference
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_lead_reads_reminders_and_chooses_a_digest(page: Page) -> None:
    inspection, lead = factories.inspection_with_team()
    lead.email = "lead@ci.example.org"
    lead.save()
    today = datetime.date.today()
    for name, days in (("Fieldwork starts", 3), ("Evidence in", -2)):
        factories.MilestoneFactory(
            inspection=inspection, name=name, due_on=today + datetime.timedelta(days=days)
        )
    services.reminders_send(today=today, sources=[sources.milestones])
    assert Notification.objects.filter(user=lead).count() == 2

    sign_in(page, "lead@ci.example.org")
    link = page.locator("#header-notifications")
    expect(link).to_have_text("Notifications 2 unread")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("link", name="Milestone 2 days overdue: Evidence in")).to_be_visible()
    assert_accessible(page)

    page.get_by_role(
        "button", name="Mark as read \u2013 Milestone 2 days overdue: Evidence in"
    ).click()
    expect(page.get_by_role("status").filter(has_text="is marked as read")).to_be_visible()
    expect(link).to_have_text("Notifications 1 unread")
    assert_accessible(page)

    page.get_by_role("button", name="Mark all as read").click()
    expect(
        page.get_by_role("status").filter(has_text="1 notification is marked as read")
    ).to_be_visible()
    expect(link).to_have_text("Notifications")
    assert not Notification.objects.filter(user=lead, read_at__isnull=True).exists()

    page.get_by_role(
        "link", name="Choose how reminders are emailed, or get a calendar link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    assert_accessible(page)
    page.get_by_label("One email a day listing them all").check(force=True)
    page.get_by_role("button", name="Save email choice").click()
    expect(
        page.get_by_role("status").filter(has_text="Your email choice has been saved.")
    ).to_be_visible()
    assert NotificationPreference.objects.get(user=lead).email_mode == "digest"

    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.locator("#calendar-link")).to_contain_text("/calendar/")
    assert_accessible(page)
    assert CalendarFeed.objects.filter(user=lead, revoked_at__isnull=True).count() == 1
