"""Demo accounts and data for `make run`. Safe to run again: it never duplicates anything."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import user_set_roles
from cooperation import services as cooperation_services
from cooperation.models import Meeting, MeetingType
from cooperation.rules import period_containing
from improvement.demo import load_improvement_demo
from inspections import services as inspection_services
from inspections.models import Inspection, Programme
from inspections.report import services as report_services
from partnerships.engagement_demo import load_engagement_demo
from partnerships.models import (
    AreaAssignment,
    AreaRole,
    Contact,
    ContactRole,
    LocalAuthority,
    Partnership,
    PartnershipKind,
)
from partnerships.services import area_assignment_create, contact_create

DEMO_PASSWORD = "scrutiny-demo"  # noqa: S105 (a published demo password, for demo data only)

# (email, full name, agency code, roles)
DEMO_USERS = [
    ("inspector@ci.demo.example", "Isla Inspector", "CI", [Role.INSPECTOR]),
    ("lead@ci.demo.example", "Lachlan Lead", "CI", [Role.INSPECTOR, Role.LEAD_INSPECTOR]),
    ("link@ci.demo.example", "Lorna Link", "CI", [Role.INSPECTOR, Role.LINK_INSPECTOR]),
    ("rm@ci.demo.example", "Rory Relationship", "CI", [Role.RELATIONSHIP_MANAGER]),
    ("director@ci.demo.example", "Deirdre Director", "CI", [Role.DIRECTOR]),
    ("ceo@ci.demo.example", "Callum Chief", "CI", [Role.CHIEF_EXECUTIVE]),
    ("admin@ci.demo.example", "Ailsa Admin", "CI", [Role.ADMINISTRATOR]),
    ("inspector@his.demo.example", "Hamish Inspector", "HIS", [Role.INSPECTOR]),
    ("lead@his.demo.example", "Heather Lead", "HIS", [Role.INSPECTOR, Role.LEAD_INSPECTOR]),
    ("link@his.demo.example", "Hector Link", "HIS", [Role.INSPECTOR, Role.LINK_INSPECTOR]),
    ("rm@his.demo.example", "Hannah Relationship", "HIS", [Role.RELATIONSHIP_MANAGER]),
    ("director@his.demo.example", "Douglas Director", "HIS", [Role.DIRECTOR]),
    ("ceo@his.demo.example", "Catriona Chief", "HIS", [Role.CHIEF_EXECUTIVE]),
    ("admin@his.demo.example", "Hugh Admin", "HIS", [Role.ADMINISTRATOR]),
    ("inspector@hmics.demo.example", "Morag Police-Inspector", "HMICS", [Role.INSPECTOR]),
]

# (email, council area, role)
DEMO_ASSIGNMENTS = [
    ("link@ci.demo.example", "Fife", AreaRole.LINK_INSPECTOR),
    ("link@ci.demo.example", "Dundee City", AreaRole.LINK_INSPECTOR),
    ("link@his.demo.example", "Highland", AreaRole.LINK_INSPECTOR),
    ("link@his.demo.example", "Midlothian", AreaRole.LINK_INSPECTOR),
    ("rm@ci.demo.example", "Fife", AreaRole.RELATIONSHIP_MANAGER),
    ("rm@his.demo.example", "Highland", AreaRole.RELATIONSHIP_MANAGER),
]

# Fictional people for demonstration (partnership name, kind, role, name).
DEMO_CONTACTS = [
    (
        "Fife",
        PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        ContactRole.CHIEF_OFFICER,
        "Demo Chief Officer",
    ),
    (
        "Fife",
        PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        ContactRole.CHIEF_FINANCE_OFFICER,
        "Demo Finance Officer",
    ),
    ("Fife", PartnershipKind.ADULT_PROTECTION, ContactRole.APC_CONVENER, "Demo Convener"),
    ("Fife", PartnershipKind.ADULT_PROTECTION, ContactRole.LEAD_OFFICER, "Demo Lead Officer"),
    (
        "Highland",
        PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        ContactRole.CHIEF_OFFICER,
        "Demo Highland Officer",
    ),
    (
        "Dundee City",
        PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        ContactRole.CHIEF_SOCIAL_WORK_OFFICER,
        "Demo Social Work Officer",
    ),
]

DEMO_START = datetime.date(2025, 4, 1)

DEMO_EVIDENCE = [
    ("position_statement", "Position statement and supporting documents"),
    ("staff_survey", "Staff survey"),
    ("record_reading", "Record reading: social work and health records"),
]

# Inspections at three stages. Steps are the transitions made after planning.
DEMO_INSPECTIONS = [
    {
        "title": "Joint inspection of adult services in Fife: adults living with mental illness",
        "programme": "adult_services_themed",
        "partnership": "Fife",
        "partnership_kind": PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        "lead": "lead@ci.demo.example",
        "team": [
            ("inspector@ci.demo.example", "inspector"),
            ("lead@his.demo.example", "health_inspector"),
        ],
        "weeks_ago": 8,
        "steps": ["notified", "evidence_gathering", "fieldwork"],
    },
    {
        "title": "Joint inspection of adult support and protection in Highland",
        "programme": "asp_phase_2_year_1",
        "partnership": "Highland",
        "partnership_kind": PartnershipKind.ADULT_PROTECTION,
        "lead": "lead@ci.demo.example",
        "team": [
            ("inspector@his.demo.example", "health_inspector"),
            ("inspector@hmics.demo.example", "police_inspector"),
        ],
        "weeks_ago": -3,
        "steps": [],
    },
    {
        "title": "Inspection of community payback orders in Dundee City",
        "programme": "justice_cpo",
        "partnership": "Dundee City",
        "partnership_kind": PartnershipKind.COMMUNITY_JUSTICE,
        "lead": "lead@ci.demo.example",
        "team": [("inspector@ci.demo.example", "inspector")],
        "weeks_ago": 30,
        "steps": [
            "notified",
            "evidence_gathering",
            "fieldwork",
            "evaluation",
            "report_drafting",
            "factual_accuracy",
            "published",
        ],
    },
]


# The published demo inspection's report: (kind, text), tied to its indicators in turn.
DEMO_FINDINGS = [
    (
        "strength",
        "Most people on community payback orders were seen within a day of sentence and had "
        "their induction within five working days.",
    ),
    (
        "area_for_improvement",
        "Risk assessments were not always reviewed when people's circumstances changed.",
    ),
    (
        "recommendation",
        "The partnership should make sure every case management plan is reviewed at least "
        "every three months.",
    ),
    (
        "good_practice",
        "Unpaid work placements were matched to people's skills, and several led to paid work.",
    ),
]
DEMO_GRADES = [4, 3, 5, 4, 4]  # proposed, per indicator in turn; the panel lowers the first


def _demo_email(role: str, partnership_name: str) -> str:
    return f"{role.replace('_', '.')}@{partnership_name.lower().replace(' ', '')}.demo.example"


class Command(BaseCommand):
    help = "Create demo accounts (one per role in CI and HIS), area assignments and contacts."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        agencies = {a.code: a for a in Agency.objects.all()}
        users: dict[str, User] = {}
        for email, name, code, _roles in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=DEMO_PASSWORD, full_name=name, agency=agencies[code]
                )
            users[email] = user
        actor = users["admin@ci.demo.example"]
        for email, _, _, roles in DEMO_USERS:
            user_set_roles(user=users[email], roles=roles, by=actor)

        councils = {la.name: la for la in LocalAuthority.objects.all()}
        for email, council, role in DEMO_ASSIGNMENTS:
            exists = AreaAssignment.objects.filter(
                user=users[email], local_authority=councils[council], role=role
            ).exists()
            if not exists:
                area_assignment_create(
                    by=actor,
                    user=users[email],
                    local_authority=councils[council],
                    role=role,
                    started_on=DEMO_START,
                )

        for partnership_name, kind, role, name in DEMO_CONTACTS:
            partnership = Partnership.objects.get(name=partnership_name, kind=kind)
            if not Contact.objects.filter(partnership=partnership, role=role, name=name).exists():
                contact_create(
                    partnership=partnership,
                    by=actor,
                    role=role,
                    name=name,
                    email=_demo_email(role, partnership_name),
                    started_on=DEMO_START,
                )

        self._inspections(users)
        _demo_cooperation(users)
        self._record_reading(users)
        load_improvement_demo(self.stdout)
        load_engagement_demo(self.stdout)

        self.stdout.write(
            self.style.SUCCESS("Demo data is in place. Sign in at http://127.0.0.1:8000 as:")
        )
        for email, _name, code, roles in DEMO_USERS:
            labels = ", ".join(Role(r).label for r in roles)
            self.stdout.write(f"  {email:32} {code:6} {labels}")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")

    def _inspections(self, users: dict[str, User]) -> None:
        """Three demo inspections at different stages, built through the services so their
        History, milestones and permissions are what real use would give."""
        today = timezone.localdate()
        for spec in DEMO_INSPECTIONS:
            if Inspection.objects.filter(title=spec["title"]).exists():
                continue
            programme = Programme.objects.get(code=spec["programme"])
            partnership = Partnership.objects.get(
                name=spec["partnership"], kind=spec["partnership_kind"]
            )
            lead = users[spec["lead"]]
            inspection = inspection_services.inspection_create(
                by=lead,
                programme=programme,
                partnership=partnership,
                title=spec["title"],
                lead_inspector=lead,
                quality_indicators=list(programme.quality_indicators.all()),
                planned_notification_on=today - datetime.timedelta(weeks=spec["weeks_ago"]),
            )
            for email, role in spec["team"]:
                inspection_services.team_member_add(
                    inspection=inspection, by=lead, user=users[email], role=role
                )
            notified_on = today - datetime.timedelta(weeks=spec["weeks_ago"])
            steps = spec["steps"]
            for index, status in enumerate(steps):
                on = min(today, notified_on + datetime.timedelta(weeks=2 * index))
                if status == "fieldwork":
                    inspection = inspection_services.inspection_update(
                        inspection=inspection,
                        by=lead,
                        expected_version=inspection.version,
                        changes={"fieldwork_starts_on": on},
                    )
                if status == "evaluation":
                    for activity in inspection.evidence_activities.all():
                        inspection_services.evidence_activity_update(
                            activity=activity,
                            by=lead,
                            expected_version=activity.version,
                            changes={"status": "complete"},
                        )
                if status == "report_drafting":
                    self._findings_and_grades(inspection, lead, users[spec["team"][0][0]], on)
                if status == "published":
                    self._factual_accuracy(inspection, lead, users[spec["team"][0][0]])
                inspection = inspection_services.inspection_transition(
                    inspection=inspection, by=lead, to_status=status, on=on
                )
                if status == "evidence_gathering":
                    for kind, title in DEMO_EVIDENCE:
                        inspection_services.evidence_activity_create(
                            inspection=inspection,
                            by=lead,
                            kind=kind,
                            title=title,
                            starts_on=on,
                            status="in_progress",
                        )
            # Milestones of the stages already passed were met on time.
            passed = set(steps[:-1]) | ({"published"} & set(steps))
            for milestone in inspection.milestones.filter(due_on__lte=today):
                if milestone.stage in passed:
                    inspection_services.milestone_complete(
                        milestone=milestone,
                        by=lead,
                        completed_on=milestone.due_on,
                        expected_version=milestone.version,
                    )

    def _findings_and_grades(self, inspection, lead: User, member: User, on) -> None:
        """Findings drafted by a team member and agreed by the lead; each indicator graded by
        the team, moderated by the panel and made final, through the report's services."""
        indicators = list(inspection.quality_indicators.order_by("order", "number", "pk"))
        levels = {lv.value: lv for lv in inspection.programme.evaluation_scale.levels.all()}
        for index, (kind, text) in enumerate(DEMO_FINDINGS):
            finding = report_services.finding_create(
                inspection=inspection,
                by=member,
                kind=kind,
                text=text,
                quality_indicators=[indicators[index % len(indicators)]],
            )
            report_services.finding_agree(finding=finding, by=lead, expected_version=1)
        panel = [lead, User.objects.get(email="director@ci.demo.example")]
        for index, indicator in enumerate(indicators):
            proposed = levels[DEMO_GRADES[index % len(DEMO_GRADES)]]
            report_services.evaluation_propose(
                inspection=inspection,
                quality_indicator=indicator,
                by=member,
                level=proposed,
                rationale="The records read and the staff focus groups bore this out.",
            )
            changed = index == 0 and proposed.value - 1 in levels
            report_services.evaluation_panel(
                inspection=inspection,
                quality_indicator=indicator,
                by=lead,
                outcome="changed" if changed else "confirmed",
                level=levels[proposed.value - 1] if changed else None,
                reason="Weaknesses in risk assessment outweigh the strengths found."
                if changed
                else "",
                panel_members=panel,
                panel_date=on,
            )
            report_services.evaluation_finalise(
                inspection=inspection, quality_indicator=indicator, by=lead
            )

    def _factual_accuracy(self, inspection, lead: User, member: User) -> None:
        comment = report_services.fa_comment_create(
            inspection=inspection,
            by=member,
            report_reference="Page 9, paragraph 2",
            comment="The induction figure should include people seen by the out-of-hours team.",
        )
        report_services.fa_comment_respond(
            comment=comment,
            by=lead,
            expected_version=comment.version,
            response="partly_accepted",
            response_text="Out-of-hours inductions are now counted; the timescale stays.",
            change_made="Paragraph 2 now gives the figure including out-of-hours inductions.",
        )

    def _record_reading(self, users: dict[str, User]) -> None:
        """An illustrative record review template and twelve records read for the inspection
        in fieldwork, built through the record reading services. Skipped once the template
        exists."""
        from inspections.models import RecordReviewTemplate
        from inspections.record_reading import services as reading

        if RecordReviewTemplate.objects.filter(name=DEMO_TEMPLATE["name"]).exists():
            return
        inspection = Inspection.objects.filter(title=DEMO_INSPECTIONS[0]["title"]).first()
        if inspection is None:
            return
        admin = User.objects.get(email="admin@ci.demo.example")  # fresh permissions
        template = reading.template_create(
            by=admin, programme=inspection.programme, **DEMO_TEMPLATE
        )
        questions = {q.number: q for q in reading.template_questions(template.pk)}
        choices = list(questions["1.2"].choices.all())
        lead = User.objects.get(email=DEMO_INSPECTIONS[0]["lead"])
        for reference, agency, email, answers, complete in DEMO_RECORDS:
            reader = User.objects.get(email=email)
            record = reading.record_add(
                inspection=inspection,
                by=lead,
                template=template,
                reference=reference,
                agency=agency,
                reader=reader,
            )
            if answers is None:
                continue
            yes_no, soon, grade, involved, plan, notes = answers
            reading.record_answers_save(
                record=record,
                by=reader,
                expected_version=record.version,
                answers={
                    questions["1.1"].pk: yes_no,
                    questions["1.2"].pk: choices[soon].pk if isinstance(soon, int) else soon,
                    questions["1.3"].pk: grade,
                    questions["2.1"].pk: involved,
                    questions["2.2"].pk: plan,
                    questions["2.3"].pk: notes,
                },
                complete=complete,
            )


# Illustrative only: no real record review template wording is available in our sources.
DEMO_TEMPLATE = {
    "name": "Demo record review template (illustrative)",
    "description": "Illustrative questions for demonstration only. This is not the wording of "
    "any real Care Inspectorate or Healthcare Improvement Scotland record review template.",
    "sections": [
        {
            "number": "1",
            "title": "Initial inquiry and assessment of risk (illustrative)",
            "questions": [
                {
                    "number": "1.1",
                    "text": "Was there an up-to-date chronology on the record?",
                    "answer_type": "yes_no",
                },
                {
                    "number": "1.2",
                    "text": "How soon after the referral were the initial inquiries made?",
                    "answer_type": "choice",
                    "choices": [
                        "Within 24 hours",
                        "Within 5 working days",
                        "After more than 5 working days",
                    ],
                },
                {
                    "number": "1.3",
                    "text": "How good was the assessment of risk?",
                    "answer_type": "six_point",
                    "help_text": "6 excellent, 5 very good, 4 good, 3 adequate, 2 weak, "
                    "1 unsatisfactory.",
                },
            ],
        },
        {
            "number": "2",
            "title": "Protection planning and outcomes (illustrative)",
            "questions": [
                {
                    "number": "2.1",
                    "text": "Was the adult involved in planning their own protection?",
                    "answer_type": "yes_no",
                },
                {
                    "number": "2.2",
                    "text": "How good was the protection plan?",
                    "answer_type": "six_point",
                    "allow_not_applicable": True,
                },
                {
                    "number": "2.3",
                    "text": "Reader's notes",
                    "answer_type": "text",
                    "help_text": "Anything the team should know. Never a person's name.",
                    "allow_not_applicable": False,
                },
            ],
        },
    ],
}

_ISLA, _HEATHER, _LACHLAN = (
    "inspector@ci.demo.example",
    "lead@his.demo.example",
    "lead@ci.demo.example",
)
# (reference, agency, reader, answers or None for not started, complete). Answers are
# (1.1, 1.2 choice index or "na", 1.3 grade, 2.1, 2.2 grade or "na", 2.3 notes).
DEMO_RECORDS = [
    ("SW/DEMO/001", "social_work", _ISLA, ("yes", 0, "5", "yes", "5", "Clear chronology"), True),
    ("SW/DEMO/002", "social_work", _ISLA, ("yes", 1, "4", "yes", "4", ""), True),
    ("SW/DEMO/003", "social_work", _ISLA, ("no", 2, "2", "no", "2", "No chronology"), True),
    ("SW/DEMO/004", "social_work", _ISLA, ("yes", 0, "5", "na", "na", ""), True),
    ("SW/DEMO/005", "social_work", _ISLA, ("yes", 1, "3", "yes", "3", ""), True),
    ("SW/DEMO/006", "social_work", _ISLA, ("no", "", "", "", "", "Reading"), False),
    ("NHS/DEMO/101", "health", _HEATHER, ("yes", 0, "4", "yes", "5", ""), True),
    ("NHS/DEMO/102", "health", _HEATHER, ("na", "na", "4", "yes", "4", ""), True),
    ("NHS/DEMO/103", "health", _HEATHER, ("no", 1, "3", "no", "na", ""), True),
    ("NHS/DEMO/104", "health", _HEATHER, None, False),
    ("POL/DEMO/201", "police", _LACHLAN, ("yes", 0, "6", "na", "na", "Prompt referral"), True),
    ("POL/DEMO/202", "police", _LACHLAN, ("yes", "", "", "", "", ""), False),
]


def _demo_cooperation(users: dict[str, User]) -> None:
    """The co-operation log: chairs and chief executives met in the last three quarters
    but not the one before (so the gaps page has something to show), a senior executive
    teams meeting with an action, a no-surprises notice, an escalation at directors' level
    and a shared risk. Skipped once any meeting exists."""
    CHIEF = "Chief executive"
    if Meeting.objects.exists():
        return
    ci, his = (Agency.objects.get(code=code) for code in ("CI", "HIS"))
    director = users["director@ci.demo.example"]
    today = timezone.localdate()
    quarter = period_containing(today, "quarter").starts_on
    chairs = MeetingType.objects.get(code="chairs_and_chief_executives")
    for quarters_ago in (1, 2, 3):
        start = _quarters_before(quarter, quarters_ago)
        cooperation_services.meeting_create(
            by=director,
            meeting_type=chairs,
            held_on=start + datetime.timedelta(days=20),
            status="held",
            raised_by=ci if quarters_ago % 2 else his,
            title=f"Chairs and chief executives ({start:%B %Y} quarter)",
            agenda="Joint inspection programme\nNo-surprises notices\nShared risks",
            minutes="Demo minutes: the programme is on track.",
            attendees=[
                cooperation_services.Attendee(agency=ci, name="Callum Chief", role=CHIEF),
                cooperation_services.Attendee(agency=his, name="Catriona Chief", role=CHIEF),
            ],
        )
    risk = cooperation_services.risk_create(
        by=director,
        title="Inspection capacity for the joint programme",
        description="Demo risk: vacancies in both bodies may delay joint inspections.",
        raised_by=ci,
        owner_body=his,
        likelihood=3,
        impact=4,
        review_on=today + datetime.timedelta(days=60),
    )
    senior = MeetingType.objects.get(code="senior_executive_teams")
    meeting = cooperation_services.meeting_create(
        by=director,
        meeting_type=senior,
        held_on=today - datetime.timedelta(days=14),
        status="held",
        raised_by=his,
        title="Senior executive teams: horizon scanning",
        agenda="Priorities\nResources\nHorizon scanning\nRisks",
        risks=[risk],
    )
    cooperation_services.action_create(
        meeting=meeting,
        by=director,
        description="Agree the timetable for next year's joint inspections",
        owner=users["director@his.demo.example"],
        due_on=today + datetime.timedelta(days=21),
    )
    cooperation_services.notice_create(
        by=director,
        raised_by=ci,
        kind="announcement",
        subject="Publication of a national overview report",
        planned_on=today + datetime.timedelta(days=10),
        told_on=today - datetime.timedelta(days=2),
        told_whom="HIS director of quality assurance",
    )
    escalation = cooperation_services.escalation_raise(
        by=director,
        subject="Lead agency for a themed inspection",
        raised_by=his,
        raised_on=today - datetime.timedelta(days=40),
        raising_body_position="HIS proposes to lead the themed inspection.",
        other_body_position="CI proposes to lead, as for earlier themed inspections.",
        held_by="Heads of service of both bodies",
        target_on=today - datetime.timedelta(days=26),
    )
    cooperation_services.escalation_escalate(
        escalation=escalation,
        by=director,
        to_level="directors",
        reached_on=today - datetime.timedelta(days=25),
        held_by="Deirdre Director and Douglas Director",
        target_on=today + datetime.timedelta(days=5),
    )


def _quarters_before(quarter_start: datetime.date, count: int) -> datetime.date:
    month = quarter_start.month - 3 * count
    year = quarter_start.year
    while month < 1:
        month += 12
        year -= 1
    return quarter_start.replace(year=year, month=month, day=1)
