from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from .roles import ROLE_GROUP_NAMES, Role


class Agency(models.Model):
    """A scrutiny body (CI, HIS, HMICS) or a body that co-operates with them."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200, unique=True)
    legal_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    is_scrutiny_body = models.BooleanField(
        default=False, help_text="Carries out joint inspections (CI, HIS, HMICS)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if isinstance(extra.get("agency"), int | str):
            extra["agency_id"] = extra.pop("agency")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by email. Belongs to one agency; holds roles through groups."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "can use the admin site", default=False, help_text="Administrators have this."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "agency"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def group_names(self) -> frozenset[str]:
        """The user's group names, read once per user object (so once per request)."""
        return frozenset(g.name for g in self.groups.all())

    def forget_groups(self) -> None:
        """Call after changing the user's groups so the next read sees the change."""
        self.__dict__.pop("group_names", None)

    @property
    def role_names(self) -> list[str]:
        """Labels of the roles this user holds."""
        by_group = {name: role for role, name in ROLE_GROUP_NAMES.items()}
        return sorted(Role(by_group[name]).label for name in self.group_names if name in by_group)

    def has_role(self, role: Role) -> bool:
        return ROLE_GROUP_NAMES[role] in self.group_names
