"""A year of the duty of co-operation log: the meetings the framework expects (chairs and chief
executives each quarter, with the odd quarter missed; senior executive teams more often; boards
once a year; directors regularly) with attendees and actions, no-surprises notices, escalations
with their steps, shared risks with mitigations, and chief executives' reviews of the log."""

from __future__ import annotations

import datetime

from accounts.models import Agency
from cooperation.models import (
    ActionStatus,
    CommitmentType,
    Escalation,
    EscalationLevel,
    EscalationStatus,
    EscalationStep,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingStatus,
    MeetingType,
    Mitigation,
    MitigationStatus,
    NoSurprisesNotice,
    NoticeKind,
    RiskStatus,
    SharedRisk,
)

from . import words
from .base import SeedRun, bulk, bulk_through, days, quarters
from .people import Staff

# Meetings of each type in a quarter (the annual boards meeting falls in the third quarter).
CLOSED_OUTCOMES = [EscalationStatus.RESOLVED, EscalationStatus.RESOLVED, EscalationStatus.WITHDRAWN]
PER_QUARTER = {"chairs_and_chief_executives": 1, "senior_executive_teams": 2, "directors": 2}


def seed_cooperation_year(run: SeedRun, year: int) -> dict[str, int]:
    rng = run.rng("cooperation", year)
    staff = Staff.load()
    ci, his = Agency.objects.get(code="CI"), Agency.objects.get(code="HIS")
    bodies = [ci, his]
    types = {t.code: t for t in MeetingType.objects.all()}
    owners = (
        staff.directors["CI"] + staff.directors["HIS"] + staff.chiefs["CI"] + staff.chiefs["HIS"]
    )

    meetings: list[Meeting] = []
    for q_index, start in enumerate(quarters(year)):
        if start > run.until:
            break
        plan = dict(PER_QUARTER)
        if q_index == 2:
            plan["boards"] = 1
        for code, count in plan.items():
            if code not in types:
                continue
            if code == "chairs_and_chief_executives" and rng.random() < 0.08:
                continue  # a quarter missed: the gaps page shows it
            for n in range(count):
                held_on = start + days(rng.randint(5, 85))
                if held_on > run.until + days(60):
                    continue
                if held_on > run.until:
                    status = MeetingStatus.BOOKED
                elif rng.random() < 0.03:
                    status = MeetingStatus.CANCELLED
                else:
                    status = MeetingStatus.HELD
                agenda = rng.sample(words.MEETING_AGENDA, 4)
                meetings.append(
                    Meeting(
                        meeting_type=types[code],
                        held_on=held_on,
                        status=status,
                        raised_by=bodies[(q_index + n) % 2],
                        title=f"{types[code].name} ({held_on:%B %Y})",
                        location="Edinburgh" if n % 2 else "Dundee",
                        agenda="\n".join(agenda),
                        minutes="Minutes agreed at the next meeting."
                        if status == MeetingStatus.HELD
                        else "",
                    )
                )
    meetings = bulk(Meeting, meetings)

    attendees, actions = [], []
    for meeting in meetings:
        for body in bodies:
            chief = staff.chiefs[body.code][0] if staff.chiefs[body.code] else None
            attendees.append(
                MeetingAttendee(
                    meeting=meeting,
                    agency=body,
                    name=chief.full_name if chief else "Chief executive",
                    role="Chief executive",
                )
            )
            attendees.append(
                MeetingAttendee(
                    meeting=meeting, agency=body, name=rng.choice(owners).full_name, role="Director"
                )
            )
        if meeting.status != MeetingStatus.HELD:
            continue
        for _ in range(rng.randint(1, 3)):
            due_on = meeting.held_on + days(rng.randint(14, 90))
            done = due_on < run.until and rng.random() < 0.85
            actions.append(
                MeetingAction(
                    meeting=meeting,
                    description=rng.choice(words.ACTIONS),
                    owner=rng.choice(owners),
                    due_on=due_on,
                    status=ActionStatus.DONE
                    if done
                    else rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
                    completed_on=min(due_on, run.until) if done else None,
                )
            )
    bulk(MeetingAttendee, attendees)
    bulk(MeetingAction, actions)

    notices = []
    per_quarter = max(2, round(8 * run.scale))
    for start in quarters(year):
        for _ in range(per_quarter):
            planned_on = start + days(rng.randint(0, 89))
            if planned_on > run.until + days(30):
                continue
            kind = rng.choice(list(NoticeKind))
            late = rng.random() < 0.1
            told_on = planned_on - days(rng.randint(1, 5) if late else rng.randint(14, 30))
            told = told_on <= run.until
            acknowledged = (
                told_on + days(rng.randint(0, 6))
                if told and told_on + days(6) <= run.until
                else None
            )
            urgent = late and rng.random() < 0.5
            notices.append(
                NoSurprisesNotice(
                    raised_by=rng.choice(bodies),
                    kind=kind,
                    commitment_type=rng.choice(list(CommitmentType))
                    if kind == NoticeKind.COMMITMENT
                    else "",
                    subject=rng.choice(words.NOTICE_SUBJECTS),
                    planned_on=planned_on,
                    told_on=told_on if told else None,
                    told_whom="Director of the other body" if told else "",
                    acknowledged_on=acknowledged,
                    urgent=urgent,
                    urgent_reason="A statement was needed the same day." if urgent else "",
                )
            )
    bulk(NoSurprisesNotice, notices)

    escalations, steps = [], []
    for _ in range(3):
        raised_on = datetime.date(year, 1, 1) + days(rng.randint(0, 330))
        if raised_on > run.until:
            continue
        reach = min(rng.choice([1, 1, 2, 3]), 1 + (run.until - raised_on).days // 30)
        closed_on = raised_on + days(30 * reach + rng.randint(5, 30))
        is_closed = closed_on <= run.until
        body = rng.choice(bodies)
        escalation = Escalation(
            subject=rng.choice(words.ESCALATION_SUBJECTS),
            raised_by=body,
            raised_on=raised_on,
            raising_body_position=f"{body.code} proposes to lead.",
            other_body_position="The other body proposes a joint lead.",
            level=list(EscalationLevel)[reach - 1],
            status=rng.choice(CLOSED_OUTCOMES) if is_closed else EscalationStatus.OPEN,
            resolution="Agreed at directors' level." if is_closed else "",
            resolved_on=closed_on if is_closed else None,
        )
        escalations.append(escalation)
    escalations = bulk(Escalation, escalations)
    for escalation in escalations:
        reached = list(EscalationLevel)[: list(EscalationLevel).index(escalation.level) + 1]
        for n, level in enumerate(reached):
            on = escalation.raised_on + days(30 * n)
            steps.append(
                EscalationStep(
                    escalation=escalation,
                    level=level,
                    reached_on=on,
                    held_by=f"{EscalationLevel(level).label} of both bodies",
                    target_on=on + days(28),
                )
            )
    bulk(EscalationStep, steps)

    risks = []
    for _ in range(2):
        found = datetime.date(year, 1, 1) + days(rng.randint(0, 300))
        if found > run.until:
            continue
        risks.append(
            SharedRisk(
                title=rng.choice(words.RISKS),
                description="Raised at the senior executive teams' meeting.",
                raised_by=rng.choice(bodies),
                owner_body=rng.choice(bodies),
                likelihood=rng.randint(1, 5),
                impact=rng.randint(1, 5),
                review_on=found + days(180),
                status=RiskStatus.CLOSED if found + days(365) < run.until else RiskStatus.OPEN,
            )
        )
    risks = bulk(SharedRisk, risks)
    mitigations = []
    for risk in risks:
        agreed_on = risk.review_on - days(150)
        for _ in range(rng.randint(1, 3)):
            mitigations.append(
                Mitigation(
                    risk=risk,
                    description="Share inspection schedules a year ahead.",
                    owner=rng.choice(owners),
                    agreed_on=agreed_on,
                    due_on=agreed_on + days(120),
                    status=MitigationStatus.DONE
                    if risk.status == RiskStatus.CLOSED
                    else rng.choice([MitigationStatus.PLANNED, MitigationStatus.IN_PROGRESS]),
                )
            )
    bulk(Mitigation, mitigations)
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    bulk_through(
        Meeting.risks,
        [(rng.choice(held).pk, risk.pk) for risk in risks if held],
    )

    reviews = [
        LogReview(
            reviewed_by=staff.chiefs[("CI", "HIS")[n % 2]][0],
            reviewed_on=start + days(80),
            notes="Reviewed the quarter's log.",
        )
        for n, start in enumerate(quarters(year))
        if start + days(80) <= run.until and staff.chiefs["CI"] and staff.chiefs["HIS"]
    ]
    bulk(LogReview, reviews)
    return {
        "meetings": len(meetings),
        "attendees": len(attendees),
        "meeting actions": len(actions),
        "notices": len(notices),
        "escalations": len(escalations),
        "escalation steps": len(steps),
        "shared risks": len(risks),
        "mitigations": len(mitigations),
        "log reviews": len(reviews),
    }
