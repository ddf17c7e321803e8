"""The co-operation log in the admin site: meeting types are reference data administrators
edit; the log's records are audited, version-checked and archived rather than deleted."""

from django.contrib import admin

from scrutiny.admin import ArchivedFilter, CaseRecordAdmin

from .models import (
    Escalation,
    EscalationStep,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingAttachmentDownload,
    MeetingAttendee,
    MeetingType,
    Mitigation,
    NoSurprisesNotice,
    SharedRisk,
)


@admin.register(MeetingType)
class MeetingTypeAdmin(CaseRecordAdmin):
    list_display = ("name", "frequency", "who", "source_paragraph", "order", "archived_at")
    list_filter = ("frequency", ArchivedFilter)
    search_fields = ("name", "code", "who", "purpose")
    ordering = ("order", "name")


class MeetingAttendeeInline(admin.TabularInline):
    model = MeetingAttendee
    extra = 0
    fields = ("agency", "name", "role", "archived_at")
    readonly_fields = ("archived_at",)
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(CaseRecordAdmin):
    list_display = ("__str__", "meeting_type", "held_on", "status", "raised_by", "archived_at")
    list_filter = ("meeting_type", "status", "raised_by", ArchivedFilter)
    search_fields = ("title", "agenda", "minutes")
    date_hierarchy = "held_on"
    list_select_related = ("meeting_type", "raised_by")
    filter_horizontal = ("risks",)
    inlines = [MeetingAttendeeInline]


@admin.register(MeetingAction)
class MeetingActionAdmin(CaseRecordAdmin):
    list_display = ("description", "meeting", "owner", "due_on", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    search_fields = ("description", "notes")
    list_select_related = ("meeting__meeting_type", "owner")
    raw_id_fields = ("meeting", "owner")


@admin.register(MeetingAttachment)
class MeetingAttachmentAdmin(CaseRecordAdmin):
    list_display = ("original_name", "meeting", "content_type", "size", "uploaded_by", "created_at")
    search_fields = ("original_name", "description")
    list_select_related = ("meeting__meeting_type", "uploaded_by")
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    )
    raw_id_fields = ("meeting",)

    def has_add_permission(self, request) -> bool:
        return False  # files are uploaded, checked, through the meeting's page


@admin.register(MeetingAttachmentDownload)
class MeetingAttachmentDownloadAdmin(admin.ModelAdmin):
    list_display = ("attachment", "user", "downloaded_at", "via")
    list_select_related = ("attachment", "user")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NoSurprisesNotice)
class NoSurprisesNoticeAdmin(CaseRecordAdmin):
    list_display = ("subject", "raised_by", "kind", "planned_on", "told_on", "urgent")
    list_filter = ("raised_by", "kind", "urgent", ArchivedFilter)
    search_fields = ("subject", "details", "told_whom")
    date_hierarchy = "planned_on"
    list_select_related = ("raised_by",)


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0
    fields = ("level", "reached_on", "held_by", "target_on", "notes")
    readonly_fields = ("level", "reached_on")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # steps are added by escalating, in order, on the escalation's page


@admin.register(Escalation)
class EscalationAdmin(CaseRecordAdmin):
    list_display = ("subject", "raised_by", "raised_on", "level", "status", "resolved_on")
    list_filter = ("status", "level", "raised_by", ArchivedFilter)
    search_fields = ("subject", "description")
    list_select_related = ("raised_by",)
    readonly_fields = (*CaseRecordAdmin.readonly_fields, "level", "status")
    inlines = [EscalationStepInline]


@admin.register(LogReview)
class LogReviewAdmin(CaseRecordAdmin):
    list_display = ("reviewed_on", "reviewed_by", "notes")
    list_select_related = ("reviewed_by",)
    raw_id_fields = ("reviewed_by",)


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0
    fields = ("description", "owner", "agreed_on", "due_on", "status")
    raw_id_fields = ("owner",)
    can_delete = False


@admin.register(SharedRisk)
class SharedRiskAdmin(CaseRecordAdmin):
    list_display = ("title", "owner_body", "likelihood", "impact", "review_on", "status")
    list_filter = ("status", "owner_body", ArchivedFilter)
    search_fields = ("title", "description")
    list_select_related = ("owner_body",)
    inlines = [MitigationInline]
