"""Tests: a fast hasher, a fixed secret, in-memory email. DATABASE_URL/REDIS_URL as given."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-used-only-by-the-test-suite"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / "var" / "test-uploads"  # noqa: F405
# WhiteNoise scans the collected static files whenever its middleware is built, which Django's
# test client does once per client: about 30 ms for each test. Looking files up per request
# instead serves the same files (tests/browser checks they load) without the scan.
WHITENOISE_AUTOREFRESH = True
