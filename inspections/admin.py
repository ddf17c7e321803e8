from django.contrib import admin

from scrutiny.admin import ArchivedFilter, CaseRecordAdmin, archive_selected, restore_selected

from .models import (
    Attachment,
    AttachmentDownload,
    EvaluationLevel,
    EvaluationLink,
    EvaluationScale,
    EvidenceActivity,
    FactualAccuracyComment,
    Finding,
    Inspection,
    Milestone,
    MilestoneTemplate,
    Programme,
    PublishedVersion,
    QualityIndicator,
    QuestionChoice,
    RecordReviewTemplate,
    StatusChange,
    TeamMember,
    TemplateQuestion,
    TemplateSection,
)
from .services import inspection_permissions_sync


class EvaluationLevelInline(admin.TabularInline):
    model = EvaluationLevel
    extra = 0
    fields = ("value", "label", "meaning", "confirmed")
    can_delete = False


@admin.register(EvaluationScale)
class EvaluationScaleAdmin(CaseRecordAdmin):
    list_display = ("name", "source_note", "archived_at")
    search_fields = ("name",)
    list_filter = (ArchivedFilter,)
    inlines = [EvaluationLevelInline]


@admin.register(EvaluationLevel)
class EvaluationLevelAdmin(CaseRecordAdmin):
    list_display = ("scale", "value", "label", "confirmed")
    list_filter = ("scale", "confirmed")
    search_fields = ("label", "meaning")
    list_select_related = ("scale",)


class MilestoneTemplateInline(admin.TabularInline):
    model = MilestoneTemplate
    extra = 0
    fields = ("order", "stage", "name", "offset_weeks", "source_note")
    can_delete = False


@admin.register(Programme)
class ProgrammeAdmin(CaseRecordAdmin):
    list_display = ("name", "code", "family", "lead_agency", "evaluation_scale", "archived_at")
    list_filter = ("family", "lead_agency", ArchivedFilter)
    search_fields = ("name", "code", "theme")
    filter_horizontal = ("partner_agencies",)
    list_select_related = ("lead_agency", "evaluation_scale")
    inlines = [MilestoneTemplateInline]


@admin.register(QualityIndicator)
class QualityIndicatorAdmin(CaseRecordAdmin):
    list_display = ("title", "number", "programme", "parent", "order", "confirmed")
    list_filter = ("programme", "confirmed", ArchivedFilter)
    search_fields = ("title", "number", "source_note")
    list_select_related = ("programme", "parent")
    autocomplete_fields = ("parent",)


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(CaseRecordAdmin):
    list_display = ("name", "programme", "stage", "offset_weeks", "order")
    list_filter = ("programme", "stage")
    search_fields = ("name",)
    list_select_related = ("programme",)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ("user", "role", "conflict", "decision", "archived_at")
    readonly_fields = ("archived_at",)
    autocomplete_fields = ("user",)
    can_delete = False


@admin.register(Inspection)
class InspectionAdmin(CaseRecordAdmin):
    list_display = ("title", "programme", "partnership", "status", "notified_on", "archived_at")
    list_filter = ("status", "programme", "lead_agency", ArchivedFilter)
    search_fields = ("title", "partnership__name")
    list_select_related = ("programme", "partnership")
    autocomplete_fields = ("partnership",)
    filter_horizontal = ("quality_indicators",)
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "status",
        "status_changed_on",
        "notified_on",
        "published_on",
        "suspended_from",
        "status_reason",
    )
    inlines = [TeamMemberInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Team rows edited inline: grant and revoke guardian permissions to match.
        inspection_permissions_sync(inspection=form.instance)

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f != "status"]


@admin.action(description="Archive selected team members (removes their access)")
def archive_members(modeladmin, request, queryset):
    inspections = {m.inspection for m in queryset.select_related("inspection")}
    archive_selected(modeladmin, request, queryset)
    for inspection in inspections:
        inspection_permissions_sync(inspection=inspection)


@admin.action(description="Restore selected team members (gives back their access)")
def restore_members(modeladmin, request, queryset):
    inspections = {m.inspection for m in queryset.select_related("inspection")}
    restore_selected(modeladmin, request, queryset)
    for inspection in inspections:
        inspection_permissions_sync(inspection=inspection)


@admin.register(TeamMember)
class TeamMemberAdmin(CaseRecordAdmin):
    actions = [archive_members, restore_members]
    list_display = ("user", "inspection", "role", "conflict", "decision", "archived_at")
    list_filter = ("role", "conflict", "decision", ArchivedFilter)
    search_fields = ("user__full_name", "inspection__title")
    list_select_related = ("user", "inspection")
    autocomplete_fields = ("user", "inspection")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        inspection_permissions_sync(inspection=obj.inspection)


@admin.register(Milestone)
class MilestoneAdmin(CaseRecordAdmin):
    list_display = ("name", "inspection", "stage", "due_on", "completed_on")
    list_filter = ("stage", ArchivedFilter)
    search_fields = ("name", "inspection__title")
    list_select_related = ("inspection",)
    date_hierarchy = "due_on"


@admin.register(EvidenceActivity)
class EvidenceActivityAdmin(CaseRecordAdmin):
    list_display = ("title", "inspection", "kind", "status", "starts_on", "archived_at")
    list_filter = ("kind", "status", ArchivedFilter)
    search_fields = ("title", "inspection__title")
    list_select_related = ("inspection",)
    filter_horizontal = ("carried_out_by",)


@admin.register(Attachment)
class AttachmentAdmin(CaseRecordAdmin):
    list_display = ("original_name", "evidence_activity", "content_type", "size", "uploaded_by")
    list_filter = ("content_type", ArchivedFilter)
    search_fields = ("original_name", "description")
    list_select_related = ("evidence_activity", "uploaded_by")
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    )


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("inspection", "from_status", "to_status", "changed_on", "changed_by")
    list_filter = ("to_status",)
    search_fields = ("inspection__title",)
    list_select_related = ("inspection", "changed_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AttachmentDownload)
class AttachmentDownloadAdmin(StatusChangeAdmin):
    list_display = ("attachment", "user", "downloaded_at", "via")
    list_filter = ("via",)
    search_fields = ("attachment__original_name", "user__full_name")
    list_select_related = ("attachment", "user")


# Record reading: record review templates (sections, numbered questions, choices) ---------------


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0
    fields = ("order", "number", "title", "archived_at")
    readonly_fields = ("archived_at",)
    show_change_link = True  # its questions are edited on the section's own page
    can_delete = False


@admin.register(RecordReviewTemplate)
class RecordReviewTemplateAdmin(CaseRecordAdmin):
    list_display = ("name", "programme", "archived_at")
    list_filter = ("programme", ArchivedFilter)
    search_fields = ("name", "description", "programme__name")
    list_select_related = ("programme",)
    inlines = [TemplateSectionInline]


class TemplateQuestionInline(admin.TabularInline):
    model = TemplateQuestion
    extra = 0
    fields = (
        "order",
        "number",
        "text",
        "help_text",
        "answer_type",
        "allow_not_applicable",
        "archived_at",
    )
    readonly_fields = ("archived_at",)
    show_change_link = True  # a choice list's choices are edited on the question's own page
    can_delete = False


@admin.register(TemplateSection)
class TemplateSectionAdmin(CaseRecordAdmin):
    list_display = ("__str__", "template", "order", "archived_at")
    list_filter = ("template__programme", "template", ArchivedFilter)
    search_fields = ("number", "title", "template__name")
    list_select_related = ("template",)
    inlines = [TemplateQuestionInline]


class QuestionChoiceInline(admin.TabularInline):
    model = QuestionChoice
    extra = 0
    fields = ("order", "label", "archived_at")
    readonly_fields = ("archived_at",)
    can_delete = False


@admin.register(TemplateQuestion)
class TemplateQuestionAdmin(CaseRecordAdmin):
    list_display = ("number", "text", "section", "answer_type", "allow_not_applicable")
    list_filter = (
        "answer_type",
        "section__template__programme",
        "section__template",
        ArchivedFilter,
    )
    search_fields = ("number", "text", "help_text", "section__title")
    list_select_related = ("section__template",)
    inlines = [QuestionChoiceInline]


@admin.register(QuestionChoice)
class QuestionChoiceAdmin(CaseRecordAdmin):
    list_display = ("label", "question", "order", "archived_at")
    list_filter = ("question__section__template", ArchivedFilter)
    search_fields = ("label", "question__text")
    list_select_related = ("question",)


# The report: findings, the evaluation chain, factual accuracy comments, published versions ------


@admin.register(Finding)
class FindingAdmin(CaseRecordAdmin):
    list_display = ("__str__", "inspection", "kind", "status", "agreed_by", "archived_at")
    list_filter = ("kind", "status", ArchivedFilter)
    search_fields = ("text", "inspection__title")
    list_select_related = ("inspection", "agreed_by")
    filter_horizontal = (
        "quality_indicators",
        "evidence_activities",
        "cited_questions",
        "national_outcomes",
    )
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "inspection",
        "status",
        "drafted_by",
        "agreed_by",
        "agreed_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # findings are drafted by the team, on the inspection's pages

    def save_model(self, request, obj, form, change) -> None:
        # As on the pages: changing an agreed finding returns it to draft.
        changed = [name for name in form.changed_data if name != "seen_version"]
        if change and changed and obj.status == "agreed":
            obj.status, obj.agreed_by, obj.agreed_at = "draft", None, None
        super().save_model(request, obj, form, change)


@admin.register(FactualAccuracyComment)
class FactualAccuracyCommentAdmin(CaseRecordAdmin):
    list_display = ("report_reference", "inspection", "response", "responded_by", "archived_at")
    list_filter = ("response", ArchivedFilter)
    search_fields = ("report_reference", "comment", "inspection__title")
    list_select_related = ("inspection", "responded_by")
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "inspection",
        "responded_by",
        "responded_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # recorded by the team, on the inspection's pages


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are never edited: they are read here, and written only by the services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EvaluationLink)
class EvaluationLinkAdmin(_ReadOnlyAdmin):
    list_display = ("quality_indicator", "inspection", "stage", "level", "created_by", "created_at")
    list_filter = ("stage", "panel_outcome")
    search_fields = ("inspection__title", "quality_indicator__title", "rationale")
    list_select_related = ("quality_indicator", "inspection", "level", "created_by")


@admin.register(PublishedVersion)
class PublishedVersionAdmin(_ReadOnlyAdmin):
    list_display = ("inspection", "number", "published_on", "reason", "created_by")
    search_fields = ("inspection__title", "reason")
    list_select_related = ("inspection", "created_by")
    date_hierarchy = "published_on"
