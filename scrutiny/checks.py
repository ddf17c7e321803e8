"""System checks that refuse to run production mode with unsafe settings.

They run with every management command (`migrate`, `check`, `runserver`), so a deployment whose
release step runs `manage.py migrate` stops before serving anything.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

KNOWN_DEFAULT_SECRETS = {
    "insecure-development-key-not-for-production",
    "test-secret-key-used-only-by-the-test-suite",
    "change-me",
    "changeme",
    "secret",
}
# The same bar as Django's own security.W009.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
SECURE_COOKIE_SETTINGS = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")


def _secret_is_default(secret: str) -> bool:
    return (
        not secret
        or secret in KNOWN_DEFAULT_SECRETS
        or secret.startswith("django-insecure")
        or len(secret) < SECRET_KEY_MIN_LENGTH
        or len(set(secret)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    )


@register()
def production_settings_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[Error]:
    if not getattr(settings, "SCRUTINY_PRODUCTION", False):
        return []
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on in production mode.",
                hint="Unset DEBUG (or set DEBUG=false) in the environment.",
                id="scrutiny.E001",
            )
        )
    try:
        secret = str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        secret = ""
    if _secret_is_default(secret):
        errors.append(
            Error(
                "SECRET_KEY is a default or too weak for production mode.",
                hint=(
                    f"Set SECRET_KEY to a random value of at least {SECRET_KEY_MIN_LENGTH} "
                    "characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
                ),
                id="scrutiny.E002",
            )
        )
    insecure = [name for name in SECURE_COOKIE_SETTINGS if not getattr(settings, name, False)]
    if insecure:
        errors.append(
            Error(
                f"Insecure cookie settings in production mode: {', '.join(insecure)} must be on.",
                hint="scrutiny.settings.production turns them on; do not override them.",
                id="scrutiny.E003",
            )
        )
    return errors
