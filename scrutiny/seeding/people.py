"""Seeded staff of the scrutiny bodies (fictional people at *.seed.example addresses, with no
usable password), their roles, the council areas' link inspectors and relationship managers over
the decade, and a contact or two at every partnership."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group

from accounts.models import Agency, User
from accounts.roles import ROLE_GROUP_NAMES, Role
from partnerships.models import (
    AreaAssignment,
    AreaRole,
    Contact,
    ContactRole,
    LocalAuthority,
    Partnership,
    PartnershipKind,
)

from .base import SEED_DOMAIN, SeedRun, add_months, bulk

FIRST_NAMES = [
    "Ailsa", "Alasdair", "Amy", "Andrew", "Anna", "Calum", "Catriona", "Claire", "Craig",
    "David", "Eilidh", "Euan", "Fiona", "Fraser", "Gillian", "Gordon", "Graeme", "Hamish",
    "Heather", "Iain", "Isla", "Jamie", "Jennifer", "Kirsty", "Kenneth", "Lorna", "Lewis",
    "Mairi", "Malcolm", "Morag", "Murray", "Niamh", "Neil", "Rhona", "Ruaridh", "Shona",
    "Stuart", "Susan", "Tom", "Yvonne",
]  # fmt: skip
SURNAMES = [
    "Anderson", "Baird", "Boyle", "Cameron", "Campbell", "Crawford", "Duncan", "Ferguson",
    "Fraser", "Gillespie", "Graham", "Hamilton", "Henderson", "Hunter", "Johnston", "Kerr",
    "MacDonald", "MacKenzie", "MacLeod", "Marshall", "McIntyre", "Millar", "Mitchell",
    "Morrison", "Munro", "Paterson", "Reid", "Robertson", "Ross", "Scott", "Sinclair",
    "Stewart", "Sutherland", "Thomson", "Wallace", "Watson", "Young",
]  # fmt: skip

# (agency code, what they do, roles, how many)
STAFF = [
    ("CI", "admin", [Role.ADMINISTRATOR], 1),
    ("CI", "chief-executive", [Role.CHIEF_EXECUTIVE], 1),
    ("CI", "director", [Role.DIRECTOR], 3),
    ("CI", "lead", [Role.INSPECTOR, Role.LEAD_INSPECTOR], 12),
    ("CI", "inspector", [Role.INSPECTOR], 40),
    ("CI", "link", [Role.INSPECTOR, Role.LINK_INSPECTOR], 12),
    ("CI", "rm", [Role.RELATIONSHIP_MANAGER], 8),
    ("HIS", "admin", [Role.ADMINISTRATOR], 1),
    ("HIS", "chief-executive", [Role.CHIEF_EXECUTIVE], 1),
    ("HIS", "director", [Role.DIRECTOR], 2),
    ("HIS", "lead", [Role.INSPECTOR, Role.LEAD_INSPECTOR], 4),
    ("HIS", "inspector", [Role.INSPECTOR], 24),
    ("HIS", "link", [Role.INSPECTOR, Role.LINK_INSPECTOR], 6),
    ("HIS", "rm", [Role.RELATIONSHIP_MANAGER], 4),
    ("HMICS", "inspector", [Role.INSPECTOR], 8),
]

JOB_TITLES = {
    "admin": "Business support officer",
    "chief-executive": "Chief executive",
    "director": "Director of scrutiny and assurance",
    "lead": "Lead inspector",
    "inspector": "Inspector",
    "link": "Link inspector",
    "rm": "Relationship manager",
}

# Link inspectors change every few years; the last one in each area is still in post.
LINK_TERM_MONTHS = 40

CONTACTS = {
    PartnershipKind.HEALTH_AND_SOCIAL_CARE: [
        ContactRole.CHIEF_OFFICER,
        ContactRole.CHIEF_FINANCE_OFFICER,
    ],
    PartnershipKind.ADULT_PROTECTION: [ContactRole.APC_CONVENER, ContactRole.LEAD_OFFICER],
    PartnershipKind.COMMUNITY_JUSTICE: [ContactRole.LEAD_OFFICER],
    PartnershipKind.CHILDRENS_SERVICES: [ContactRole.CHIEF_SOCIAL_WORK_OFFICER],
}


def email(code: str, kind: str, n: int) -> str:
    return f"{kind}.{n:02d}@{code.lower()}.{SEED_DOMAIN}"


def seed_people(run: SeedRun) -> dict[str, int]:
    rng = run.rng("people")
    agencies = {a.code: a for a in Agency.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    users: list[User] = []
    roles: list[tuple[int, list[Role]]] = []
    joined = timezone_aware(datetime.date(run.first_year, 1, 4))
    for code, kind, role_list, count in STAFF:
        for n in range(1, count + 1):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            users.append(
                User(
                    email=email(code, kind, n),
                    full_name=name,
                    agency=agencies[code],
                    job_title=JOB_TITLES[kind],
                    is_staff=Role.ADMINISTRATOR in role_list,
                    password="!seeded-account-without-password",  # noqa: S106 (unusable)
                    date_joined=joined,
                )
            )
            roles.append((len(users) - 1, role_list))
    users = bulk(User, users)
    memberships = [
        User.groups.through(user_id=users[index].pk, group_id=groups[ROLE_GROUP_NAMES[r]].pk)
        for index, role_list in roles
        for r in role_list
    ]
    User.groups.through.objects.bulk_create(memberships)

    assignments = _area_assignments(run, rng)
    contacts = _contacts(run, rng)
    from partnerships.services import area_permissions_sync_all

    area_permissions_sync_all(on=run.until)
    return {
        "users": len(users),
        "role memberships": len(memberships),
        "area assignments": assignments,
        "contacts": contacts,
    }


def timezone_aware(day: datetime.date) -> datetime.datetime:
    from .base import at

    return at(day, 9)


def _area_assignments(run: SeedRun, rng) -> int:
    areas = list(LocalAuthority.objects.order_by("name"))
    seeded = User.objects.filter(email__endswith=SEED_DOMAIN).order_by("email")
    links = list(seeded.filter(email__startswith="link."))
    rms = list(seeded.filter(email__startswith="rm."))
    start = datetime.date(run.first_year, 1, 1)
    rows = []
    for index, area in enumerate(areas):
        # Each area's link inspectors in turn, changing every LINK_TERM_MONTHS (staggered).
        begins = start
        term = 0
        while begins <= run.until:
            months = LINK_TERM_MONTHS + rng.randint(-6, 6)
            if term == 0:
                months -= (index % 7) * 3  # so that areas change link inspector at different times
            ends = add_months(begins, months)
            user = links[(index + term * 7) % len(links)]
            rows.append(
                AreaAssignment(
                    user=user,
                    local_authority=area,
                    role=AreaRole.LINK_INSPECTOR,
                    started_on=begins,
                    ended_on=ends - datetime.timedelta(days=1) if ends <= run.until else None,
                )
            )
            begins = ends
            term += 1
        rows.append(
            AreaAssignment(
                user=rms[index % len(rms)],
                local_authority=area,
                role=AreaRole.RELATIONSHIP_MANAGER,
                started_on=start,
            )
        )
    bulk(AreaAssignment, rows)
    return len(rows)


def _contacts(run: SeedRun, rng) -> int:
    rows = []
    for partnership in Partnership.objects.order_by("kind", "name"):
        for role in CONTACTS[partnership.kind]:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            local = name.lower().replace(" ", ".")
            rows.append(
                Contact(
                    partnership=partnership,
                    role=role,
                    name=name,
                    email=f"{local}@partnership.{SEED_DOMAIN}",
                    started_on=datetime.date(run.first_year + rng.randint(0, run.years - 1), 4, 1),
                )
            )
    bulk(Contact, rows)
    return len(rows)


# Looking the staff up again (later stages, later runs) ---------------------------------------


@dataclass
class Staff:
    leads_ci: list[User]
    leads_his: list[User]
    inspectors: dict[str, list[User]]  # by agency code
    directors: dict[str, list[User]]
    chiefs: dict[str, list[User]]
    links: list[User]
    admin: User

    @classmethod
    def load(cls) -> Staff:
        seeded = list(
            User.objects.filter(email__endswith=SEED_DOMAIN)
            .select_related("agency")
            .order_by("email")
        )

        def of(kind: str, code: str | None = None) -> list[User]:
            return [
                u
                for u in seeded
                if u.email.startswith(f"{kind}.") and (code is None or u.agency.code == code)
            ]

        return cls(
            leads_ci=of("lead", "CI"),
            leads_his=of("lead", "HIS"),
            inspectors={code: of("inspector", code) for code in ("CI", "HIS", "HMICS")},
            directors={code: of("director", code) for code in ("CI", "HIS")},
            chiefs={code: of("chief-executive", code) for code in ("CI", "HIS")},
            links=of("link"),
            admin=of("admin", "CI")[0],
        )

    def link_inspector_on(self, area_id: int, day: datetime.date, by_area: dict) -> User | None:
        for assignment in by_area.get(area_id, []):
            ends = assignment.ended_on or datetime.date.max
            if assignment.started_on <= day <= ends:
                return assignment.user
        return None


def link_assignments() -> dict[int, list[AreaAssignment]]:
    by_area: dict[int, list[AreaAssignment]] = {}
    for assignment in AreaAssignment.objects.filter(
        role=AreaRole.LINK_INSPECTOR, user__email__endswith=SEED_DOMAIN
    ).select_related("user"):
        by_area.setdefault(assignment.local_authority_id, []).append(assignment)
    return by_area
