"""Demo accounts and data for `make run`. Safe to run again: it never duplicates anything."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import user_set_roles
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

        self.stdout.write(
            self.style.SUCCESS("Demo data is in place. Sign in at http://127.0.0.1:8000 as:")
        )
        for email, _name, code, roles in DEMO_USERS:
            labels = ", ".join(Role(r).label for r in roles)
            self.stdout.write(f"  {email:32} {code:6} {labels}")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
