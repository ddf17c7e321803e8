"""Councils, health boards and the partnerships the scrutiny bodies scrutinise."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from scrutiny.models import CaseRecord

council_code_validator = RegexValidator(r"^S12\d{6}$", "A council area code is S12 and six digits.")
board_code_validator = RegexValidator(r"^S08\d{6}$", "A health board code is S08 and six digits.")
partnership_code_validator = RegexValidator(
    r"^S37\d{6}$", "A health and social care partnership code is S37 and six digits."
)


class HealthBoard(CaseRecord):
    """One of Scotland's 14 territorial NHS boards."""

    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[board_code_validator]
    )
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"NHS {self.name}"


class LocalAuthority(CaseRecord):
    """A council area. Each sits in exactly one health board."""

    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[council_code_validator]
    )
    name = models.CharField(max_length=200, unique=True)
    health_board = models.ForeignKey(
        HealthBoard, on_delete=models.PROTECT, related_name="local_authorities"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class PartnershipKind(models.TextChoices):
    HEALTH_AND_SOCIAL_CARE = "hscp", "Health and social care partnership"
    ADULT_PROTECTION = "adult_protection", "Adult protection partnership"
    COMMUNITY_JUSTICE = "community_justice", "Community justice partnership"
    CHILDRENS_SERVICES = "childrens_services", "Children's services partnership"


class IntegrationModel(models.TextChoices):
    INTEGRATION_JOINT_BOARD = "ijb", "Integration joint board"
    LEAD_AGENCY = "lead_agency", "Lead agency"


class Partnership(CaseRecord):
    """A partnership covering one or more council areas and involving one or more boards."""

    kind = models.CharField(max_length=30, choices=PartnershipKind.choices)
    name = models.CharField(max_length=200)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        validators=[partnership_code_validator],
        help_text="Health and social care partnerships have an S37 code; other kinds have none.",
    )
    integration_model = models.CharField(
        max_length=20, choices=IntegrationModel.choices, blank=True
    )
    integration_model_confirmed = models.BooleanField(
        default=True,
        help_text="Unticked where the integration model is derived, not confirmed by a source.",
    )
    local_authorities = models.ManyToManyField(
        LocalAuthority, related_name="partnerships", verbose_name="council areas"
    )
    health_boards = models.ManyToManyField(HealthBoard, related_name="partnerships")
    notes = models.TextField(blank=True)

    # django-simple-history also keeps the council areas and boards at each change.
    _history_m2m_fields = ["local_authorities", "health_boards"]

    class Meta:
        ordering = ["name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="partnership_kind_name_unique"),
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="partnership_gss_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(kind="hscp"),
                name="partnership_gss_code_only_for_hscp",
            ),
            models.CheckConstraint(
                condition=Q(integration_model="") | Q(kind="hscp"),
                name="partnership_integration_model_only_for_hscp",
            ),
        ]
        permissions = [
            (
                "manage_contacts",
                "Can add, change and archive this partnership's contacts",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PartnershipKind.HEALTH_AND_SOCIAL_CARE:
            return f"{self.name} Health and Social Care Partnership"
        return f"{self.name} {self.get_kind_display().lower()}"


class ContactRole(models.TextChoices):
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    CHIEF_SOCIAL_WORK_OFFICER = "chief_social_work_officer", "Chief social work officer"
    APC_CONVENER = "apc_convener", "Adult protection committee convener"
    LEAD_OFFICER = "lead_officer", "Lead officer"
    CHIEF_FINANCE_OFFICER = "chief_finance_officer", "Chief finance officer"


class Contact(CaseRecord):
    """A named person in post at a partnership, with dates in post."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(max_length=40, choices=ContactRole.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    started_on = models.DateField("in post from", null=True, blank=True)
    ended_on = models.DateField("in post until", null=True, blank=True)

    class Meta:
        ordering = ["role", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="contact_dates_in_order",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class AreaRole(models.TextChoices):
    LINK_INSPECTOR = "link_inspector", "Link inspector"
    RELATIONSHIP_MANAGER = "relationship_manager", "Relationship manager (adult services)"
    RELATIONSHIP_MANAGER_ELC = (
        "relationship_manager_elc",
        "Relationship manager (early learning and childcare)",
    )


class AreaAssignment(CaseRecord):
    """A user following a council area as its link inspector or a relationship manager."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="area_assignments"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(max_length=30, choices=AreaRole.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["local_authority__name", "role", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_dates_in_order",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=Q(role="link_inspector", ended_on__isnull=True, archived_at__isnull=True),
                name="one_open_link_inspector_per_area",
                violation_error_message="This council area already has a current link inspector.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.local_authority}"


class NationalOutcome(CaseRecord):
    """One of the nine national health and wellbeing outcomes, which findings can be tagged with."""

    number = models.PositiveSmallIntegerField(unique=True)
    outcome = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Outcome {self.number}: {self.outcome}"


class IntegrationPrinciple(CaseRecord):
    """One of the twelve integration principles of the Public Bodies (Joint Working) Act."""

    number = models.PositiveSmallIntegerField(unique=True)
    principle = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Principle {self.number}: {self.principle}"


# Ministerial Strategic Group review (seed 002) -----------------------------------------------


class MsgFeature(CaseRecord):
    """One of the six features of integration the Ministerial Strategic Group review named."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = "MSG feature"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MsgProposal(CaseRecord):
    """One of the review's 25 proposals, with the timescale it set."""

    number = models.CharField(max_length=10, unique=True, help_text='For example "1(i)".')
    feature = models.ForeignKey(MsgFeature, on_delete=models.PROTECT, related_name="proposals")
    title = models.TextField()
    timescale = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "number"]
        verbose_name = "MSG proposal"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class MsgStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class MsgRatingLevel(models.TextChoices):
    """The four-point progress scale, lowest first."""

    NOT_YET_ESTABLISHED = "not_yet_established", "Not yet established"
    PARTLY_ESTABLISHED = "partly_established", "Partly established"
    ESTABLISHED = "established", "Established"
    EXEMPLARY = "exemplary", "Exemplary"


# Each level's place on the scale, 1 (not yet established) to 4 (exemplary).
MSG_RATING_ORDER = {level.value: n for n, level in enumerate(MsgRatingLevel, start=1)}


class MsgSelfEvaluation(CaseRecord):
    """A partnership's dated round of self-evaluation against the MSG proposals."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="msg_self_evaluations"
    )
    evaluated_on = models.DateField("round date")
    status = models.CharField(max_length=20, choices=MsgStatus.choices, default=MsgStatus.DRAFT)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership__name", "-evaluated_on", "-pk"]
        verbose_name = "MSG self-evaluation"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "evaluated_on"],
                condition=Q(archived_at__isnull=True),
                name="msg_one_round_per_partnership_and_date",
                violation_error_message="This partnership already has a round on this date.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partnership", "status", "-evaluated_on"], name="msg_round_latest_idx"
            )
        ]

    def __str__(self) -> str:
        return f"MSG self-evaluation, {self.partnership.name}, {self.evaluated_on:%d %B %Y}"


class MsgRating(CaseRecord):
    """A round's rating of one proposal, with the partnership's comment and evidence, and the
    link inspector's validation note."""

    self_evaluation = models.ForeignKey(
        MsgSelfEvaluation, on_delete=models.PROTECT, related_name="ratings"
    )
    proposal = models.ForeignKey(MsgProposal, on_delete=models.PROTECT, related_name="ratings")
    rating = models.CharField(max_length=30, choices=MsgRatingLevel.choices)
    comment = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    validation_note = models.TextField(blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["self_evaluation", "proposal__order"]
        verbose_name = "MSG rating"
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "proposal"], name="msg_one_rating_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.number}: {self.get_rating_display()}"

    @property
    def level(self) -> int:
        return MSG_RATING_ORDER.get(self.rating, 0)


# Link-inspector engagement (seed 001) ---------------------------------------------------------


class LinkActivityArea(CaseRecord):
    """One of the six key areas of link-inspector activity (seed 001), which an engagement
    covers. Loaded from reference/link_inspector_activity.csv; administrators may correct the
    wording in the admin site."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "area of link-inspector activity"
        verbose_name_plural = "areas of link-inspector activity"

    def __str__(self) -> str:
        return self.title


class EngagementKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    VISIT = "visit", "Visit"
    DOCUMENT_REVIEW = "document_review", "Document review"
    DATA_REVIEW = "data_review", "Data review"
    OTHER = "other", "Other"


def _one_subject(prefix: str) -> models.CheckConstraint:
    """A log entry is about a council area or a partnership: exactly one of the two."""
    return models.CheckConstraint(
        condition=Q(local_authority__isnull=False, partnership__isnull=True)
        | Q(local_authority__isnull=True, partnership__isnull=False),
        name=f"{prefix}_one_subject",
        violation_error_message="Choose a council area or a partnership, not both.",
    )


def _subject(entry) -> LocalAuthority | Partnership | None:
    """The council area or partnership an engagement log entry is about."""
    return entry.partnership or entry.local_authority


class Engagement(CaseRecord):
    """A link inspector's (or relationship manager's) dated engagement with a council area or
    a partnership, and the areas of link-inspector activity it covered."""

    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name="council area",
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    engaged_on = models.DateField("date")
    kind = models.CharField(max_length=20, choices=EngagementKind.choices)
    notes = models.TextField(blank=True)
    areas = models.ManyToManyField(
        LinkActivityArea,
        related_name="engagements",
        verbose_name="areas of link-inspector activity",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    _history_m2m_fields = ["areas"]
    subject = property(_subject)

    class Meta:
        ordering = ["-engaged_on", "-pk"]
        constraints = [_one_subject("engagement")]
        indexes = [
            models.Index(fields=["local_authority", "-engaged_on"], name="engagement_area_idx"),
            models.Index(fields=["partnership", "-engaged_on"], name="engagement_partnership_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.subject}, {self.engaged_on:%-d %B %Y}"


class LinkRiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class LinkRisk(CaseRecord):
    """A risk to the delivery of positive outcomes that link-inspector engagement found, with
    its likely impact, followed until it is closed."""

    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="link_risks",
        verbose_name="council area",
    )
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="link_risks"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    likely_impact = models.TextField(help_text="What could happen to people's outcomes.")
    identified_on = models.DateField("found on")
    status = models.CharField(
        max_length=20, choices=LinkRiskStatus.choices, default=LinkRiskStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    engagements = models.ManyToManyField(
        Engagement, related_name="risks", blank=True, verbose_name="engagements"
    )

    _history_m2m_fields = ["engagements"]
    subject = property(_subject)

    class Meta:
        ordering = ["-identified_on", "-pk"]
        verbose_name = "link-inspector risk"
        constraints = [
            _one_subject("link_risk"),
            models.CheckConstraint(
                condition=(
                    Q(status="closed", closed_on__isnull=False) & ~Q(closing_note="")
                    | (~Q(status="closed") & Q(closed_on__isnull=True, closing_note=""))
                ),
                name="link_risk_closed_has_date_and_note",
                violation_error_message="A closed risk has a closing date and a closing note; "
                "an open one has neither.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("identified_on")),
                name="link_risk_closed_after_found",
                violation_error_message="A risk cannot be closed before it was found.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == LinkRiskStatus.CLOSED


class GoodPracticeStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    SHARED = "shared", "Shared"


class ServiceArea(models.TextChoices):
    """The broad spectrum of social work and care services link inspectors engage across."""

    ADULTS = "adults", "Adults and older people"
    CHILDREN = "children", "Children and young people"
    JUSTICE = "justice", "Justice"
    ACROSS = "across", "Across services"


class GoodPractice(CaseRecord):
    """Good practice link-inspector engagement found, to be shared more widely. Once shared,
    everyone signed in finds it in the national list."""

    local_authority = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practice",
        verbose_name="council area",
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practice",
    )
    title = models.CharField(max_length=300)
    description = models.TextField()
    service_area = models.CharField("services", max_length=20, choices=ServiceArea.choices)
    theme = models.CharField(
        max_length=200, blank=True, help_text="For example: transitions, self-directed support."
    )
    status = models.CharField(
        max_length=20, choices=GoodPracticeStatus.choices, default=GoodPracticeStatus.IDENTIFIED
    )
    identified_on = models.DateField("found on")
    shared_on = models.DateField(null=True, blank=True)
    engagements = models.ManyToManyField(
        Engagement, related_name="good_practice", blank=True, verbose_name="engagements"
    )

    _history_m2m_fields = ["engagements"]
    subject = property(_subject)

    class Meta:
        ordering = ["-identified_on", "-pk"]
        verbose_name = "good practice"
        verbose_name_plural = "good practice"
        constraints = [
            _one_subject("good_practice"),
            models.CheckConstraint(
                condition=Q(shared_on__isnull=True) | Q(status="shared"),
                name="good_practice_shared_on_only_when_shared",
                violation_error_message="Only shared good practice has a date it was shared.",
            ),
        ]

    def __str__(self) -> str:
        return self.title
