"""Tests: a fast hasher, a fixed secret, in-memory email. DATABASE_URL/REDIS_URL as given."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-used-only-by-the-test-suite"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / "var" / "test-uploads"  # noqa: F405
