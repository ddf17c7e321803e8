"""System checks that refuse to run production mode with unsafe settings."""

from django.conf import settings
from django.core.checks import Error, register

KNOWN_DEFAULT_SECRETS = {
    "insecure-development-key-not-for-production",
    "test-secret-key-used-only-by-the-test-suite",
    "change-me",
    "changeme",
    "secret",
}


def _secret_is_default(secret: str) -> bool:
    return (
        not secret
        or secret in KNOWN_DEFAULT_SECRETS
        or secret.startswith("django-insecure")
        or len(secret) < 50
        or len(set(secret)) < 5
    )


@register()
def production_settings_check(app_configs=None, **kwargs) -> list[Error]:
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
    if _secret_is_default(settings.SECRET_KEY):
        errors.append(
            Error(
                "SECRET_KEY is a default or too weak for production mode.",
                hint="Set SECRET_KEY to a random value of at least 50 characters.",
                id="scrutiny.E002",
            )
        )
    insecure = [
        name
        for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")
        if not getattr(settings, name, False)
    ]
    if insecure:
        errors.append(
            Error(
                f"Insecure cookie settings in production mode: {', '.join(insecure)} must be on.",
                id="scrutiny.E003",
            )
        )
    return errors
