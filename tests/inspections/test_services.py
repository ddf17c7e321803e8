"""Inspection services: the lifecycle and its gates, milestones, team and conflicts of interest,
evidence, versioning and archiving. Every write is checked for what a user would notice: the
status, the messages, the History row and who may now see what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inspections import gates, lifecycle, services
from inspections.models import (
    Inspection,
    InspectionStatus,
    MilestoneTemplate,
    StatusChange,
    TeamMember,
)
from inspections.policies import evidence_policy, inspection_policy
from inspections.selectors import evidence_activity_list, inspection_list
from scrutiny.services import ALREADY_ARCHIVED_MESSAGE, ConflictError, archive, versioned_update
from tests import factories

pytestmark = pytest.mark.django_db

S = InspectionStatus
ON = datetime.date(2026, 1, 5)  # a Monday
MAIN_SEQUENCE = [
    S.NOTIFIED,
    S.EVIDENCE_GATHERING,
    S.FIELDWORK,
    S.EVALUATION,
    S.REPORT_DRAFTING,
    S.FACTUAL_ACCURACY,
    S.PUBLISHED,
    S.IMPROVEMENT_PLAN_AGREED,
    S.CLOSED,
]


def fresh(user):
    """The user as a new request would load them (no permission caches)."""
    return type(user).objects.get(pk=user.pk)


def reload(inspection: Inspection) -> Inspection:
    return Inspection.objects.get(pk=inspection.pk)


def ready_inspection(**kwargs):
    """An inspection whose every gate on the main sequence is met: a full team, indicators,
    fieldwork start date and one complete evidence activity."""
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON, **kwargs)
    factories.EvidenceActivityFactory(inspection=inspection, status="complete", title="Survey")
    factories.satisfy_report_gates(inspection, lead)  # the report's gates, met by factories
    return inspection, lead


def move(inspection, by, *statuses, on=ON, reason=""):
    for status in statuses:
        inspection = services.inspection_transition(
            inspection=inspection, by=by, to_status=status, on=on, reason=reason
        )
    return inspection


def at(status):
    """A ready inspection moved along the main sequence to `status`, with its lead."""
    inspection, lead = ready_inspection()
    steps = MAIN_SEQUENCE[: MAIN_SEQUENCE.index(status) + 1] if status != S.PLANNED else []
    return move(inspection, lead, *steps), lead


def refused(exc) -> list[str]:
    return list(exc.value.messages)


def not_allowed(current: str, target: str) -> str:
    labels = dict(S.choices)
    return services.NOT_ALLOWED_TRANSITION.format(current=labels[current], target=labels[target])


# The lifecycle ---------------------------------------------------------------------------------


def test_the_whole_lifecycle_is_audited_step_by_step():
    inspection, lead = ready_inspection()
    dates = {status: ON + datetime.timedelta(weeks=2 * i) for i, status in enumerate(MAIN_SEQUENCE)}
    for status in MAIN_SEQUENCE:
        inspection = move(inspection, lead, status, on=dates[status])
        assert inspection.status == status
        assert inspection.status_changed_on == dates[status]

    inspection = reload(inspection)
    assert inspection.status == S.CLOSED
    assert inspection.notified_on == dates[S.NOTIFIED]
    assert inspection.published_on == dates[S.PUBLISHED]
    steps = list(
        StatusChange.objects.filter(inspection=inspection).values_list(
            "from_status", "to_status", "changed_on", "changed_by"
        )
    )
    assert steps == [
        (before, after, dates[after], lead.pk)
        for before, after in zip([S.PLANNED, *MAIN_SEQUENCE], MAIN_SEQUENCE, strict=False)
    ]
    # History: one row per step, by the lead, saying where it moved.
    moves = inspection.history.filter(history_change_reason__startswith="Moved to")
    assert moves.count() == len(MAIN_SEQUENCE)
    assert {h.history_user_id for h in moves} == {lead.pk}
    assert inspection.history.first().history_change_reason == "Moved to Closed"


def test_an_administrator_may_move_an_inspection(admin_user):
    inspection, _ = ready_inspection()
    inspection = move(inspection, admin_user, S.NOTIFIED)
    assert inspection.status == S.NOTIFIED
    assert StatusChange.objects.get(inspection=inspection).changed_by == admin_user


@pytest.mark.parametrize("who", ["team member", "outsider", "link inspector", "director"])
def test_only_the_lead_or_an_administrator_moves_an_inspection(who):
    inspection, _ = ready_inspection()
    if who == "team member":
        user = inspection.team.exclude(role="lead_inspector").first().user
    elif who == "director":
        user = factories.senior(code="CI")
    elif who == "link inspector":
        user = factories.AreaAssignmentFactory(
            local_authority=inspection.partnership.local_authorities.first()
        ).user
    else:
        user = factories.inspector()
    with pytest.raises(PermissionDenied) as exc:
        move(inspection, user, S.NOTIFIED)
    assert str(exc.value) == services.ONLY_LEAD
    assert reload(inspection).status == S.PLANNED
    assert not StatusChange.objects.filter(inspection=inspection).exists()


def test_a_lead_inspector_of_another_inspection_cannot_move_this_one():
    inspection, _ = ready_inspection()
    _, other_lead = ready_inspection()
    with pytest.raises(PermissionDenied):
        move(inspection, other_lead, S.NOTIFIED)


def test_a_removed_lead_can_no_longer_move_the_inspection(admin_user):
    inspection, lead = ready_inspection()
    services.team_member_remove(
        member=inspection.team.get(user=lead), by=admin_user, reason="Moved to other work"
    )
    with pytest.raises(PermissionDenied):
        move(inspection, fresh(lead), S.NOTIFIED)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.PLANNED, S.EVIDENCE_GATHERING),
        (S.PLANNED, S.PUBLISHED),
        (S.PLANNED, S.SUSPENDED),
        (S.PLANNED, S.CLOSED),
        (S.NOTIFIED, S.PLANNED),
        (S.NOTIFIED, S.FIELDWORK),
        (S.FIELDWORK, S.EVIDENCE_GATHERING),
        (S.EVALUATION, S.PUBLISHED),
        (S.PUBLISHED, S.WITHDRAWN),
        (S.PUBLISHED, S.SUSPENDED),
        (S.PUBLISHED, S.CLOSED),
        (S.IMPROVEMENT_PLAN_AGREED, S.PUBLISHED),
    ],
)
def test_only_allowed_transitions(start, target):
    inspection, lead = at(start)
    changes_before = StatusChange.objects.filter(inspection=inspection).count()
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, target, reason="Because")
    assert refused(exc) == [not_allowed(start, target)]
    assert reload(inspection).status == start
    assert StatusChange.objects.filter(inspection=inspection).count() == changes_before


def test_an_unknown_status_is_refused_not_crashed():
    inspection, lead = ready_inspection()
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, "abandoned")
    assert refused(exc) == [
        services.NOT_ALLOWED_TRANSITION.format(current="Planned", target="abandoned")
    ]


def test_factual_accuracy_can_send_the_report_back_to_drafting():
    inspection, lead = at(S.FACTUAL_ACCURACY)
    inspection = move(inspection, lead, S.REPORT_DRAFTING, S.FACTUAL_ACCURACY, S.PUBLISHED)
    assert inspection.status == S.PUBLISHED


@pytest.mark.parametrize(
    "start",
    [
        S.PLANNED,
        S.NOTIFIED,
        S.EVIDENCE_GATHERING,
        S.FIELDWORK,
        S.EVALUATION,
        S.REPORT_DRAFTING,
        S.FACTUAL_ACCURACY,
    ],
)
def test_an_unpublished_inspection_can_be_withdrawn_with_a_reason(start):
    inspection, lead = at(start)
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.WITHDRAWN, reason="   ")
    assert refused(exc) == [services.REASON_NEEDED]

    inspection = move(inspection, lead, S.WITHDRAWN, reason="The partnership is being merged.")
    assert inspection.status == S.WITHDRAWN
    assert inspection.status_reason == "The partnership is being merged."
    change = StatusChange.objects.filter(inspection=inspection).last()
    assert (change.from_status, change.to_status) == (start, S.WITHDRAWN)
    assert change.reason == "The partnership is being merged."
    assert inspection.history.first().history_change_reason == "The partnership is being merged."


@pytest.mark.parametrize("terminal", [S.CLOSED, S.WITHDRAWN])
def test_closed_and_withdrawn_are_terminal(terminal):
    if terminal == S.CLOSED:
        inspection, lead = at(S.CLOSED)
    else:
        inspection, lead = at(S.FIELDWORK)
        inspection = move(inspection, lead, S.WITHDRAWN, reason="No longer needed")
    assert lifecycle.next_statuses(inspection) == []
    for target in [*MAIN_SEQUENCE, S.PLANNED, S.SUSPENDED, S.WITHDRAWN]:
        if target == terminal:
            continue
        with pytest.raises(services.TransitionRefused) as exc:
            move(inspection, lead, target, reason="Try anyway")
        assert refused(exc) == [not_allowed(terminal, target)]
    assert reload(inspection).status == terminal


@pytest.mark.parametrize(
    "start",
    [S.NOTIFIED, S.EVIDENCE_GATHERING, S.FIELDWORK, S.EVALUATION, S.REPORT_DRAFTING],
)
def test_suspended_resumes_to_where_it_came_from(start):
    inspection, lead = at(start)
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.SUSPENDED)
    assert refused(exc) == [services.REASON_NEEDED]

    inspection = move(inspection, lead, S.SUSPENDED, reason="Major incident in the area")
    assert inspection.status == S.SUSPENDED
    assert inspection.suspended_from == start
    assert inspection.status_reason == "Major incident in the area"
    assert lifecycle.next_statuses(inspection) == [start, S.WITHDRAWN]

    following = MAIN_SEQUENCE[MAIN_SEQUENCE.index(start) + 1]
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, following)
    assert refused(exc) == [not_allowed(S.SUSPENDED, following)]

    inspection = move(inspection, lead, start, on=ON + datetime.timedelta(weeks=3))
    assert inspection.status == start
    assert inspection.suspended_from == ""
    assert inspection.status_reason == ""  # the suspension's reason stays in its StatusChange
    last_two = list(inspection.status_changes.values_list("from_status", "to_status", "reason"))
    assert last_two[-2:] == [
        (start, S.SUSPENDED, "Major incident in the area"),
        (S.SUSPENDED, start, ""),
    ]


def test_a_suspended_inspection_can_be_withdrawn():
    inspection, lead = at(S.FIELDWORK)
    inspection = move(inspection, lead, S.SUSPENDED, reason="Paused")
    inspection = move(inspection, lead, S.WITHDRAWN, reason="Cancelled")
    assert inspection.status == S.WITHDRAWN
    assert inspection.suspended_from == ""
    assert inspection.status_reason == "Cancelled"


def test_resuming_does_not_copy_milestones_again():
    inspection, lead = at(S.NOTIFIED)
    count = inspection.milestones.count()
    inspection = move(inspection, lead, S.SUSPENDED, reason="Paused")
    inspection = move(inspection, lead, S.NOTIFIED)
    assert inspection.milestones.count() == count
    assert reload(inspection).notified_on == ON


def test_a_stale_transition_is_a_conflict():
    inspection, lead = ready_inspection()
    seen = inspection.version
    services.inspection_update(
        inspection=inspection, by=lead, expected_version=seen, changes={"summary": "Edited"}
    )
    with pytest.raises(ConflictError):
        services.inspection_transition(
            inspection=inspection, by=lead, to_status=S.NOTIFIED, expected_version=seen
        )
    assert reload(inspection).status == S.PLANNED


def test_an_archived_inspection_cannot_move(admin_user):
    inspection, lead = ready_inspection()
    services.inspection_archive(inspection=inspection, by=admin_user, reason="Entered twice")
    with pytest.raises(ValidationError) as exc:
        move(inspection, lead, S.NOTIFIED)
    assert exc.value.messages == [services.ARCHIVED_INSPECTION]
    assert reload(inspection).status == S.PLANNED


# Stage gates -----------------------------------------------------------------------------------


def test_notification_needs_lead_agencies_and_indicators(admin_user):
    inspection = factories.InspectionFactory(
        programme=factories.programme("asp_phase_1"), quality_indicators=[]
    )
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, admin_user, S.NOTIFIED)
    assert refused(exc) == [
        gates.NEEDS_LEAD,
        # the lead agency, then the partners in name order
        gates.NEEDS_AGENCY_MEMBER.format(agency="Care Inspectorate"),
        gates.NEEDS_AGENCY_MEMBER.format(agency="HM Inspectorate of Constabulary in Scotland"),
        gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland"),
        gates.NEEDS_INDICATORS,
    ]
    assert reload(inspection).status == S.PLANNED
    assert not inspection.milestones.exists()


def test_an_asp_inspection_needs_someone_from_ci_his_and_hmics(admin_user):
    inspection, lead = factories.inspection_with_team(programme=factories.programme("asp_phase_1"))
    assert set(inspection.team.values_list("user__agency__code", flat=True)) == {
        "CI",
        "HIS",
        "HMICS",
    }
    police = inspection.team.get(user__agency__code="HMICS")
    services.team_member_remove(member=police, by=lead, reason="Left")
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.NOTIFIED)
    assert refused(exc) == [
        gates.NEEDS_AGENCY_MEMBER.format(agency="HM Inspectorate of Constabulary in Scotland")
    ]
    services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.UserFactory(agency=factories.agency("HMICS")),
        role="police_inspector",
    )
    assert move(inspection, lead, S.NOTIFIED).status == S.NOTIFIED


def test_a_programme_without_indicators_needs_none_chosen(admin_user):
    inspection, lead = factories.inspection_with_team(
        programme=factories.programme("justice_self_evaluation")
    )
    assert not inspection.quality_indicators.exists()
    assert move(inspection, lead, S.NOTIFIED).status == S.NOTIFIED


def test_undecided_conflicts_block_notification():
    inspection, lead = ready_inspection()
    member = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(full_name="Connie Connected"),
        role="inspector",
        conflict="worked_there",
        conflict_details="Social worker there until 2022",
    )
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.NOTIFIED)
    assert refused(exc) == [gates.UNDECIDED_CONFLICTS.format(names="Connie Connected")]
    services.conflict_decide(member=member, by=lead, decision="restricted", notes="Not Fife files")
    assert move(inspection, lead, S.NOTIFIED).status == S.NOTIFIED


def test_an_excluded_member_does_not_count_for_their_agency():
    inspection, lead = ready_inspection()
    his = inspection.team.get(user__agency__code="HIS")
    member = services.team_member_declare(member=his, by=his.user, conflict="family")
    services.conflict_decide(member=member, by=lead, decision="excluded")
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.NOTIFIED)
    assert refused(exc) == [
        gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland")
    ]


def test_a_removed_lead_no_longer_counts(admin_user):
    inspection, lead = ready_inspection()
    services.team_member_remove(member=inspection.team.get(user=lead), by=admin_user)
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, admin_user, S.NOTIFIED)
    # The lead was also the team's only Care Inspectorate member.
    assert refused(exc) == [
        gates.NEEDS_LEAD,
        gates.NEEDS_AGENCY_MEMBER.format(agency="Care Inspectorate"),
    ]


def test_fieldwork_needs_its_start_date():
    inspection, lead = at(S.EVIDENCE_GATHERING)
    inspection = services.inspection_update(
        inspection=inspection,
        by=lead,
        expected_version=inspection.version,
        changes={"fieldwork_starts_on": None},
    )
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.FIELDWORK)
    assert refused(exc) == [gates.NEEDS_FIELDWORK_DATES]
    inspection = services.inspection_update(
        inspection=inspection,
        by=lead,
        expected_version=inspection.version,
        changes={"fieldwork_starts_on": ON + datetime.timedelta(weeks=9)},
    )
    assert move(inspection, lead, S.FIELDWORK).status == S.FIELDWORK


def test_leaving_fieldwork_needs_evidence_and_all_of_it_complete():
    inspection, lead = factories.inspection_with_team(fieldwork_starts_on=ON)
    inspection = move(inspection, lead, S.NOTIFIED, S.EVIDENCE_GATHERING, S.FIELDWORK)
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.EVALUATION)
    assert refused(exc) == [gates.NEEDS_EVIDENCE]

    survey = services.evidence_activity_create(
        inspection=inspection, by=lead, kind="staff_survey", title="Staff survey", status="complete"
    )
    reading = services.evidence_activity_create(
        inspection=inspection, by=lead, kind="record_reading", title="Record reading"
    )
    groups = services.evidence_activity_create(
        inspection=inspection, by=lead, kind="focus_groups", title="Focus groups"
    )
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.EVALUATION)
    assert refused(exc) == [
        gates.EVIDENCE_INCOMPLETE.format(count=2, titles="Record reading, Focus groups")
    ]
    services.evidence_activity_archive(activity=groups, by=lead, reason="Not needed")
    services.evidence_activity_update(
        activity=reading, by=lead, expected_version=reading.version, changes={"status": "complete"}
    )
    assert survey.status == "complete"
    assert move(inspection, lead, S.EVALUATION).status == S.EVALUATION


NEW_GATE_MESSAGE = "Agree every finding with the lead inspector."


@pytest.fixture
def new_gate():
    """A gate a later issue might add, registered for this test only."""

    def findings_agreed(inspection):
        return [NEW_GATE_MESSAGE]

    lifecycle.gate(S.FACTUAL_ACCURACY)(findings_agreed)
    yield findings_agreed
    lifecycle.remove_gate(S.FACTUAL_ACCURACY, findings_agreed)


def test_a_registered_gate_appears_in_unmet_conditions(new_gate):
    inspection, lead = at(S.REPORT_DRAFTING)
    assert lifecycle.unmet_conditions(inspection, S.FACTUAL_ACCURACY) == [NEW_GATE_MESSAGE]
    with pytest.raises(services.TransitionRefused) as exc:
        move(inspection, lead, S.FACTUAL_ACCURACY)
    assert refused(exc) == [NEW_GATE_MESSAGE]


def test_a_new_gate_adds_to_the_existing_ones(admin_user):
    def police_letter_sent(inspection):
        return ["Send the notification letter to the police chief executive."]

    lifecycle.gate(S.NOTIFIED)(police_letter_sent)
    try:
        inspection = factories.InspectionFactory(quality_indicators=[])
        unmet = lifecycle.unmet_conditions(inspection, S.NOTIFIED)
        assert unmet[0] == gates.NEEDS_LEAD
        assert unmet[-1] == "Send the notification letter to the police chief executive."
        assert gates.NEEDS_INDICATORS in unmet
    finally:
        lifecycle.remove_gate(S.NOTIFIED, police_letter_sent)
    assert "Send the notification letter to the police chief executive." not in (
        lifecycle.unmet_conditions(inspection, S.NOTIFIED)
    )


def test_removing_the_test_gate_leaves_the_registry_as_it_was():
    assert lifecycle.gates_for(S.FACTUAL_ACCURACY) == []
    assert lifecycle.gates_for(S.NOTIFIED) == [gates.team_is_ready, gates.indicators_chosen]
    inspection, lead = at(S.REPORT_DRAFTING)
    assert lifecycle.unmet_conditions(inspection, S.FACTUAL_ACCURACY) == []
    assert move(inspection, lead, S.FACTUAL_ACCURACY).status == S.FACTUAL_ACCURACY


def test_registering_the_same_gate_twice_reports_it_once():
    def once(inspection):
        return ["Once"]

    lifecycle.gate(S.CLOSED)(once)
    lifecycle.gate(S.CLOSED)(once)
    try:
        inspection = factories.InspectionFactory()
        assert lifecycle.unmet_conditions(inspection, S.CLOSED) == ["Once"]
    finally:
        lifecycle.remove_gate(S.CLOSED, once)
    assert lifecycle.unmet_conditions(inspection, S.CLOSED) == []


def test_resuming_skips_the_gates_already_met():
    inspection, lead = at(S.FIELDWORK)
    inspection = move(inspection, lead, S.SUSPENDED, reason="Paused")
    Inspection.objects.filter(pk=inspection.pk).update(fieldwork_starts_on=None)
    assert move(inspection, lead, S.FIELDWORK).status == S.FIELDWORK


# Milestones ------------------------------------------------------------------------------------


def test_notification_copies_the_programmes_milestones():
    inspection, lead = ready_inspection()
    templates = list(inspection.programme.milestone_templates.filter(archived_at__isnull=True))
    assert len(templates) == 11
    inspection = move(inspection, lead, S.NOTIFIED)
    copied = list(inspection.milestones.order_by("due_on", "order"))
    assert [(m.stage, m.name, m.offset_weeks) for m in copied] == [
        (t.stage, t.name, t.offset_weeks) for t in templates
    ]
    for milestone in copied:
        expected = ON + datetime.timedelta(weeks=milestone.offset_weeks)
        assert milestone.due_on == milestone.planned_due_on == expected
        assert milestone.completed_on is None
        history = milestone.history.first()
        assert history.history_user == lead
        assert history.history_change_reason == "Copied from the programme's template"
    published = next(m for m in copied if m.stage == S.PUBLISHED)
    assert published.due_on == datetime.date(2026, 5, 25)  # 20 weeks after 5 January


def test_archived_templates_are_not_copied(admin_user):
    inspection, lead = ready_inspection()
    template = inspection.programme.milestone_templates.get(name="Staff survey closes")
    archive(template, by=admin_user, reason="Not used")
    inspection = move(inspection, lead, S.NOTIFIED)
    assert inspection.milestones.count() == 10
    assert not inspection.milestones.filter(name="Staff survey closes").exists()


def test_a_later_template_edit_never_changes_a_live_inspections_milestones(admin_user):
    inspection, lead = at(S.NOTIFIED)
    before = list(inspection.milestones.values_list("name", "offset_weeks", "due_on"))
    template = inspection.programme.milestone_templates.get(name="Report published")
    versioned_update(
        template,
        by=admin_user,
        expected_version=template.version,
        changes={"offset_weeks": 26, "name": "Report published (revised)"},
    )
    MilestoneTemplate.objects.create(
        programme=inspection.programme, stage="fieldwork", name="Extra visit", offset_weeks=10
    )
    inspection = move(inspection, lead, S.EVIDENCE_GATHERING)
    after = list(inspection.milestones.values_list("name", "offset_weeks", "due_on"))
    assert after == before

    # A new inspection of the programme gets the edited template.
    other, _other_lead = at(S.NOTIFIED)
    assert other.milestones.get(name="Report published (revised)").offset_weeks == 26
    assert other.milestones.filter(name="Extra visit").exists()


def test_moving_a_milestone_needs_a_reason_kept_in_history():
    inspection, lead = at(S.NOTIFIED)
    milestone = inspection.milestones.get(name="Staff survey closes")
    later = milestone.due_on + datetime.timedelta(weeks=1)
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.milestone_move(
                milestone=milestone,
                by=lead,
                due_on=later,
                reason=blank,
                expected_version=milestone.version,
            )
        assert exc.value.message_dict == {"reason": [services.MOVE_REASON_NEEDED]}
    moved = services.milestone_move(
        milestone=milestone,
        by=lead,
        due_on=later,
        reason="  The partnership asked for a week more  ",
        expected_version=milestone.version,
    )
    assert moved.due_on == later
    assert moved.planned_due_on == milestone.planned_due_on
    history = moved.history.first()
    assert history.history_change_reason == "The partnership asked for a week more"
    assert history.history_user == lead
    assert history.due_on == later


def test_only_the_lead_or_an_administrator_moves_milestones(admin_user):
    inspection, _lead = at(S.NOTIFIED)
    member = inspection.team.exclude(role="lead_inspector").first().user
    milestone = inspection.milestones.first()
    with pytest.raises(PermissionDenied) as exc:
        services.milestone_move(
            milestone=milestone,
            by=member,
            due_on=milestone.due_on,
            reason="Why not",
            expected_version=milestone.version,
        )
    assert str(exc.value) == services.ONLY_LEAD
    moved = services.milestone_move(
        milestone=milestone,
        by=admin_user,
        due_on=milestone.due_on + datetime.timedelta(days=2),
        reason="Bank holiday",
        expected_version=milestone.version,
    )
    assert moved.history.first().history_user == admin_user


def test_a_stale_milestone_move_is_a_conflict():
    inspection, lead = at(S.NOTIFIED)
    milestone = inspection.milestones.first()
    services.milestone_move(
        milestone=milestone,
        by=lead,
        due_on=milestone.due_on + datetime.timedelta(days=1),
        reason="First",
        expected_version=milestone.version,
    )
    with pytest.raises(ConflictError) as exc:
        services.milestone_move(
            milestone=milestone,
            by=lead,
            due_on=milestone.due_on + datetime.timedelta(days=7),
            reason="Second",
            expected_version=milestone.version,
        )
    assert exc.value.current.due_on == milestone.due_on + datetime.timedelta(days=1)


def test_team_members_mark_milestones_done_and_not_done():
    inspection, _lead = at(S.NOTIFIED)
    member = inspection.team.exclude(role="lead_inspector").first().user
    milestone = inspection.milestones.first()
    done = services.milestone_complete(
        milestone=milestone, by=member, completed_on=ON, expected_version=milestone.version
    )
    assert done.completed_on == ON
    assert done.history.first().history_change_reason == "Marked done"
    undone = services.milestone_complete(
        milestone=done, by=member, completed_on=None, expected_version=done.version
    )
    assert undone.completed_on is None
    with pytest.raises(PermissionDenied):
        services.milestone_complete(
            milestone=undone,
            by=factories.inspector(),
            completed_on=ON,
            expected_version=undone.version,
        )


def test_milestones_of_a_closed_inspection_stay_as_they_were():
    inspection, lead = at(S.CLOSED)
    milestone = inspection.milestones.first()
    with pytest.raises(ValidationError) as exc:
        services.milestone_move(
            milestone=milestone,
            by=lead,
            due_on=milestone.due_on,
            reason="Tidy",
            expected_version=milestone.version,
        )
    assert exc.value.messages == [services.CLOSED_INSPECTION.format(status="Closed")]
    with pytest.raises(ValidationError):
        services.milestone_complete(
            milestone=milestone, by=lead, completed_on=ON, expected_version=milestone.version
        )


# Team and permissions -------------------------------------------------------------------------


def test_joining_the_team_grants_access_and_leaving_revokes_it_at_once():
    inspection, lead = ready_inspection()
    newcomer = factories.inspector()
    assert not inspection_policy.can_see_drafts(fresh(newcomer), inspection)
    assert not inspection_list(user=fresh(newcomer)).filter(pk=inspection.pk).exists()

    member = services.team_member_add(
        inspection=inspection, by=lead, user=newcomer, role="inspector"
    )
    user = fresh(newcomer)
    assert inspection_policy.can_see_drafts(user, inspection)
    assert inspection_policy.can_change(user, inspection)
    assert inspection_policy.can_view_evidence(user, inspection)
    assert inspection_list(user=user).filter(pk=inspection.pk).exists()
    assert member.history.first().history_user == lead

    services.team_member_remove(member=member, by=lead, reason="Moved to another inspection")
    user = fresh(newcomer)
    assert not inspection_policy.can_see_drafts(user, inspection)
    assert not inspection_policy.can_change(user, inspection)
    assert not inspection_policy.can_view_evidence(user, inspection)
    assert not inspection_list(user=user).filter(pk=inspection.pk).exists()
    assert not evidence_activity_list(user=user).exists()
    removed = TeamMember.objects.get(pk=member.pk)  # archived, not deleted
    assert removed.archived_at is not None
    assert removed.history.first().history_change_reason == "Moved to another inspection"


def test_a_rolled_back_team_change_leaves_no_permission_behind():
    inspection, lead = ready_inspection()
    newcomer = factories.inspector()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.team_member_add(inspection=inspection, by=lead, user=newcomer, role="inspector")
        assert inspection_policy.can_see_drafts(fresh(newcomer), inspection)
        raise RuntimeError("the page failed after adding the member")
    user = fresh(newcomer)
    assert not TeamMember.objects.filter(inspection=inspection, user=newcomer).exists()
    assert not inspection_policy.can_see_drafts(user, inspection)
    assert not inspection_policy.can_view_evidence(user, inspection)
    assert not user.has_perm("inspections.view_inspection", inspection)


def test_a_rolled_back_removal_keeps_the_members_access():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.team_member_remove(member=member, by=lead)
        raise RuntimeError("rolled back")
    assert inspection_policy.can_view_evidence(fresh(member.user), inspection)


def test_only_the_lead_or_an_administrator_changes_the_team(admin_user):
    inspection, _ = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    with pytest.raises(PermissionDenied) as exc:
        services.team_member_add(
            inspection=inspection, by=member.user, user=factories.inspector(), role="inspector"
        )
    assert str(exc.value) == services.ONLY_LEAD
    with pytest.raises(PermissionDenied):
        services.team_member_remove(member=member, by=member.user)
    added = services.team_member_add(
        inspection=inspection, by=admin_user, user=factories.inspector(), role="record_reader"
    )
    assert added.role == "record_reader"


def test_one_lead_and_each_person_once():
    inspection, lead = ready_inspection()
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(
            inspection=inspection, by=lead, user=factories.lead_inspector(), role="lead_inspector"
        )
    assert "This inspection already has a lead inspector." in exc.value.messages
    member = inspection.team.exclude(role="lead_inspector").first()
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(inspection=inspection, by=lead, user=member.user, role="inspector")
    assert "This person is already on the team." in exc.value.messages
    # Someone who left can rejoin.
    services.team_member_remove(member=member, by=lead)
    again = services.team_member_add(
        inspection=inspection, by=lead, user=member.user, role="inspector"
    )
    assert inspection_policy.can_view_evidence(fresh(again.user), inspection)


def test_a_closed_inspections_team_cannot_grow():
    inspection, lead = at(S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(
            inspection=inspection, by=lead, user=factories.inspector(), role="inspector"
        )
    assert exc.value.messages == [services.CLOSED_INSPECTION.format(status="Closed")]


# Conflicts of interest ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["worked_there", "family", "other"])
def test_a_declared_connection_waits_for_the_leads_decision(kind):
    inspection, lead = ready_inspection()
    newcomer = factories.inspector()
    member = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=newcomer,
        role="inspector",
        conflict=kind,
        conflict_details="Details",
    )
    assert member.decision == "pending"
    user = fresh(newcomer)
    assert inspection_policy.can_see_drafts(user, inspection)  # still sees the inspection
    assert not inspection_policy.can_view_evidence(user, inspection)
    assert not evidence_policy.visible(user, inspection.evidence_activities.all()).exists()
    with pytest.raises(PermissionDenied):
        services.evidence_activity_create(
            inspection=inspection, by=user, kind="staff_survey", title="Survey"
        )


@pytest.mark.parametrize(
    ("decision", "sees_evidence", "sees_drafts"),
    [("cleared", True, True), ("restricted", True, True), ("excluded", False, False)],
)
def test_the_leads_decision_opens_or_closes_evidence(decision, sees_evidence, sees_drafts):
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(
        member=member, by=member.user, conflict="worked_there", conflict_details="Until 2023"
    )
    assert member.decision == "pending"
    assert not inspection_policy.can_view_evidence(fresh(member.user), inspection)

    decided = services.conflict_decide(member=member, by=lead, decision=decision, notes="Noted")
    assert decided.decision == decision
    assert decided.decided_by == lead
    assert decided.decided_at is not None
    assert decided.history.first().history_user == lead
    user = fresh(member.user)
    assert inspection_policy.can_view_evidence(user, inspection) is sees_evidence
    assert evidence_policy.visible(user, inspection.evidence_activities.all()).exists() is (
        sees_evidence
    )
    assert inspection_policy.can_see_drafts(user, inspection) is sees_drafts


def test_declaring_again_resets_the_decision():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    member = services.conflict_decide(member=member, by=lead, decision="cleared")
    assert inspection_policy.can_view_evidence(fresh(member.user), inspection)

    member = services.team_member_declare(
        member=member,
        by=member.user,
        conflict="family",
        conflict_details="My sister now works there",
    )
    assert member.decision == "pending"
    assert member.decided_by is None
    assert member.decided_at is None
    assert member.decision_notes == ""
    assert not inspection_policy.can_view_evidence(fresh(member.user), inspection)

    member = services.team_member_declare(member=member, by=lead, conflict="none")
    assert member.decision == "not_needed"
    assert inspection_policy.can_view_evidence(fresh(member.user), inspection)


def test_a_member_cannot_undo_the_leads_decision_by_declaring_again():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(member=member, by=member.user, conflict="family")
    member = services.conflict_decide(member=member, by=lead, decision="excluded")
    for conflict in ("none", "other"):
        with pytest.raises(ValidationError) as exc:
            services.team_member_declare(member=member, by=member.user, conflict=conflict)
        assert exc.value.messages == [services.DECISION_IS_THE_LEADS]
    user = fresh(member.user)
    assert not inspection_policy.can_view_evidence(user, inspection)
    assert not inspection_policy.can_see_drafts(user, inspection)
    assert TeamMember.objects.get(pk=member.pk).decision == "excluded"


def test_a_member_cannot_withdraw_a_declaration_themselves():
    inspection, _ = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    with pytest.raises(ValidationError) as exc:
        services.team_member_declare(member=member, by=member.user, conflict="none")
    assert exc.value.messages == [services.DECISION_IS_THE_LEADS]
    assert not inspection_policy.can_view_evidence(fresh(member.user), inspection)
    # They may still change what they declared (which waits for the lead again).
    member = services.team_member_declare(
        member=member, by=member.user, conflict="worked_there", conflict_details="2019-2021"
    )
    assert (member.conflict, member.decision) == ("worked_there", "pending")


def test_only_the_member_or_the_lead_declares():
    inspection, lead = ready_inspection()
    member, other = inspection.team.exclude(role="lead_inspector").first(), factories.inspector()
    with pytest.raises(PermissionDenied):
        services.team_member_declare(member=member, by=other, conflict="other")
    declared = services.team_member_declare(member=member, by=lead, conflict="other")
    assert declared.decision == "pending"


def test_only_the_lead_or_an_administrator_decides(admin_user):
    inspection, _lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    for user in (member.user, factories.inspector(), factories.lead_inspector()):
        with pytest.raises(PermissionDenied) as exc:
            services.conflict_decide(member=member, by=user, decision="cleared")
        assert str(exc.value) == services.ONLY_LEAD
    decided = services.conflict_decide(member=member, by=admin_user, decision="cleared")
    assert decided.decided_by == admin_user


def test_a_decision_needs_a_declaration_and_a_real_choice():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    with pytest.raises(ValidationError) as exc:
        services.conflict_decide(member=member, by=lead, decision="cleared")
    assert exc.value.messages == [services.NO_DECLARATION]
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    for decision in ("pending", "not_needed", "maybe"):
        with pytest.raises(ValidationError) as exc:
            services.conflict_decide(member=member, by=lead, decision=decision)
        assert exc.value.message_dict == {"decision": [services.DECISION_NOT_ALLOWED]}


def test_a_removed_member_cannot_declare_or_be_decided_on():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first()
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    removed = services.team_member_remove(member=member, by=lead)
    with pytest.raises(ValidationError) as exc:
        services.conflict_decide(member=removed, by=lead, decision="cleared")
    assert exc.value.messages == [services.MEMBER_LEFT]
    with pytest.raises(ValidationError) as exc:
        services.team_member_declare(member=removed, by=removed.user, conflict="none")
    assert exc.value.messages == [services.MEMBER_LEFT]
    assert not inspection_policy.can_see_drafts(fresh(removed.user), inspection)


# Creating, changing and archiving inspections ---------------------------------------------------


def test_a_lead_inspector_plans_an_inspection(fife):
    planner = factories.lead_inspector()
    programme = factories.programme("asp_phase_1")
    indicators = list(programme.quality_indicators.all())
    inspection = services.inspection_create(
        by=planner,
        programme=programme,
        partnership=fife,
        title="Fife adult support and protection",
        lead_inspector=planner,
        quality_indicators=indicators,
        planned_notification_on=datetime.date(2026, 3, 2),
    )
    assert inspection.status == S.PLANNED
    assert inspection.lead_agency == programme.lead_agency
    assert set(inspection.quality_indicators.all()) == set(indicators)
    assert inspection.team.get().user == planner
    assert inspection.history.first().history_user == planner
    assert inspection.history.first().history_change_reason == "Inspection planned"
    assert inspection_policy.can_lead(fresh(planner), inspection)
    assert inspection_policy.can_view_evidence(fresh(planner), inspection)


def test_a_themed_inspection_takes_the_programmes_theme_unless_given(fife, admin_user):
    programme = factories.programme("adult_services_themed")
    default = services.inspection_create(
        by=admin_user, programme=programme, partnership=fife, title="Default theme"
    )
    assert default.theme == "Adults living with mental illness"
    own = services.inspection_create(
        by=admin_user,
        programme=programme,
        partnership=fife,
        title="Own theme",
        theme="Adults with learning disabilities",
    )
    assert own.theme == "Adults with learning disabilities"


def test_a_lead_agency_other_than_the_programmes_can_be_given(fife, admin_user):
    his = factories.agency("HIS")
    inspection = services.inspection_create(
        by=admin_user,
        programme=factories.programme(),
        partnership=fife,
        title="Led by HIS",
        lead_agency=his,
    )
    assert inspection.lead_agency == his


def test_only_those_who_may_plan_create_inspections(fife):
    with pytest.raises(PermissionDenied):
        services.inspection_create(
            by=factories.inspector(),
            programme=factories.programme(),
            partnership=fife,
            title="Not mine to plan",
        )
    assert not Inspection.objects.filter(title="Not mine to plan").exists()


def test_an_inspection_cannot_start_in_a_later_status(fife, admin_user):
    inspection = services.inspection_create(
        by=admin_user,
        programme=factories.programme(),
        partnership=fife,
        title="Sneaky",
        status=S.PUBLISHED,
        notified_on=ON,
        published_on=ON,
    )
    inspection = reload(inspection)
    assert inspection.status == S.PLANNED
    assert inspection.notified_on is None
    assert inspection.published_on is None


def test_an_archived_partnership_cannot_be_inspected(admin_user):
    partnership = factories.PartnershipFactory()
    archive(partnership, by=admin_user, reason="Merged")
    partnership.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            by=admin_user, programme=factories.programme(), partnership=partnership, title="X"
        )
    assert exc.value.message_dict == {"partnership": [services.PARTNERSHIP_ARCHIVED]}


def test_indicators_must_belong_to_the_programme(fife, admin_user):
    programme = factories.programme("justice_cpo")
    foreign = factories.programme("asp_phase_1").quality_indicators.first()
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            by=admin_user,
            programme=programme,
            partnership=fife,
            title="CPO",
            quality_indicators=[foreign],
        )
    assert exc.value.message_dict == {
        "quality_indicators": [
            services.INDICATOR_NOT_IN_PROGRAMME.format(indicator=foreign, programme=programme)
        ]
    }
    assert not Inspection.objects.filter(title="CPO").exists()

    inspection, lead = factories.inspection_with_team(programme=programme)
    seen = inspection.version
    with pytest.raises(ValidationError):
        services.inspection_update(
            inspection=inspection,
            by=lead,
            expected_version=seen,
            changes={"summary": "Should not stay"},
            quality_indicators=[foreign],
        )
    inspection = reload(inspection)
    assert inspection.summary == ""
    assert inspection.version == seen


def test_updating_an_inspection_is_versioned_and_audited():
    inspection, lead = ready_inspection()
    seen = inspection.version
    changes = {"summary": "Scope agreed", "status": S.PUBLISHED, "notified_on": ON}
    updated = services.inspection_update(
        inspection=inspection, by=lead, expected_version=seen, changes=changes
    )
    assert updated.version == seen + 1
    assert updated.summary == "Scope agreed"
    assert updated.status == S.PLANNED  # the lifecycle moves status, not edits
    assert updated.notified_on is None
    assert changes == {"summary": "Scope agreed", "status": S.PUBLISHED, "notified_on": ON}
    assert updated.history.first().history_user == lead
    with pytest.raises(ConflictError) as exc:
        services.inspection_update(
            inspection=inspection, by=lead, expected_version=seen, changes={"summary": "Stale"}
        )
    assert exc.value.current_version == seen + 1
    assert reload(inspection).summary == "Scope agreed"


def test_bookkeeping_fields_cannot_be_edited():
    inspection, lead = at(S.NOTIFIED)
    updated = services.inspection_update(
        inspection=inspection,
        by=lead,
        expected_version=inspection.version,
        changes={
            "status_changed_on": datetime.date(2020, 1, 1),
            "suspended_from": S.FIELDWORK,
            "status_reason": "Made up",
            "version": 1,
            "archived_at": None,
            "title": "Renamed",
        },
    )
    updated = reload(updated)
    assert updated.title == "Renamed"
    assert updated.status_changed_on == ON
    assert updated.suspended_from == ""
    assert updated.status_reason == ""
    assert updated.version == inspection.version + 1


def test_an_inspection_cannot_move_to_an_archived_partnership(admin_user):
    inspection, lead = ready_inspection()
    merged = factories.PartnershipFactory()
    archive(merged, by=admin_user, reason="Merged")
    merged.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(
            inspection=inspection,
            by=lead,
            expected_version=inspection.version,
            changes={"partnership": merged},
        )
    assert exc.value.message_dict == {"partnership": [services.PARTNERSHIP_ARCHIVED]}
    current = factories.PartnershipFactory()
    moved = services.inspection_update(
        inspection=inspection,
        by=lead,
        expected_version=inspection.version,
        changes={"partnership": current},
    )
    assert moved.partnership == current


def test_fieldwork_cannot_end_before_it_starts():
    inspection, lead = ready_inspection()
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(
            inspection=inspection,
            by=lead,
            expected_version=inspection.version,
            changes={"fieldwork_ends_on": ON - datetime.timedelta(days=1)},
        )
    assert "Fieldwork cannot end before it starts." in exc.value.messages


def test_outsiders_and_pending_members_cannot_edit():
    inspection, lead = ready_inspection()
    pending = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(),
        role="inspector",
        conflict="other",
    )
    for user in (factories.inspector(), fresh(pending.user)):
        with pytest.raises(PermissionDenied) as exc:
            services.inspection_update(
                inspection=inspection,
                by=user,
                expected_version=inspection.version,
                changes={"summary": "No"},
            )
        assert str(exc.value) == services.NOT_ALLOWED


def test_a_closed_inspection_is_read_only():
    inspection, lead = at(S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(
            inspection=inspection,
            by=lead,
            expected_version=inspection.version,
            changes={"summary": "Late"},
        )
    assert exc.value.messages == [services.CLOSED_INSPECTION.format(status="Closed")]


def test_inspections_are_archived_not_deleted(admin_user):
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first().user
    with pytest.raises(PermissionDenied):
        services.inspection_archive(inspection=inspection, by=member, reason="Mine")
    archived = services.inspection_archive(inspection=inspection, by=lead, reason="Duplicate")
    assert archived.archived_at is not None
    assert archived.archived_by == lead
    assert Inspection.objects.filter(pk=inspection.pk).exists()
    assert archived.history.first().history_change_reason == "Duplicate"
    assert not inspection_list(user=admin_user).filter(pk=inspection.pk).exists()
    assert inspection_list(user=admin_user, include_archived=True).filter(pk=inspection.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.inspection_archive(inspection=archived, by=lead, reason="Again")
    assert exc.value.messages == [ALREADY_ARCHIVED_MESSAGE]
    for user in (admin_user, lead):  # nobody edits an archived inspection
        with pytest.raises(PermissionDenied):
            services.inspection_update(
                inspection=archived, by=user, expected_version=archived.version, changes={}
            )


# Evidence --------------------------------------------------------------------------------------


def test_cleared_members_record_evidence():
    inspection, lead = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first().user
    activity = services.evidence_activity_create(
        inspection=inspection,
        by=member,
        kind="record_reading",
        title="Record reading week",
        starts_on=ON,
        ends_on=ON + datetime.timedelta(days=4),
    )
    assert list(activity.carried_out_by.all()) == [member]
    assert activity.history.first().history_user == member
    updated = services.evidence_activity_update(
        activity=activity,
        by=member,
        expected_version=activity.version,
        changes={"status": "complete", "inspection": factories.InspectionFactory()},
        carried_out_by=[member, lead],
    )
    assert updated.status == "complete"
    assert updated.inspection == inspection  # evidence does not move between inspections
    assert set(updated.carried_out_by.all()) == {member, lead}
    with pytest.raises(ConflictError):
        services.evidence_activity_update(
            activity=activity, by=member, expected_version=activity.version, changes={}
        )


def test_evidence_dates_in_order():
    inspection, lead = ready_inspection()
    with pytest.raises(ValidationError) as exc:
        services.evidence_activity_create(
            inspection=inspection,
            by=lead,
            kind="staff_survey",
            title="Survey",
            starts_on=ON,
            ends_on=ON - datetime.timedelta(days=1),
        )
    assert "The end date cannot be before the start date." in exc.value.messages


def test_administrators_and_outsiders_do_not_record_evidence(admin_user):
    inspection, _ = ready_inspection()
    for user in (admin_user, factories.inspector()):
        with pytest.raises(PermissionDenied):
            services.evidence_activity_create(
                inspection=inspection, by=user, kind="staff_survey", title="Survey"
            )


def test_evidence_is_archived_not_deleted():
    inspection, lead = ready_inspection()
    activity = inspection.evidence_activities.get()
    archived = services.evidence_activity_archive(
        activity=activity, by=lead, reason="Recorded twice", expected_version=activity.version
    )
    assert archived.archived_at is not None
    assert not evidence_activity_list(user=fresh(lead), inspection=inspection).exists()
    with pytest.raises(ConflictError):
        services.evidence_activity_archive(
            activity=activity, by=lead, reason="Again", expected_version=activity.version
        )


def test_no_evidence_is_recorded_on_a_closed_inspection():
    inspection, lead = at(S.CLOSED)
    with pytest.raises(ValidationError) as exc:
        services.evidence_activity_create(
            inspection=inspection, by=lead, kind="staff_survey", title="Late survey"
        )
    assert exc.value.messages == [services.CLOSED_INSPECTION.format(status="Closed")]
