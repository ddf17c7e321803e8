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
