"""Settings shared by every environment. Everything that varies comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Production mode switches on the deployment checks in scrutiny.checks.
SCRUTINY_PRODUCTION = False

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Scrutiny"
SERVICE_PHASE = env("SERVICE_PHASE", default="beta")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "simple_history",
    "axes",
    "csp",
    "django_celery_beat",
    "scrutiny",
    "accounts",
    "partnerships",
    "inspections",
    "improvement",
    "cooperation",
    "dashboards",
    "reports",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "scrutiny.permissions.RequestVisibilityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scrutiny.urls"
WSGI_APPLICATION = "scrutiny.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scrutiny.context_processors.service",
                "scrutiny.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]
FORM_RENDERER = "scrutiny.forms.DesignSystemFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-guardian: no anonymous user row (our users need an agency); anonymous users see nothing.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: throttle failed sign-ins per email and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("sgds", BASE_DIR / "node_modules" / "@scottish-government" / "design-system" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded case material lives outside anything the web server serves; downloads go through views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Scrutiny <no-reply@scrutiny.invalid>")

# Celery: with no REDIS_URL, tasks run in-process (eagerly).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks live in the database, where administrators edit them in the admin site
# (Periodic tasks): data migrations create them (notifications/migrations/0002_schedules.py:
# the daily reminders and digest, and sync-area-permissions at 02:15). Entries here would be
# written back over the admin's edits every time beat starts, so there are none.
CELERY_BEAT_SCHEDULE: dict = {}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an unauthenticated call gets 401 with WWW-Authenticate: Token.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "scrutiny.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "scrutiny.schema.AutoSchema",
    "EXCEPTION_HANDLER": "scrutiny.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": None,  # tokens live until their owner revokes them
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scrutiny API",
    "DESCRIPTION": "Joint scrutiny casework: partnerships, inspections, improvement, co-operation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from this site (drf-spectacular-sidecar), so the CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set, where field names alone would collide.
    "ENUM_NAME_OVERRIDES": {
        "PartnershipKindEnum": "partnerships.models.PartnershipKind",
        "MsgStatusEnum": "partnerships.models.MsgStatus",
        "MsgRatingLevelEnum": "partnerships.models.MsgRatingLevel",
        "InspectionStatusEnum": "inspections.models.InspectionStatus",
        "EvidenceKindEnum": "inspections.models.EvidenceKind",
        "EvidenceStatusEnum": "inspections.models.EvidenceStatus",
        "BodyEnum": "cooperation.models.BODY_CODES",
        "MeetingStatusEnum": "cooperation.models.MeetingStatus",
        "ActionStatusEnum": "cooperation.models.ActionStatus",
        "NoticeKindEnum": "cooperation.models.NoticeKind",
        "EscalationLevelEnum": "cooperation.models.EscalationLevel",
        "EscalationStatusEnum": "cooperation.models.EscalationStatus",
        "RiskStatusEnum": "cooperation.models.RiskStatus",
        "MitigationStatusEnum": "cooperation.models.MitigationStatus",
        "PeriodKindEnum": "cooperation.rules.PERIOD_KINDS",
        "ReadingStatusEnum": "inspections.models.ReadingStatus",
        "FindingKindEnum": "inspections.models.FindingKind",
        "PanelOutcomeEnum": "inspections.models.PanelOutcome",
        # Draft or agreed: findings, support assessments and support decisions.
        "DraftAgreedStatusEnum": "improvement.models.RecordStatus",
        "ImprovementActionStatusEnum": "improvement.models.ActionStatus",
        "ReviewKindEnum": "improvement.models.ReviewKind",
        "ReviewStatusEnum": "improvement.models.ReviewStatus",
        "ProgressJudgementEnum": "improvement.models.ProgressJudgement",
        "SupportStatusEnum": "improvement.models.SupportStatus",
        # PDF reports.
        "ReportKindEnum": "reports.models.ReportKind",
        "ReportStatusEnum": "reports.models.ReportStatus",
        "ReportAudienceEnum": "reports.models.Audience",
        "ReportDocumentStatusEnum": "reports.models.DocumentStatus",
        # Link-inspector engagement (partnerships).
        "EngagementKindEnum": "partnerships.models.EngagementKind",
        "LinkRiskStatusEnum": "partnerships.models.LinkRiskStatus",
        "GoodPracticeStatusEnum": "partnerships.models.GoodPracticeStatus",
        "ServiceAreaEnum": "partnerships.models.ServiceArea",
    },
}

# Duty of co-operation: working days' notice one body gives the other before an announcement or
# commitment, working days to acknowledge a notice, and how many days before the end of a
# quarter (or year) a meeting still to be held is flagged.
NO_SURPRISES_MIN_LEAD_DAYS = env.int("NO_SURPRISES_MIN_LEAD_DAYS", default=10)
NO_SURPRISES_ACK_DAYS = env.int("NO_SURPRISES_ACK_DAYS", default=5)
MEETING_GAP_WARNING_DAYS = env.int("MEETING_GAP_WARNING_DAYS", default=21)

# Reminders (notifications/): things due within this many days, or overdue, are reminded of
# daily; a link inspector's council area with no engagement recorded for this many days is too.
REMINDER_DUE_WITHIN_DAYS = env.int("REMINDER_DUE_WITHIN_DAYS", default=14)
ENGAGEMENT_REMINDER_DAYS = env.int("ENGAGEMENT_REMINDER_DAYS", default=90)
# The address of this site, for links in emails sent by tasks (which have no request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Content security policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # PDF reports: not every layout step
    },
}
