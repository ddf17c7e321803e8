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


# Record reading ------------------------------------------------------------------------------


class RecordReviewTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.RecordReviewTemplate"

    programme = factory.LazyFunction(programme)
    name = factory.Sequence(lambda n: f"Record review template {n}")


class TemplateSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.TemplateSection"

    template = factory.SubFactory(RecordReviewTemplateFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Section {n + 1}")
    order = factory.Sequence(lambda n: n)


class TemplateQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.TemplateQuestion"

    section = factory.SubFactory(TemplateSectionFactory)
    number = factory.Sequence(lambda n: f"Q{n + 1}")
    text = factory.Sequence(lambda n: f"Question {n + 1}?")
    answer_type = "yes_no"
    order = factory.Sequence(lambda n: n)


class QuestionChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.QuestionChoice"

    question = factory.SubFactory(TemplateQuestionFactory, answer_type="choice")
    label = factory.Sequence(lambda n: f"Choice {n + 1}")
    order = factory.Sequence(lambda n: n)


class ReviewedRecordFactory(factory.django.DjangoModelFactory):
    """A record in a sample, made directly (records_add_bulk is the service)."""

    class Meta:
        model = "inspections.ReviewedRecord"

    inspection = factory.SubFactory(InspectionFactory)
    template = factory.SubFactory(
        RecordReviewTemplateFactory, programme=factory.SelfAttribute("..inspection.programme")
    )
    reference = factory.Sequence(lambda n: f"SW/{n + 1:05d}")
    agency = "social_work"


def record_template(programme_=None, *, name="Test record review template"):
    """A template with two sections and one question of each type. Returns (template, questions)
    where questions maps "yes_no", "choice", "six_point" and "text" to the question; the choice
    question has the choices "Within a day", "Within a week" and "Later" (in that order)."""
    template = RecordReviewTemplateFactory(programme=programme_ or programme(), name=name)
    first = TemplateSectionFactory(template=template, number="1", title="Risk", order=1)
    second = TemplateSectionFactory(template=template, number="2", title="Outcomes", order=2)
    questions = {
        "yes_no": TemplateQuestionFactory(
            section=first, number="1.1", text="Was a chronology in place?", order=1
        ),
        "choice": TemplateQuestionFactory(
            section=first,
            number="1.2",
            text="How soon was the risk assessed?",
            answer_type="choice",
            order=2,
        ),
        "six_point": TemplateQuestionFactory(
            section=second,
            number="2.1",
            text="How good was the protection plan?",
            answer_type="six_point",
            order=1,
        ),
        "text": TemplateQuestionFactory(
            section=second,
            number="2.2",
            text="Notes",
            answer_type="text",
            allow_not_applicable=False,
            order=2,
        ),
    }
    for order, label in enumerate(["Within a day", "Within a week", "Later"]):
        QuestionChoiceFactory(question=questions["choice"], label=label, order=order)
    return template, questions


# Report --------------------------------------------------------------------------------------


class FindingFactory(factory.django.DjangoModelFactory):
    """A draft finding made directly (services.finding_create is the checked way), tied to the
    inspection's first indicator in scope unless `quality_indicators` says otherwise."""

    class Meta:
        model = "inspections.Finding"
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    kind = "strength"
    text = factory.Sequence(lambda n: f"Finding {n}: staff knew the people they supported well.")
    drafted_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def quality_indicators(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = list(self.inspection.quality_indicators.order_by("order", "pk")[:1])
        self.quality_indicators.set(extracted)


class FactualAccuracyCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inspections.FactualAccuracyComment"

    inspection = factory.SubFactory(InspectionFactory, status="factual_accuracy")
    report_reference = factory.Sequence(lambda n: f"Page {n + 1}, paragraph 2")
    comment = "The figure for staff turnover is for the wrong year."


def evaluation_level(inspection, value: int = 4):
    """The grade with this value on the inspection's programme scale (or its nearest one)."""
    levels = list(inspection.programme.evaluation_scale.levels.order_by("-value"))
    return next((level for level in levels if level.value == value), levels[-1])


def final_evaluation(inspection, indicator, by, value: int = 4, rationale: str = "Evidence."):
    """A chain made directly: the team's proposal, the panel's confirmation and the final
    grade. Returns the final link."""
    from inspections.models import EvaluationLink

    level = evaluation_level(inspection, value)
    last = (
        EvaluationLink.objects.filter(inspection=inspection, quality_indicator=indicator)
        .order_by("-pk")
        .first()
    )
    for stage, extra in [
        ("proposed", {"rationale": rationale}),
        ("panel", {"panel_outcome": "confirmed", "panel_date": _today()}),
        ("final", {"rationale": rationale}),
    ]:
        last = EvaluationLink.objects.create(
            inspection=inspection,
            quality_indicator=indicator,
            stage=stage,
            level=level,
            previous=last,
            created_by=by,
            **extra,
        )
    return last


def satisfy_report_gates(inspection, by=None) -> None:
    """Meet the report's gates, as earlier lifecycle tests need: a final grade for every indicator
    in scope without one, every draft finding agreed and every factual accuracy comment answered.
    Made directly, whatever the inspection's stage; `by` defaults to its lead inspector."""
    from django.utils import timezone

    from inspections.models import FactualAccuracyComment, Finding
    from inspections.report.gates import indicators_without_final_grade

    if by is None:
        lead = inspection.team.filter(role="lead_inspector", archived_at__isnull=True).first()
        by = lead.user if lead else UserFactory()
    for indicator in indicators_without_final_grade(inspection):
        final_evaluation(inspection, indicator, by)
    Finding.objects.filter(inspection=inspection, status="draft").update(
        status="agreed", agreed_by=by, agreed_at=timezone.now()
    )
    FactualAccuracyComment.objects.filter(inspection=inspection, response="").update(
        response="accepted", responded_by=by, responded_at=timezone.now()
    )
