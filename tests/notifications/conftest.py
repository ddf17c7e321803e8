"""Fixtures for the reminder tests: on a fixed day, one of everything each reminder source
looks at, with the people responsible for it and people who are not."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.roles import Role
from improvement.models import (
    ActionStatus,
    ImprovementAction,
    ImprovementPlan,
    ProgressReview,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
)
from notifications.models import Reminder
from partnerships.models import Engagement
from tests import factories
from tests.cooperation import factories as coop

TODAY = datetime.date(2026, 3, 10)  # a Tuesday; Q4 2025/26 ends on 31 March, in 21 days


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def make_world() -> SimpleNamespace:
    """Everything the reminder sources look at on TODAY. See `expected` for who gets what."""
    w = SimpleNamespace()
    # An inspection in fieldwork with its team: a lead, a member, one excluded, one removed.
    w.inspection, w.lead = factories.inspection_with_team()
    w.inspection.status = "fieldwork"
    w.inspection.save()
    w.member = w.inspection.team.exclude(role="lead_inspector").first().user
    w.excluded = factories.inspector(full_name="Xander Excluded")
    factories.TeamMemberFactory(
        inspection=w.inspection, user=w.excluded, conflict="worked_there", decision="excluded"
    )
    w.former = factories.inspector(full_name="Fiona Former")
    factories.TeamMemberFactory(inspection=w.inspection, user=w.former, archived_at=timezone.now())
    w.m_soon = factories.MilestoneFactory(
        inspection=w.inspection, name="Fieldwork ends", due_on=days(14)
    )
    w.m_late = factories.MilestoneFactory(
        inspection=w.inspection, name="Evidence in", due_on=days(-3)
    )
    factories.MilestoneFactory(inspection=w.inspection, name="Too far ahead", due_on=days(15))
    factories.MilestoneFactory(
        inspection=w.inspection, name="Done already", due_on=days(-1), completed_on=days(-2)
    )
    factories.MilestoneFactory(
        inspection=w.inspection, name="Archived", due_on=TODAY, archived_at=timezone.now()
    )
    # A suspended inspection: its milestones wait.
    w.paused, w.paused_lead = factories.inspection_with_team(status="suspended")
    factories.MilestoneFactory(inspection=w.paused, name="Paused milestone", due_on=TODAY)

    # The partnership's link inspectors: current, former, and another area's.
    area = w.inspection.partnership.local_authorities.first()
    w.link = factories.UserFactory(
        roles=[Role.INSPECTOR, Role.LINK_INSPECTOR], full_name="Lin Link"
    )
    factories.AreaAssignmentFactory(user=w.link, local_authority=area, started_on=days(-400))
    w.old_link = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    factories.AreaAssignmentFactory(
        user=w.old_link, local_authority=area, started_on=days(-900), ended_on=days(-401)
    )
    w.other_link = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    w.other_area = factories.AreaAssignmentFactory(
        user=w.other_link, started_on=days(-400)
    ).local_authority

    # An improvement plan with actions due, overdue, done and far off.
    w.plan = ImprovementPlan.objects.create(
        partnership=w.inspection.partnership, inspection=w.inspection, title="Joint plan"
    )

    def action(description, due_on, status=ActionStatus.ON_TRACK):
        return ImprovementAction.objects.create(
            plan=w.plan,
            description=description,
            owner_name="Ann Owner",
            owner_organisation="Fife Council",
            due_on=due_on,
            status=status,
        )

    w.a_due = action("Train staff in chronologies", days(5))
    w.a_late = action("Audit case files", days(-10), ActionStatus.AT_RISK)
    action("Already complete", days(-1), ActionStatus.COMPLETE)
    action("Next year", days(30))

    # Progress reviews: one scheduled by a decision after the inspection (its lead and the link
    # inspector), one scheduled by hand for another partnership (its link inspector only).
    assessment = SupportAssessment.objects.create(
        partnership=w.inspection.partnership,
        inspection=w.inspection,
        assessed_on=days(-60),
        created_by=w.lead,
    )
    decision = SupportDecision.objects.create(
        assessment=assessment,
        level=SupportLevel.objects.order_by("order").last(),
        decided_by=w.lead,
    )
    w.r_decided = ProgressReview.objects.create(
        partnership=w.inspection.partnership, decision=decision, kind="formal", due_on=days(7)
    )
    other_partnership = factories.PartnershipFactory(local_authorities=[w.other_area])
    w.r_hand = ProgressReview.objects.create(
        partnership=other_partnership, kind="monitoring", due_on=days(-2)
    )
    ProgressReview.objects.create(
        partnership=w.inspection.partnership,
        kind="monitoring",
        due_on=days(-30),
        status="held",
        held_on=days(-29),
        attendees="Link inspector, chief officer",
        judgement="good",
    )
    ProgressReview.objects.create(partnership=other_partnership, kind="formal", due_on=days(20))

    # Engagement: the link inspector engaged with the partnership 30 days ago; the other area's
    # link inspector last engaged 91 days ago (a later entry is archived); a new link inspector
    # has not engaged yet but started only 30 days ago.
    Engagement.objects.create(
        partnership=w.inspection.partnership,
        engaged_on=days(-30),
        kind="meeting",
        recorded_by=w.link,
    )
    Engagement.objects.create(
        local_authority=w.other_area, engaged_on=days(-91), kind="visit", recorded_by=w.other_link
    )
    Engagement.objects.create(
        local_authority=w.other_area,
        engaged_on=days(-5),
        kind="visit",
        recorded_by=w.other_link,
        archived_at=timezone.now(),
    )
    w.new_link = factories.UserFactory(roles=[Role.INSPECTOR, Role.LINK_INSPECTOR])
    factories.AreaAssignmentFactory(user=w.new_link, started_on=days(-30))

    # Directors and chief executives of both bodies, and some who are not reminded.
    w.ci_director = coop.director("CI", full_name="Dana Director")
    w.ci_ceo = coop.chief_executive("CI", full_name="Carl Chief")
    w.his_director = coop.director("HIS", full_name="Hugh Director")
    w.his_ceo = coop.chief_executive("HIS", full_name="Hazel Chief")
    w.hmics_director = factories.UserFactory(
        roles=[Role.DIRECTOR], agency=factories.agency("HMICS")
    )
    w.inactive_director = coop.director("CI", is_active=False)
    w.bystander = factories.inspector(full_name="Bea Bystander")

    # No-surprises notices raised by CI: one HIS has not acknowledged in time.
    w.n_waiting = coop.NoticeFactory(
        subject="Thematic review announcement", told_on=datetime.date(2026, 2, 20)
    )
    coop.NoticeFactory(
        told_on=datetime.date(2026, 2, 20), acknowledged_on=datetime.date(2026, 2, 23)
    )
    coop.NoticeFactory(told_on=datetime.date(2026, 3, 6))  # acknowledgement not yet due
    coop.NoticeFactory(told_on=None, told_whom="")  # not told: flagged late, not unacknowledged

    # Escalations: one past its target date; others not.
    w.e_late = coop.escalation(
        subject="Joint staffing disagreement",
        level="directors",
        step_target_on=datetime.date(2026, 3, 1),
    )
    coop.escalation(level="directors", step_target_on=datetime.date(2026, 4, 1))
    coop.escalation(
        status="resolved",
        resolved_on=datetime.date(2026, 3, 2),
        step_target_on=datetime.date(2026, 2, 1),
    )
    # Moved up to chief executives: the directors' step is past its target, the current one not.
    moved = coop.escalation(
        level="chief_executives", step_level="directors", step_target_on=datetime.date(2026, 2, 1)
    )
    coop.EscalationStepFactory(
        escalation=moved,
        level="chief_executives",
        reached_on=datetime.date(2026, 2, 2),
        target_on=datetime.date(2026, 4, 30),
    )

    # Meetings: the boards met this year; the chairs and chief executives have not this quarter.
    coop.MeetingFactory(meeting_type=coop.meeting_type("boards"), held_on=datetime.date(2025, 6, 1))
    w.chairs = coop.meeting_type("chairs_and_chief_executives")
    return w


def expected(w: SimpleNamespace) -> dict:
    """{user: {(kind, record)}} for everyone in the world."""
    seniors_both = {"escalation_overdue": w.e_late, "meeting_gap": w.chairs}
    return {
        w.lead: {
            ("milestone", w.m_soon),
            ("milestone", w.m_late),
            ("improvement_action", w.a_due),
            ("improvement_action", w.a_late),
            ("progress_review", w.r_decided),
        },
        w.member: {("milestone", w.m_soon), ("milestone", w.m_late)},
        w.link: {
            ("improvement_action", w.a_due),
            ("improvement_action", w.a_late),
            ("progress_review", w.r_decided),
        },
        w.other_link: {("progress_review", w.r_hand), ("engagement_gap", w.other_area)},
        w.new_link: set(),
        w.ci_director: set(seniors_both.items()),
        w.ci_ceo: set(seniors_both.items()),
        w.his_director: {*seniors_both.items(), ("notice_acknowledgement", w.n_waiting)},
        w.his_ceo: {*seniors_both.items(), ("notice_acknowledgement", w.n_waiting)},
        w.excluded: set(),
        w.former: set(),
        w.paused_lead: set(),
        w.old_link: set(),
        w.hmics_director: set(),
        w.inactive_director: set(),
        w.bystander: set(),
    }


def reminded(kind: str | None = None) -> dict:
    """{user id: {(kind, record)}} from the reminders made (each with its notification)."""
    result: dict[int, set] = {}
    qs = Reminder.objects.select_related("content_type", "notification")
    if kind:
        qs = qs.filter(kind=kind)
    for r in qs:
        assert r.notification.user_id == r.user_id
        record = r.content_type.get_object_for_this_type(pk=r.object_id)
        result.setdefault(r.user_id, set()).add((r.kind, record))
    return result


def as_ids(mapping: dict, kind: str | None = None) -> dict:
    """{user id: {(kind, record)}} without the empty ones, optionally of one kind."""
    out = {}
    for user, items in mapping.items():
        items = {(k, r) for k, r in items if kind is None or k == kind}
        if items:
            out[user.pk] = items
    return out


@pytest.fixture
def world(db) -> SimpleNamespace:
    return make_world()
