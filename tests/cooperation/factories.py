"""factory_boy factories for the co-operation log. Records made directly (without services)
for read-side tests; the services are tested through their own calls."""

from __future__ import annotations

import datetime

import factory

from accounts.roles import Role
from cooperation.models import MeetingType
from tests import factories


def body(code: str = "CI"):
    return factories.agency(code)


def meeting_type(code: str = "chairs_and_chief_executives") -> MeetingType:
    """Meeting types are reference data loaded by migration; tests use the real ones."""
    return MeetingType.objects.get(code=code)


def director(code: str = "CI", **kwargs):
    return factories.UserFactory(roles=[Role.DIRECTOR], agency=body(code), **kwargs)


def chief_executive(code: str = "CI", **kwargs):
    return factories.UserFactory(roles=[Role.CHIEF_EXECUTIVE], agency=body(code), **kwargs)


def staff(code: str = "CI", **kwargs):
    """A signed-in reader with no role that writes to the log."""
    return factories.UserFactory(roles=[Role.INSPECTOR], agency=body(code), **kwargs)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Meeting"
        skip_postgeneration_save = True

    meeting_type = factory.LazyFunction(meeting_type)
    held_on = datetime.date(2025, 5, 1)
    status = "held"
    raised_by = factory.LazyFunction(body)


class MeetingAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.MeetingAttendee"

    meeting = factory.SubFactory(MeetingFactory)
    agency = factory.LazyFunction(body)
    name = factory.Faker("name", locale="en_GB")
    role = "Director"


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.MeetingAction"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.LazyFunction(lambda: director())
    due_on = datetime.date(2025, 6, 1)
    status = "open"


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.NoSurprisesNotice"

    raised_by = factory.LazyFunction(body)
    kind = "announcement"
    subject = factory.Sequence(lambda n: f"Announcement {n}")
    planned_on = datetime.date(2026, 3, 20)
    told_on = datetime.date(2026, 3, 6)
    told_whom = "Chief executive"


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Escalation"

    subject = factory.Sequence(lambda n: f"Disagreement {n}")
    raised_by = factory.LazyFunction(body)
    raised_on = datetime.date(2026, 1, 5)
    raising_body_position = "Our position."
    level = "senior_managers"
    status = "open"


class EscalationStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.EscalationStep"

    escalation = factory.SubFactory(EscalationFactory)
    level = factory.LazyAttribute(lambda o: o.escalation.level)
    reached_on = factory.LazyAttribute(lambda o: o.escalation.raised_on)
    held_by = "Heads of service"
    target_on = factory.LazyAttribute(lambda o: o.reached_on + datetime.timedelta(days=28))


def escalation(**kwargs):
    """An escalation with its current step."""
    step_fields = {
        k.removeprefix("step_"): kwargs.pop(k) for k in list(kwargs) if k.startswith("step_")
    }
    made = EscalationFactory(**kwargs)
    EscalationStepFactory(escalation=made, **step_fields)
    return made


class SharedRiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.SharedRisk"

    title = factory.Sequence(lambda n: f"Shared risk {n}")
    raised_by = factory.LazyFunction(body)
    owner_body = factory.LazyFunction(lambda: body("HIS"))
    likelihood = 3
    impact = 4
    review_on = datetime.date(2026, 6, 30)
    status = "open"


class MitigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cooperation.Mitigation"

    risk = factory.SubFactory(SharedRiskFactory)
    description = factory.Sequence(lambda n: f"Mitigation {n}")
    owner = factory.LazyFunction(lambda: director("HIS"))
    agreed_on = datetime.date(2026, 1, 10)
    status = "planned"
