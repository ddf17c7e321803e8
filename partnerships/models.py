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
