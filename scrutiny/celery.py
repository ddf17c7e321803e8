"""The Celery application. With no REDIS_URL, settings make tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings.local")

app = Celery("scrutiny")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
