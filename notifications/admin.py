"""Notifications in the admin site: read-only records of what was sent to whom (never deleted),
and people's email choices (audited like every case record). The reminder schedules are under
Periodic tasks (django-celery-beat)."""

from django.contrib import admin

from scrutiny.admin import CaseRecordAdmin

from .models import CalendarFeed, Notification, NotificationPreference, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("on", "kind", "user", "due_on", "email", "emailed_at")
    list_filter = ("kind", "email", "on")
    search_fields = ("user__email", "user__full_name")
    date_hierarchy = "on"
    list_select_related = ("user",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "user", "kind", "due_on", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "user__email", "user__full_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("user__email", "user__full_name")
    exclude = ("token_hash",)
    list_select_related = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(CaseRecordAdmin):
    list_display = ("user", "email_mode")
    list_filter = ("email_mode",)
    search_fields = ("user__email", "user__full_name")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
