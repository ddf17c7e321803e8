"""Inspection reads: the filtered list and its query count, the overview (team, next steps,
milestones and their states, planned against actual weeks), evidence, milestones and the
reference lists."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from inspections import gates, lifecycle, selectors, services
from inspections.models import Inspection, InspectionStatus, Programme
from scrutiny.services import archive
from tests import factories

pytestmark = pytest.mark.django_db

S = InspectionStatus
ON = datetime.date(2026, 1, 5)  # a Monday
WEEK = datetime.timedelta(weeks=1)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def ids(qs) -> list[int]:
    return [i.pk for i in qs]


def move(inspection, by, *statuses, on=ON, reason=""):
    for status in statuses:
        inspection = services.inspection_transition(
            inspection=inspection, by=by, to_status=status, on=on, reason=reason
        )
    return inspection


def led_inspection(**kwargs):
    """An inspection with a lead on its team (synced), without the full team."""
    inspection = factories.InspectionFactory(**kwargs)
    lead = factories.lead_inspector(full_name=kwargs.get("title", "Lead") + " lead")
    factories.TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
    services.inspection_permissions_sync(inspection=inspection)
    return inspection, lead


# inspection_list: filters, ordering -------------------------------------------------------------


def test_filters(admin_user):
    asp = factories.programme("asp_phase_1")
    north, south = factories.PartnershipFactory(name="North"), factories.PartnershipFactory()
    a, lead_a = led_inspection(
        title="Alpha review", programme=asp, partnership=north, planned_notification_on=ON
    )
    b, lead_b = led_inspection(
        title="Beta review", partnership=south, planned_notification_on=ON + 52 * WEEK
    )
    c, _ = led_inspection(title="Gamma", partnership=south, status=S.PUBLISHED)
    Inspection.objects.filter(pk=c.pk).update(
        notified_on=datetime.date(2025, 3, 1), planned_notification_on=ON
    )

    def listed(**filters):
        return set(ids(selectors.inspection_list(user=admin_user, **filters)))

    assert listed() == {a.pk, b.pk, c.pk}
    assert listed(programme=asp) == {a.pk}
    assert listed(partnership=south) == {b.pk, c.pk}
    assert listed(status=S.PUBLISHED) == {c.pk}
    assert listed(lead_inspector=lead_a) == {a.pk}
    assert listed(lead_inspector=lead_b) == {b.pk}
    # a notified inspection counts in its notification year, others in their planned year
    assert listed(year=2026) == {a.pk}
    assert listed(year=2027) == {b.pk}
    assert listed(year=2025) == {c.pk}
    assert listed(search="review") == {a.pk, b.pk}
    assert listed(search="NORTH") == {a.pk}
    assert listed(mine=True) == set()
    assert ids(selectors.inspection_list(user=fresh(lead_a), mine=True)) == [a.pk]
    assert set(ids(selectors.inspections_for_partnership(user=admin_user, partnership=south))) == {
        b.pk,
        c.pk,
    }


def test_a_former_lead_is_not_listed_as_lead(admin_user):
    inspection, lead = led_inspection()
    services.team_member_remove(member=inspection.team.get(user=lead), by=admin_user)
    assert not selectors.inspection_list(user=admin_user, lead_inspector=lead).exists()
    assert not selectors.inspection_list(user=fresh(lead), mine=True).exists()
    row = selectors.inspection_list(user=admin_user).get(pk=inspection.pk)
    assert row.leads == []


def test_no_duplicates_when_a_person_is_on_many_teams(admin_user):
    inspection, lead = factories.inspection_with_team()
    first, second = factories.LocalAuthorityFactory(), factories.LocalAuthorityFactory()
    two_areas, _ = factories.inspection_with_team(
        partnership=factories.PartnershipFactory(local_authorities=[first, second])
    )
    link = factories.AreaAssignmentFactory(local_authority=first).user
    factories.AreaAssignmentFactory(local_authority=second, user=link)
    assert ids(selectors.inspection_list(user=fresh(lead), mine=True)) == [inspection.pk]
    assert ids(selectors.inspection_list(user=fresh(link))) == [two_areas.pk]
    assert len(ids(selectors.inspection_list(user=admin_user, search="Joint"))) == 2


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["A", "B", "C"]),
        ("-title", ["C", "B", "A"]),
        ("notification", ["B", "C", "A"]),
        ("-notification", ["A", "C", "B"]),
        ("status", ["B", "A", "C"]),  # fieldwork, notified, planned
        ("partnership", ["C", "A", "B"]),
        ("-partnership", ["B", "A", "C"]),
        ("nonsense", ["A", "C", "B"]),  # falls back to the newest notification first
    ],
)
def test_orderings(admin_user, ordering, expected):
    def make(title, status, weeks, partnership):
        factories.InspectionFactory(
            title=title,
            status=status,
            planned_notification_on=ON + weeks * WEEK,
            partnership=factories.PartnershipFactory(name=partnership),
        )

    make("A", S.NOTIFIED, 10, "Test Middle")
    make("B", S.FIELDWORK, 0, "Test Zed")
    make("C", S.PLANNED, 5, "Test Aardvark")
    rows = selectors.inspection_list(user=admin_user, ordering=ordering)
    assert [i.title for i in rows] == expected


def test_archived_inspections_only_on_request(admin_user):
    inspection, lead = led_inspection()
    services.inspection_archive(inspection=inspection, by=lead, reason="Duplicate")
    assert not selectors.inspection_list(user=admin_user).exists()
    assert ids(selectors.inspection_list(user=admin_user, include_archived=True)) == [inspection.pk]


def test_others_see_only_published_in_the_list():
    planned, _ = led_inspection()
    published, _ = led_inspection(status=S.PUBLISHED)
    closed, _ = led_inspection(status=S.CLOSED)
    withdrawn, _ = led_inspection(status=S.WITHDRAWN)
    assert set(ids(selectors.inspection_list(user=factories.inspector()))) == {
        published.pk,
        closed.pk,
    }
    assert planned.pk not in ids(selectors.inspection_list(user=factories.inspector()))
    assert withdrawn.pk not in ids(selectors.inspection_list(user=factories.inspector()))


# inspection_list: query count -------------------------------------------------------------------


def _list_queries(user) -> tuple[int, int]:
    qs = selectors.inspection_list(user=user)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(qs)
        for row in rows:
            assert row.leads[0].user.full_name
            assert row.programme.name and row.partnership.name and row.lead_agency.code
    return len(ctx.captured_queries), len(rows)


@pytest.mark.parametrize("who", ["administrator", "director", "team member", "anyone"])
def test_the_list_runs_the_same_queries_for_5_and_100_inspections(admin_user, who):
    member = factories.inspector()
    director = factories.senior(code="HIS")
    lead = factories.lead_inspector()
    partnership = factories.PartnershipFactory()

    def make(count):
        for _ in range(count):
            inspection = factories.InspectionFactory(
                partnership=partnership,
                status=S.PUBLISHED if who == "anyone" else S.PLANNED,
                quality_indicators=[],
            )
            factories.TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
            factories.TeamMemberFactory(inspection=inspection, user=member)
            services.inspection_permissions_sync(inspection=inspection)

    user = {
        "administrator": admin_user,
        "director": director,
        "team member": member,
        "anyone": factories.inspector(),
    }[who]
    make(5)
    few, rows = _list_queries(fresh(user))
    assert rows == 5
    make(95)
    many, rows = _list_queries(fresh(user))
    assert rows == 100
    assert many == few
    assert few <= 2  # the inspections, and their leads


# inspection_get and the overview ----------------------------------------------------------------


def test_inspection_get_is_404_for_what_the_user_may_not_see():
    inspection, lead = led_inspection()
    assert selectors.inspection_get(user=fresh(lead), pk=inspection.pk) == inspection
    with pytest.raises(Http404):
        selectors.inspection_get(user=factories.inspector(), pk=inspection.pk)
    with pytest.raises(Http404):
        selectors.inspection_get(user=fresh(lead), pk=inspection.pk + 1000)


def test_the_leads_overview_of_a_planned_inspection():
    inspection, lead = factories.inspection_with_team(quality_indicators=[])
    pending = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(full_name="Pat Pending"),
        role="inspector",
        conflict="other",
    )
    # The HIS inspector leaves (not Pat, whatever the random names sort as).
    gone = inspection.team.exclude(role="lead_inspector").exclude(pk=pending.pk).get()
    services.team_member_remove(member=gone, by=lead)
    overview = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk)
    assert overview.can_see_drafts and overview.can_change and overview.can_lead
    assert overview.can_view_evidence
    assert {m.user for m in overview.team} == {lead, pending.user}
    assert overview.lead.user == lead
    assert overview.my_membership.user == lead
    assert [(n.status, n.label) for n in overview.next_steps] == [
        (S.NOTIFIED, "Notified"),
        (S.WITHDRAWN, "Withdrawn"),
    ]
    notify, withdraw = overview.next_steps
    assert notify.unmet == [
        gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland"),
        gates.UNDECIDED_CONFLICTS.format(names="Pat Pending"),
        gates.NEEDS_INDICATORS,
    ]
    assert not notify.ready
    assert withdraw.ready
    assert overview.milestones == [] and overview.timings == [] and overview.status_changes == []


def test_team_members_and_readers_get_no_next_steps(admin_user):
    inspection, _ = factories.inspection_with_team()
    member = inspection.team.exclude(role="lead_inspector").first().user
    overview = selectors.inspection_overview(user=fresh(member), pk=inspection.pk)
    assert overview.can_see_drafts and overview.can_change and not overview.can_lead
    assert overview.next_steps == []
    assert overview.my_membership.user == member

    director = factories.senior(code="CI")
    overview = selectors.inspection_overview(user=director, pk=inspection.pk)
    assert overview.can_see_drafts and not overview.can_change and not overview.can_view_evidence
    assert overview.my_membership is None
    assert len(overview.team) == 2

    overview = selectors.inspection_overview(user=admin_user, pk=inspection.pk)
    assert overview.can_lead and [n.status for n in overview.next_steps] == [
        S.NOTIFIED,
        S.WITHDRAWN,
    ]
    assert overview.evidence == []  # administrators manage, but evidence is the team's


def test_a_pending_member_sees_the_inspection_but_not_its_evidence():
    inspection, lead = factories.inspection_with_team()
    factories.EvidenceActivityFactory(inspection=inspection)
    member = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(),
        role="inspector",
        conflict="other",
    )
    overview = selectors.inspection_overview(user=fresh(member.user), pk=inspection.pk)
    assert overview.can_see_drafts
    assert not overview.can_view_evidence
    assert overview.evidence == []
    assert overview.my_membership.decision == "pending"


def test_the_public_overview_of_a_published_inspection_hides_the_work():
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON)
    factories.EvidenceActivityFactory(inspection=inspection, status="complete")
    factories.satisfy_report_gates(inspection, lead)
    inspection = move(
        inspection,
        lead,
        S.NOTIFIED,
        S.EVIDENCE_GATHERING,
        S.FIELDWORK,
        S.EVALUATION,
        S.REPORT_DRAFTING,
        S.FACTUAL_ACCURACY,
        S.PUBLISHED,
    )
    overview = selectors.inspection_overview(user=factories.inspector(), pk=inspection.pk)
    assert not overview.can_see_drafts and not overview.can_change and not overview.can_lead
    assert overview.team == []
    assert overview.milestones == []
    assert overview.timings == []
    assert overview.status_changes == []
    assert overview.evidence == []
    assert overview.next_steps == []
    assert overview.lead.user == lead  # who led it is public
    assert len(overview.indicators) == inspection.quality_indicators.count()


def test_the_overview_lists_the_current_link_inspector_only():
    inspection, _ = factories.inspection_with_team()
    area = inspection.partnership.local_authorities.get()
    factories.AreaAssignmentFactory(
        local_authority=area, started_on=ON - 100 * WEEK, ended_on=ON - 10 * WEEK
    )
    current = factories.AreaAssignmentFactory(local_authority=area, started_on=ON - 9 * WEEK)
    overview = selectors.inspection_overview(user=current.user, pk=inspection.pk, today=ON)
    assert overview.link_inspectors == [current]
    earlier = selectors.inspection_overview(
        user=current.user, pk=inspection.pk, today=ON - 20 * WEEK
    )
    assert [a.pk for a in earlier.link_inspectors] != [current.pk]


def test_next_steps_show_a_gate_registered_later():
    def report_signed_off(inspection):
        return ["Get the report signed off."]

    lifecycle.gate(S.NOTIFIED)(report_signed_off)
    try:
        inspection, lead = factories.inspection_with_team()
        overview = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk)
        assert overview.next_steps[0].unmet == ["Get the report signed off."]
    finally:
        lifecycle.remove_gate(S.NOTIFIED, report_signed_off)
    overview = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk)
    assert overview.next_steps[0].ready


# Milestone states and timings -------------------------------------------------------------------


def test_milestone_state():
    milestone = factories.MilestoneFactory.build(due_on=ON)
    assert selectors.milestone_state(milestone, today=ON - WEEK) == "due"
    assert selectors.milestone_state(milestone, today=ON) == "due"
    assert selectors.milestone_state(milestone, today=ON + datetime.timedelta(days=1)) == "overdue"
    milestone.completed_on = ON + 2 * WEEK  # done, even if late
    assert selectors.milestone_state(milestone, today=ON + 3 * WEEK) == "done"


def notified_inspection():
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON + 9 * WEEK)
    return move(inspection, lead, S.NOTIFIED), lead


def test_the_overview_gives_each_milestone_its_state_on_a_given_day():
    inspection, lead = notified_inspection()
    position = inspection.milestones.get(
        name="Position statement and supporting documents received"
    )
    services.milestone_complete(
        milestone=position, by=lead, completed_on=ON + 3 * WEEK, expected_version=position.version
    )
    overview = selectors.inspection_overview(
        user=fresh(lead), pk=inspection.pk, today=ON + 6 * WEEK
    )
    states = {row.milestone.name: row.state for row in overview.milestones}
    assert states["Notification letters sent"] == "overdue"  # week 0, not marked done
    assert states["Position statement and supporting documents received"] == "done"
    assert states["Staff survey closes"] == "overdue"  # week 5
    assert states["Record reading complete"] == "due"  # week 8
    assert states["Report published"] == "due"
    assert [row.milestone.due_on for row in overview.milestones] == sorted(
        row.milestone.due_on for row in overview.milestones
    )


def test_the_overview_uses_today_when_not_told():
    inspection, lead = notified_inspection()
    with freeze_time(ON + 5 * WEEK + datetime.timedelta(days=1)):
        overview = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk)
    states = {row.milestone.name: row.state for row in overview.milestones}
    assert states["Staff survey closes"] == "overdue"
    assert states["Record reading complete"] == "due"
    with freeze_time(ON + 5 * WEEK):
        overview = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk)
    states = {row.milestone.name: row.state for row in overview.milestones}
    assert states["Staff survey closes"] == "due"  # due today is not yet overdue


def test_planned_against_actual_weeks_from_notification():
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON + 10 * WEEK)
    factories.EvidenceActivityFactory(inspection=inspection, status="complete")
    assert selectors.inspection_overview(user=fresh(lead), pk=inspection.pk).timings == []
    move(inspection, lead, S.NOTIFIED, on=ON)
    move(inspection, lead, S.EVIDENCE_GATHERING, on=ON + WEEK)
    move(inspection, lead, S.FIELDWORK, on=ON + 10 * WEEK)
    move(inspection, lead, S.SUSPENDED, on=ON + 11 * WEEK, reason="Cyber incident")
    move(inspection, lead, S.FIELDWORK, on=ON + 12 * WEEK)
    move(inspection, lead, S.EVALUATION, on=ON + 13 * WEEK + datetime.timedelta(days=3))

    timings = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk).timings
    assert [(t.status, t.planned_week, t.actual_week) for t in timings] == [
        (S.NOTIFIED, 0, 0),
        (S.EVIDENCE_GATHERING, 3, 1),
        (S.FIELDWORK, 9, 10),  # first entry counts, not the resumption
        (S.EVALUATION, 12, 13),
        (S.REPORT_DRAFTING, 13, None),
        (S.FACTUAL_ACCURACY, 16, None),
        (S.PUBLISHED, 20, None),
    ]
    assert timings[3].label == "Evaluation and moderation"


def test_a_moved_milestone_does_not_change_the_planned_week():
    inspection, lead = notified_inspection()
    first = inspection.milestones.get(name="Position statement and supporting documents received")
    services.milestone_move(
        milestone=first,
        by=lead,
        due_on=ON + 7 * WEEK,  # now after the staff survey (week 5)
        reason="Partnership asked for more time",
        expected_version=first.version,
    )
    timings = selectors.inspection_overview(user=fresh(lead), pk=inspection.pk).timings
    planned = {t.status: t.planned_week for t in timings}
    assert planned[S.EVIDENCE_GATHERING] == 3


# Overview query count ---------------------------------------------------------------------------


def _overview_queries(user, pk) -> int:
    with CaptureQueriesContext(connection) as ctx:
        overview = selectors.inspection_overview(user=user, pk=pk, today=ON)
        for member in overview.team:
            assert member.user.agency.name
            str(member.decided_by)
        for activity in overview.evidence:
            list(activity.carried_out_by.all())
            list(activity.attachments.all())
        for row in overview.milestones:
            assert row.state
        for change in overview.status_changes:
            str(change.changed_by)
    return len(ctx.captured_queries)


def _grow(inspection, lead, size):
    for _ in range(size):
        user = factories.inspector()
        member = services.team_member_add(
            inspection=inspection, by=lead, user=user, role="inspector", conflict="other"
        )
        services.conflict_decide(member=member, by=lead, decision="cleared")
        activity = factories.EvidenceActivityFactory(inspection=inspection, status="complete")
        activity.carried_out_by.set([user, lead])
        factories.AttachmentFactory(evidence_activity=activity, uploaded_by=user)
        factories.MilestoneFactory(inspection=inspection, stage="fieldwork", offset_weeks=10)


@pytest.mark.parametrize("stage", [S.PLANNED, S.FIELDWORK])
def test_the_overview_query_count_does_not_grow_with_the_inspection(stage):
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON)
    factories.EvidenceActivityFactory(inspection=inspection, status="complete")
    if stage == S.FIELDWORK:
        inspection = move(inspection, lead, S.NOTIFIED, S.EVIDENCE_GATHERING, S.FIELDWORK)
    _grow(inspection, lead, 2)
    small = _overview_queries(fresh(lead), inspection.pk)
    _grow(inspection, lead, 15)
    large = _overview_queries(fresh(lead), inspection.pk)
    assert large == small


# Evidence and milestones ------------------------------------------------------------------------


def test_evidence_list_filters_and_leaves_out_archived(admin_user):
    inspection, lead = factories.inspection_with_team()
    survey = factories.EvidenceActivityFactory(
        inspection=inspection, kind="staff_survey", status="complete"
    )
    reading = factories.EvidenceActivityFactory(inspection=inspection, kind="record_reading")
    old = factories.EvidenceActivityFactory(inspection=inspection)
    archive(old, by=lead, reason="Duplicate")
    kept = factories.AttachmentFactory(evidence_activity=survey)
    archive(factories.AttachmentFactory(evidence_activity=survey), by=lead, reason="Wrong file")
    other, _ = factories.inspection_with_team()
    factories.EvidenceActivityFactory(inspection=other)

    user = fresh(lead)
    assert set(ids(selectors.evidence_activity_list(user=user))) == {survey.pk, reading.pk}
    assert ids(selectors.evidence_activity_list(user=user, kind="staff_survey")) == [survey.pk]
    assert ids(selectors.evidence_activity_list(user=user, status="planned")) == [reading.pk]
    assert set(ids(selectors.evidence_activity_list(user=user, inspection=inspection))) == {
        survey.pk,
        reading.pk,
    }
    listed = selectors.evidence_activity_list(user=user).get(pk=survey.pk)
    assert list(listed.attachments.all()) == [kept]
    assert not selectors.evidence_activity_list(user=admin_user).exists()
    assert selectors.evidence_activity_get(user=user, pk=survey.pk) == survey
    with pytest.raises(Http404):
        selectors.evidence_activity_get(user=admin_user, pk=survey.pk)


def test_milestones_are_for_those_who_see_the_drafts():
    inspection, lead = notified_inspection()
    milestone = inspection.milestones.first()
    assert selectors.milestone_list(user=fresh(lead), inspection=inspection).count() == 11
    assert selectors.milestone_get(user=fresh(lead), inspection=inspection, pk=milestone.pk)
    Inspection.objects.filter(pk=inspection.pk).update(status=S.PUBLISHED)
    inspection.refresh_from_db()
    outsider = factories.inspector()
    assert not selectors.milestone_list(user=outsider, inspection=inspection).exists()
    with pytest.raises(Http404):
        selectors.milestone_get(user=outsider, inspection=inspection, pk=milestone.pk)
    other, _ = notified_inspection()
    with pytest.raises(Http404):  # a milestone of another inspection
        selectors.milestone_get(
            user=fresh(lead), inspection=inspection, pk=other.milestones.first().pk
        )


def test_reference_lists(admin_user):
    programmes = selectors.programme_list(user=factories.inspector())
    assert programmes.count() == 7
    cpo = Programme.objects.get(code="justice_cpo")
    archive(Programme.objects.get(code="justice_self_evaluation"), by=admin_user, reason="Ended")
    assert selectors.programme_list(user=factories.inspector()).count() == 6
    indicators = selectors.quality_indicator_list(user=factories.inspector(), programme=cpo)
    assert [qi.title for qi in indicators] == [
        "Achieving outcomes",
        "Delivery of key processes",
        "Impact and experience of community payback orders",
        "Leadership",
        "Capacity for improvement",
    ]
    archive(indicators.first(), by=admin_user, reason="Dropped")
    assert selectors.quality_indicator_list(user=admin_user, programme=cpo).count() == 4
    assert selectors.quality_indicator_list(user=admin_user).count() == 18 - 1
