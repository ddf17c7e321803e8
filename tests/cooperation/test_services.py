"""Writes to the co-operation log: who may make them, the rules they enforce and the audit
trail they leave."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from cooperation import selectors, services
from cooperation.models import (
    Escalation,
    EscalationStep,
    LogReview,
    MeetingAttendee,
    NoSurprisesNotice,
)
from scrutiny.services import ConflictError
from tests.cooperation import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
D = datetime.date


def reasons(obj) -> list[str]:
    return [h.history_change_reason for h in obj.history.order_by("history_date", "history_id")]


# Meetings ------------------------------------------------------------------------------------


@freeze_time("2026-03-10")
def test_a_meeting_is_recorded_with_attendees_from_each_body_and_audited(director, ci, his):
    risk = factories.SharedRiskFactory()
    meeting = services.meeting_create(
        by=director,
        meeting_type=factories.meeting_type(),
        held_on=D(2026, 3, 2),
        status="held",
        raised_by=ci,
        agenda="Priorities\nRisks",
        minutes="Agreed to share the programme.",
        attendees=[
            services.Attendee(ci, "Jo Chair", "Chair"),
            services.Attendee(his, "Sam Chief", "Chief Executive"),
        ],
        risks=[risk],
    )

    assert meeting.agenda_items == ["Priorities", "Risks"]
    detail = selectors.meeting_detail(user=director, pk=meeting.pk)
    groups = {g.body.code: [str(a) for a in g.attendees] for g in detail.attendee_groups}
    assert groups == {"CI": ["Jo Chair, Chair"], "HIS": ["Sam Chief, Chief Executive"]}
    assert detail.risks == [risk]
    record = meeting.history.earliest("history_date")
    assert record.history_user == director
    assert record.history_change_reason == "Meeting recorded"


@freeze_time("2026-03-10")
def test_changing_attendees_archives_those_removed_and_says_so_in_the_history(director, ci, his):
    meeting = factories.MeetingFactory(raised_by=ci)
    old = factories.MeetingAttendeeFactory(meeting=meeting, agency=ci, name="Jo Chair", role="")

    updated = services.meeting_update(
        meeting=meeting,
        by=director,
        expected_version=meeting.version,
        changes={"location": "Dundee"},
        attendees=[services.Attendee(his, "Sam Chief", "Chief Executive")],
    )

    old.refresh_from_db()
    assert old.archived_at is not None
    assert [a.name for a in selectors.current_attendees(updated)] == ["Sam Chief"]
    assert updated.location == "Dundee"
    assert updated.version == 2
    assert reasons(updated)[-1] == ("Attendees added Sam Chief (HIS), removed Jo Chair (CI)")


def test_a_stale_meeting_edit_is_refused_and_leaves_the_attendees_alone(director, ci):
    meeting = factories.MeetingFactory()
    with pytest.raises(ConflictError):
        services.meeting_update(
            meeting=meeting,
            by=director,
            expected_version=meeting.version + 1,
            changes={},
            attendees=[services.Attendee(ci, "Someone")],
        )
    assert not MeetingAttendee.objects.exists()


@freeze_time("2026-03-10")
def test_a_meeting_in_the_future_cannot_have_been_held(director, ci):
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(
            by=director,
            meeting_type=factories.meeting_type(),
            held_on=D(2026, 3, 11),
            status="held",
            raised_by=ci,
        )
    assert refused.value.message_dict == {"status": [services.HELD_IN_FUTURE]}


def test_only_the_two_bodies_arrange_meetings(director):
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(
            by=director,
            meeting_type=factories.meeting_type(),
            held_on=D(2025, 3, 1),
            status="held",
            raised_by=factories.body("HMICS"),
        )
    assert "raised_by" in refused.value.message_dict


def test_readers_cannot_write_to_the_log(reader, outsider, ci):
    for user in (reader, outsider):
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                by=user,
                meeting_type=factories.meeting_type(),
                held_on=D(2025, 3, 1),
                status="held",
                raised_by=ci,
            )


def test_minutes_are_uploaded_checked_by_content(director):
    meeting = factories.MeetingFactory()
    stored = services.meeting_attachment_upload(
        meeting=meeting,
        by=director,
        upload=SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
        description="Approved minutes",
    )
    assert stored.content_type == "application/pdf"
    assert stored.file.read() == PDF

    with pytest.raises(ValidationError) as refused:
        services.meeting_attachment_upload(
            meeting=meeting,
            by=director,
            upload=SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00not a pdf"),
        )
    assert "file" in refused.value.message_dict


# Actions -------------------------------------------------------------------------------------


@freeze_time("2026-03-10")
def test_an_action_done_gets_its_date_and_loses_it_when_reopened(director):
    meeting = factories.MeetingFactory()
    action = services.action_create(
        meeting=meeting,
        by=director,
        description="Share the plan",
        owner=director,
        due_on=D(2026, 3, 31),
    )

    done = services.action_set_status(
        action=action, by=director, status="done", expected_version=action.version
    )
    assert done.completed_on == D(2026, 3, 10)
    reopened = services.action_set_status(
        action=done, by=director, status="in_progress", expected_version=done.version
    )
    assert reopened.completed_on is None
    assert reasons(reopened)[-2:] == ["Marked done", "Marked in progress"]


# No-surprises notices ------------------------------------------------------------------------


@freeze_time("2026-03-23")
def test_an_urgent_notice_can_be_recorded_after_the_event_and_counts_as_urgent(director, ci):
    notice = services.notice_create(
        by=director,
        raised_by=ci,
        kind="announcement",
        subject="Emergency suspension of a service",
        planned_on=D(2026, 3, 16),
        told_on=D(2026, 3, 18),
        told_whom="HIS Chief Executive",
        urgent=True,
        urgent_reason="Immediate risk to people using the service.",
    )

    flags = selectors.notice_flags(notice)
    assert flags.urgent
    assert flags.told_after_event
    assert flags.lead_time == -2
    assert not flags.late  # urgent action is never a late notice
    assert reasons(notice) == ["Urgent notice recorded after the event"]
    quarter = selectors.notice_summary(user=director)[0]
    assert (quarter.period.label, quarter.urgent, quarter.late) == ("Q4 2025/26", 1, 0)


@freeze_time("2026-03-23")
def test_a_notice_after_the_event_that_is_not_urgent_is_recorded_and_flagged_late(director, ci):
    notice = services.notice_create(
        by=director,
        raised_by=ci,
        kind="sensitive_issue",
        subject="Report findings",
        planned_on=D(2026, 3, 16),
        told_on=D(2026, 3, 18),
        told_whom="Director",
    )
    flags = selectors.notice_flags(notice)
    assert flags.told_after_event and flags.late and not flags.urgent


def test_an_urgent_notice_needs_its_reason_and_a_commitment_its_kind(director, ci):
    with pytest.raises(ValidationError) as refused:
        services.notice_create(
            by=director,
            raised_by=ci,
            kind="commitment",
            subject="New joint programme",
            planned_on=D(2025, 6, 2),
            urgent=True,
        )
    assert refused.value.message_dict == {
        "commitment_type": [services.COMMITMENT_TYPE_NEEDED],
        "urgent_reason": [services.URGENT_REASON_NEEDED],
    }
    assert not NoSurprisesNotice.objects.exists()


@freeze_time("2026-03-10")
def test_acknowledgement_comes_after_telling_and_not_in_the_future(director, ci):
    notice = factories.NoticeFactory(told_on=D(2026, 3, 6))
    for acknowledged, message in [
        (D(2026, 3, 5), services.ACKNOWLEDGED_BEFORE_TOLD),
        (D(2026, 3, 11), services.ACKNOWLEDGED_IN_FUTURE),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.notice_update(
                notice=notice,
                by=director,
                expected_version=notice.version,
                changes={"acknowledged_on": acknowledged},
            )
        assert refused.value.message_dict == {"acknowledged_on": [message]}

    acknowledged = services.notice_update(
        notice=notice,
        by=director,
        expected_version=notice.version,
        changes={"acknowledged_on": D(2026, 3, 9)},
    )
    assert reasons(acknowledged)[-1] == "Acknowledged"


# Escalations ---------------------------------------------------------------------------------


RAISED_ON = D(2026, 1, 5)


def _raise(by, body, on=RAISED_ON) -> Escalation:
    return services.escalation_raise(
        by=by,
        subject="Who leads the thematic review",
        raised_by=body,
        raised_on=on,
        raising_body_position="CI should lead: it is social care led.",
        other_body_position="HIS should lead: the focus is clinical.",
        held_by="Heads of strategy",
        target_on=D(2026, 1, 30),
    )


def test_an_escalation_moves_through_all_three_levels_with_its_ages_on_fixed_dates(director, ci):
    with freeze_time("2026-01-05"):
        escalation = _raise(director, ci)
    assert (escalation.level, escalation.status) == ("senior_managers", "open")

    with freeze_time("2026-02-02"):
        escalation = services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level="directors",
            reached_on=D(2026, 2, 2),
            held_by="Directors of strategy",
            target_on=D(2026, 2, 27),
            expected_version=escalation.version,
        )
    with freeze_time("2026-03-02"):
        escalation = services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level="chief_executives",
            reached_on=D(2026, 3, 2),
            held_by="Both chief executives",
            target_on=D(2026, 3, 20),
        )

    def state_on(day):
        with freeze_time(day):
            current = selectors.escalation_get(user=director, pk=escalation.pk)
            return selectors.escalation_state(current, day), current

    state, current = state_on(D(2026, 3, 16))
    assert current.level == "chief_executives"
    assert [s.level for s in current.steps.all()] == [
        "senior_managers",
        "directors",
        "chief_executives",
    ]
    assert (state.age, state.days_at_level, state.overdue) == (70, 14, False)
    state, _ = state_on(D(2026, 3, 20))
    assert (state.age, state.overdue) == (74, False)  # the target date itself is not overdue
    state, _ = state_on(D(2026, 3, 21))
    assert (state.age, state.overdue) == (75, True)

    with freeze_time("2026-03-25"):
        resolved = services.escalation_resolve(
            escalation=current, by=director, resolution="Joint lead, CI chairing."
        )
    state, _ = state_on(D(2026, 6, 1))
    assert (resolved.status, resolved.resolved_on) == ("resolved", D(2026, 3, 25))
    assert (state.age, state.overdue) == (79, False)  # the age stops when it is resolved
    assert reasons(resolved) == [
        "Raised with the relevant senior managers",
        "Escalated to directors",
        "Escalated to chief executives",
        "Resolved",
    ]
    step = EscalationStep.objects.get(escalation=resolved, level="directors")
    assert step.history.get().history_user == director


@freeze_time("2026-02-02")
def test_escalating_out_of_order_is_refused(director, ci):
    escalation = _raise(director, ci)

    for level in ("chief_executives", "senior_managers", "nonsense"):
        with pytest.raises(ValidationError) as refused:
            services.escalation_escalate(
                escalation=escalation,
                by=director,
                to_level=level,
                reached_on=D(2026, 2, 2),
                held_by="Chief executives",
                target_on=D(2026, 2, 20),
            )
        assert refused.value.message_dict == {
            "level": [
                services.OUT_OF_ORDER.format(
                    current="Relevant senior managers", expected="Directors"
                )
            ]
        }
    escalation.refresh_from_db()
    assert escalation.level == "senior_managers"
    assert escalation.steps.count() == 1


@freeze_time("2026-03-02")
def test_no_level_above_the_chief_executives_and_no_step_once_closed(director, ci):
    escalation = _raise(director, ci)
    for level in ("directors", "chief_executives"):
        escalation = services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level=level,
            reached_on=D(2026, 3, 2),
            held_by="Them",
            target_on=D(2026, 3, 20),
        )
    with pytest.raises(ValidationError) as refused:
        services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level="chief_executives",
            reached_on=D(2026, 3, 2),
            held_by="Them",
            target_on=D(2026, 3, 20),
        )
    assert refused.value.message_dict == {"level": [services.AT_TOP_LEVEL]}

    withdrawn = services.escalation_withdraw(
        escalation=escalation, by=director, reason="Settled informally."
    )
    assert (withdrawn.status, withdrawn.resolution) == ("withdrawn", "Settled informally.")
    with pytest.raises(ValidationError):
        services.escalation_resolve(escalation=withdrawn, by=director, resolution="Again")


@freeze_time("2026-02-02")
def test_a_step_cannot_start_before_the_last_or_end_before_it_starts(director, ci):
    escalation = _raise(director, ci)
    with pytest.raises(ValidationError) as refused:
        services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level="directors",
            reached_on=D(2026, 1, 4),
            held_by="Directors",
            target_on=D(2026, 2, 20),
        )
    assert "reached_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.escalation_escalate(
            escalation=escalation,
            by=director,
            to_level="directors",
            reached_on=D(2026, 2, 2),
            held_by="Directors",
            target_on=D(2026, 2, 1),
        )
    assert refused.value.message_dict == {"target_on": [services.TARGET_BEFORE_REACHED]}


def test_an_escalation_edit_cannot_change_its_level_or_status(director, ci):
    with freeze_time("2026-01-05"):
        escalation = _raise(director, ci)
    updated = services.escalation_update(
        escalation=escalation,
        by=director,
        expected_version=escalation.version,
        changes={"subject": "Lead body", "level": "chief_executives", "status": "resolved"},
    )
    assert (updated.subject, updated.level, updated.status) == (
        "Lead body",
        "senior_managers",
        "open",
    )


# The chief executives' review ----------------------------------------------------------------


@freeze_time("2026-03-10")
def test_only_a_chief_executive_records_a_review_of_the_log(chief_executive, director):
    review = services.log_review_record(by=chief_executive, notes="Two open escalations.")
    assert (review.reviewed_by, review.reviewed_on) == (chief_executive, D(2026, 3, 10))
    with pytest.raises(PermissionDenied):
        services.log_review_record(by=director)
    with pytest.raises(ValidationError):
        services.log_review_record(by=chief_executive, reviewed_on=D(2026, 3, 11))
    assert LogReview.objects.count() == 1


# Shared risks --------------------------------------------------------------------------------


def test_a_shared_risk_has_a_derived_rating_and_jointly_agreed_mitigations(director, ci, his):
    risk = services.risk_create(
        by=director,
        title="Inspection capacity",
        raised_by=ci,
        owner_body=his,
        likelihood=4,
        impact=5,
        review_on=D(2026, 6, 30),
    )
    assert risk.rating == 20
    mitigation = services.mitigation_create(
        risk=risk,
        by=director,
        description="Shared inspector pool",
        owner=director,
        agreed_on=D(2026, 2, 1),
    )
    updated = services.mitigation_update(
        mitigation=mitigation,
        by=director,
        expected_version=mitigation.version,
        changes={"status": "in_progress", "risk": None},
    )
    assert (updated.status, updated.risk_id) == ("in_progress", risk.pk)

    with pytest.raises(ValidationError):
        services.risk_update(
            risk=risk, by=director, expected_version=risk.version, changes={"likelihood": 6}
        )


def test_archiving_needs_the_archive_permission(director, admin_user):
    risk = factories.SharedRiskFactory()
    with pytest.raises(PermissionDenied):
        services.risk_archive(risk=risk, by=director, reason="Closed")
    archived = services.risk_archive(risk=risk, by=admin_user, reason="Duplicate")
    assert archived.archived_at is not None
    assert archived.archived_by == admin_user
