"""factory_boy factories that keep related objects consistent."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Agency, User
from accounts.roles import ROLE_GROUP_NAMES, Role
from partnerships.models import (
    AreaAssignment,
    AreaRole,
    Contact,
    ContactRole,
    HealthBoard,
    LocalAuthority,
    Partnership,
    PartnershipKind,
)

TEST_PASSWORD = "correct horse battery staple"


def agency(code: str = "CI") -> Agency:
    """Agencies are reference data loaded by migration; tests use the real ones."""
    return Agency.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    agency = factory.LazyFunction(lambda: agency("CI"))
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            group, _ = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role(role)])
            self.groups.add(group)
        if Role.ADMINISTRATOR in extracted:
            self.is_staff = True
        self.forget_groups()
        self.save()


def administrator(**kwargs) -> User:
    return UserFactory(roles=[Role.ADMINISTRATOR], **kwargs)


def inspector(**kwargs) -> User:
    return UserFactory(roles=[Role.INSPECTOR], **kwargs)


class HealthBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthBoard

    gss_code = factory.Sequence(lambda n: f"S08{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test board {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    gss_code = factory.Sequence(lambda n: f"S12{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test council {n}")
    health_board = factory.SubFactory(HealthBoardFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    kind = PartnershipKind.ADULT_PROTECTION
    name = factory.Sequence(lambda n: f"Test partnership {n}")

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if not create:
            return
        councils = extracted or [LocalAuthorityFactory()]
        self.local_authorities.set(councils)
        self.health_boards.set({c.health_board for c in councils})


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partnership = factory.SubFactory(PartnershipFactory)
    role = ContactRole.CHIEF_OFFICER
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"contact{n}@council.example.org")


class AreaAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaAssignment

    user = factory.SubFactory(UserFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    role = AreaRole.LINK_INSPECTOR
    started_on = factory.Faker("date_between", start_date="-2y", end_date="-1d")


# Inspections -------------------------------------------------------------------------------


def programme(code: str = "adult_services_themed"):
    """Programmes are reference data loaded by migration; tests use the real ones."""
    from inspections.models import Programme

    return Programme.objects.get(code=code)


def lead_inspector(**kwargs) -> User:
    return UserFactory(roles=[Role.INSPECTOR, Role.LEAD_INSPECTOR], **kwargs)


class InspectionFactory(factory.django.DjangoModelFactory):
    """A planned inspection with no team. Use `inspection_with_team` for a ready one."""

    class Meta:
        model = "inspections.Inspection"
        skip_postgeneration_save = True

    programme = factory.LazyFunction(programme)
    partnership = factory.SubFactory(
        PartnershipFactory, kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE
    )
    title = factory.Sequence(lambda n: f"Joint inspection {n}")
    lead_agency = factory.LazyAttribute(lambda o: o.programme.lead_agency)
    status = "planned"

    @factory.post_generation
    def quality_indicators(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = list(self.programme.quality_indicators.all())
        self.quality_indicators.set(extracted)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.TeamMember"

    inspection = factory.SubFactory(InspectionFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.INSPECTOR])
    role = "inspector"


def inspection_with_team(**kwargs):
    """An inspection whose team satisfies the notification gate: a lead inspector from the
    lead agency and one inspector from each partner agency. Permissions are synced as the
    services would. Returns (inspection, lead user)."""
    from inspections.services import inspection_permissions_sync

    inspection = InspectionFactory(**kwargs)
    lead = lead_inspector(agency=inspection.lead_agency)
    TeamMemberFactory(inspection=inspection, user=lead, role="lead_inspector")
    for partner in inspection.programme.partner_agencies.all():
        TeamMemberFactory(
            inspection=inspection,
            user=UserFactory(roles=[Role.INSPECTOR], agency=partner),
            role="inspector",
        )
    inspection_permissions_sync(inspection=inspection)
    return inspection, lead


class EvidenceActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.EvidenceActivity"

    inspection = factory.SubFactory(InspectionFactory)
    kind = "position_statement"
    title = factory.Sequence(lambda n: f"Evidence activity {n}")
    status = "planned"


# Inspections: people around an inspection, milestones and attachments ----------------------


def senior(role: str = Role.DIRECTOR, code: str = "CI", **kwargs) -> User:
    """A director or chief executive of the agency with this code."""
    return UserFactory(roles=[Role(role)], agency=agency(code), **kwargs)


def _today():
    from django.utils import timezone

    return timezone.localdate()


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A milestone made directly (the services copy them from the template on notification)."""

    class Meta:
        model = "inspections.Milestone"

    inspection = factory.SubFactory(InspectionFactory)
    stage = "fieldwork"
    name = factory.Sequence(lambda n: f"Milestone {n}")
    offset_weeks = 9
    planned_due_on = factory.LazyFunction(_today)
    due_on = factory.LazyAttribute(lambda o: o.planned_due_on)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment row without a stored file (use services.attachment_upload for real ones)."""

    class Meta:
        model = "inspections.Attachment"

    evidence_activity = factory.SubFactory(EvidenceActivityFactory)
    file = factory.Sequence(lambda n: f"evidence/test/{n}.pdf")
    original_name = factory.Sequence(lambda n: f"document-{n}.pdf")
    content_type = "application/pdf"
    size = 1024
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)
