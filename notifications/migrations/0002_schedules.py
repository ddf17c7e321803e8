"""The daily schedules, as django-celery-beat rows that administrators edit in the admin site
(Periodic tasks), never overwritten from settings:

- "Daily reminders" (notifications.tasks.send_reminders) at 06:00 and "Daily reminder digest"
  (notifications.tasks.send_digests) at 06:30, Europe/London;
- "sync-area-permissions" (partnerships.tasks.sync_area_permissions) at 02:15, which
  CELERY_BEAT_SCHEDULE used to hold (and so reset at every start of beat). If beat already
  made its row, that row is kept as it is."""

from django.db import migrations

TIMEZONE = "Europe/London"
SCHEDULES = [
    (
        "Daily reminders",
        "notifications.tasks.send_reminders",
        "0",
        "6",
        "Reminds people of milestones, improvement actions, progress reviews and co-operation "
        "log items due soon or overdue: a notification each, and emails as each person chose.",
    ),
    (
        "Daily reminder digest",
        "notifications.tasks.send_digests",
        "30",
        "6",
        "One email to each person who chose a daily digest, listing their reminders.",
    ),
    (
        "sync-area-permissions",
        "partnerships.tasks.sync_area_permissions",
        "15",
        "2",
        "Grants and revokes contact-management permissions as link-inspector and "
        "relationship-manager assignments start and end.",
    ),
]
OURS = ["Daily reminders", "Daily reminder digest"]


def _changed(apps) -> None:
    """Tell a running beat to reload its schedule."""
    from django.utils import timezone

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def create(apps, schema_editor) -> None:
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, description in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, description=description, enabled=True
        )
    _changed(apps)


def remove(apps, schema_editor) -> None:
    """Reversing removes the reminder schedules; sync-area-permissions stays (beat would make
    it again from the settings this migration came with)."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=OURS).delete()
    _changed(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
