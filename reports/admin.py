"""Reports in the admin site: read-only (they are asked for and made through the pages, the API
and the worker), with their History; downloads are listed as recorded."""

from django.contrib import admin

from scrutiny.admin import CaseRecordAdmin

from .models import GeneratedReport, GeneratedReportDownload


@admin.register(GeneratedReport)
class GeneratedReportAdmin(CaseRecordAdmin):
    list_display = ("__str__", "audience", "status", "requested_by", "requested_at", "finished_at")
    list_filter = ("kind", "status", "audience")
    list_select_related = ("inspection", "partnership", "requested_by")
    search_fields = ("inspection__title", "partnership__name", "message", "task_id")
    date_hierarchy = "requested_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GeneratedReportDownload)
class GeneratedReportDownloadAdmin(admin.ModelAdmin):
    list_display = ("report", "user", "downloaded_at", "via")
    list_select_related = ("report", "user")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
