"""Each reminder source, on a fixed day, reminds exactly the people responsible and nobody
else: a notification each, with the record's link and due date."""

from __future__ import annotations

import pytest
from django.core import mail
from freezegun import freeze_time

from notifications import services, sources
from notifications.models import Notification
from tests.notifications.conftest import TODAY, as_ids, expected, reminded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

SOURCE_KINDS = [
    (sources.milestones, "milestone"),
    (sources.improvement_actions, "improvement_action"),
    (sources.progress_reviews, "progress_review"),
    (sources.engagement_gaps, "engagement_gap"),
    (sources.unacknowledged_notices, "notice_acknowledgement"),
    (sources.overdue_escalations, "escalation_overdue"),
    (sources.meeting_gaps, "meeting_gap"),
]


@freeze_time(TODAY)
@pytest.mark.parametrize(("source", "kind"), SOURCE_KINDS, ids=[k for _, k in SOURCE_KINDS])
def test_each_source_reminds_exactly_the_people_responsible(world, source, kind):
    services.reminders_send(today=TODAY, sources=[source])

    assert reminded() == as_ids(expected(world), kind)


@freeze_time(TODAY)
def test_the_daily_run_reminds_everyone_of_everything_once(world):
    run = services.reminders_send(today=TODAY)

    want = as_ids(expected(world))
    assert reminded() == want
    total = sum(len(items) for items in want.values())
    assert run.made == total
    assert Notification.objects.count() == total
    assert len(mail.outbox) == total  # nobody chose a digest: an email each


@freeze_time(TODAY)
def test_notifications_say_what_is_due_and_link_to_it(world):
    services.reminders_send(today=TODAY, sources=[sources.milestones])

    late = Notification.objects.get(user=world.lead, reminder__object_id=world.m_late.pk)
    assert late.subject == f"Milestone 3 days overdue: Evidence in ({world.inspection.title})"
    assert late.url == f"/inspections/{world.inspection.pk}/#milestones"
    assert late.due_on == world.m_late.due_on
    assert late.read_at is None
    soon = Notification.objects.get(user=world.lead, reminder__object_id=world.m_soon.pk)
    assert soon.subject.startswith("Milestone due in 14 days: Fieldwork ends")


@freeze_time(TODAY)
def test_cooperation_reminders_name_the_record(world):
    services.reminders_send(
        today=TODAY,
        sources=[sources.unacknowledged_notices, sources.overdue_escalations, sources.meeting_gaps],
    )
    mine = {n.kind: n for n in Notification.objects.filter(user=world.his_director)}

    notice = mine["notice_acknowledgement"]
    assert notice.subject == "No-surprises notice not acknowledged: Thematic review announcement"
    assert notice.url == f"/co-operation/notices/{world.n_waiting.pk}/"
    assert "acknowledged by 27 February 2026" in notice.text
    escalation = mine["escalation_overdue"]
    assert escalation.subject == "Escalation past its target date: Joint staffing disagreement"
    assert "9 days overdue" in escalation.text
    gap = mine["meeting_gap"]
    assert gap.subject == (
        "Q4 2025/26 ends on 31 March 2026 with no chairs and chief executives meeting"
    )
    assert gap.url == "/co-operation/meeting-gaps/"


@freeze_time(TODAY)
def test_a_booked_meeting_stops_the_gap_reminder(world):
    from tests.cooperation import factories as coop

    coop.MeetingFactory(meeting_type=world.chairs, held_on=TODAY.replace(day=25), status="booked")

    services.reminders_send(today=TODAY, sources=[sources.meeting_gaps])

    assert reminded() == {}


@pytest.mark.parametrize(
    ("due", "phrase"),
    [
        (0, "due today"),
        (1, "due tomorrow"),
        (5, "due in 5 days"),
        (-1, "1 day overdue"),
        (-4, "4 days overdue"),
    ],
)
def test_due_phrase(due, phrase):
    import datetime

    assert sources.due_phrase(TODAY + datetime.timedelta(days=due), TODAY) == phrase


@freeze_time(TODAY)
def test_review_and_engagement_reminders_name_the_record(world):
    services.reminders_send(
        today=TODAY, sources=[sources.progress_reviews, sources.engagement_gaps]
    )
    mine = {n.kind: n for n in Notification.objects.filter(user=world.other_link)}

    review = mine["progress_review"]
    assert review.subject == f"Formal monitoring 2 days overdue: {world.r_hand.partnership}"
    assert review.url == f"/improvement/reviews/{world.r_hand.pk}/"
    gap = mine["engagement_gap"]
    assert gap.subject == f"No engagement with {world.other_area.name} for 91 days"
    assert gap.url == f"/partnerships/engagement/?local_authority={world.other_area.pk}"
    assert "since 9 December 2025" in gap.text
