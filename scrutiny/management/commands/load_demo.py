"""Demo accounts and data for `make run`. Safe to run again: it never duplicates anything."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import user_set_roles
from inspections import services as inspection_services
from inspections.models import Inspection, Programme
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
