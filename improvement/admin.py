"""The framework in the admin site: conditions, criteria, levels and their aspects, and the
support providers, are reference data administrators edit; assessments, decisions, plans,
progress reviews and improvement support are audited case records, archived rather than
deleted. A plan's numbered revisions are made by revising the plan and are shown read-only."""

from django.contrib import admin

from scrutiny.admin import ArchivedFilter, CaseRecordAdmin

from .models import (
    CriterionJudgement,
    ImprovementAction,
    ImprovementCondition,
    ImprovementCriterion,
    ImprovementPlan,
    ImprovementSupport,
    PlanRevision,
    ProgressReview,
    ProgressUpdate,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
    SupportLevelAspect,
    SupportProvider,
)


@admin.register(ImprovementCondition)
class ImprovementConditionAdmin(CaseRecordAdmin):
    list_display = ("number", "title", "archived_at")
    list_filter = (ArchivedFilter,)
    ordering = ("number",)


@admin.register(ImprovementCriterion)
class ImprovementCriterionAdmin(CaseRecordAdmin):
    list_display = ("number", "text", "condition", "archived_at")
    list_filter = ("condition", ArchivedFilter)
    search_fields = ("number", "text")
    list_select_related = ("condition",)


@admin.register(SupportLevel)
class SupportLevelAdmin(CaseRecordAdmin):
    list_display = ("order", "name", "archived_at")
    list_filter = (ArchivedFilter,)
    ordering = ("order",)


@admin.register(SupportLevelAspect)
class SupportLevelAspectAdmin(CaseRecordAdmin):
    list_display = ("text", "level", "kind", "order", "layout_reading", "archived_at")
    list_filter = ("level", "kind", "layout_reading", ArchivedFilter)
    search_fields = ("text",)
    list_select_related = ("level",)


class _RecordedByAdmin(CaseRecordAdmin):
    """Records added here are recorded by the administrator adding them."""

    recorded_by = ""

    def save_model(self, request, obj, form, change) -> None:
        if not change and not getattr(obj, f"{self.recorded_by}_id"):
            setattr(obj, self.recorded_by, request.user)
        super().save_model(request, obj, form, change)


@admin.register(SupportAssessment)
class SupportAssessmentAdmin(_RecordedByAdmin):
    recorded_by = "created_by"
    list_display = ("__str__", "partnership", "inspection", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    list_select_related = ("partnership", "inspection")
    raw_id_fields = ("partnership", "inspection")
    date_hierarchy = "assessed_on"


@admin.register(CriterionJudgement)
class CriterionJudgementAdmin(CaseRecordAdmin):
    list_display = ("__str__", "assessment", "met", "archived_at")
    list_filter = ("met", ArchivedFilter)
    list_select_related = ("criterion", "assessment__partnership")
    raw_id_fields = ("assessment", "criterion")


@admin.register(SupportDecision)
class SupportDecisionAdmin(_RecordedByAdmin):
    recorded_by = "decided_by"
    list_display = ("__str__", "assessment", "status", "agreed_by", "archived_at")
    list_filter = ("status", "level", ArchivedFilter)
    list_select_related = ("level", "second_level", "assessment__partnership", "agreed_by")
    raw_id_fields = ("assessment",)
    readonly_fields = (
        *CaseRecordAdmin.readonly_fields,
        "recommended_level",
        "decided_by",
        "agreed_by",
        "agreed_at",
    )


class PlanRevisionInline(admin.TabularInline):
    """Revisions are recorded when an agreed plan is changed (with the reason); never here."""

    model = PlanRevision
    extra = 0
    fields = ("number", "reason", "summary", "made_by", "created_at")
    readonly_fields = fields
    can_delete = False
    ordering = ("number",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(CaseRecordAdmin):
    list_display = ("title", "partnership", "inspection", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    list_select_related = ("partnership", "inspection")
    raw_id_fields = ("partnership", "inspection")
    inlines = [PlanRevisionInline]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(CaseRecordAdmin):
    list_display = ("description", "plan", "owner_name", "due_on", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    raw_id_fields = ("plan",)
    filter_horizontal = ("findings",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(CaseRecordAdmin):
    list_display = ("action", "updated_on", "archived_at")
    list_filter = (ArchivedFilter,)
    raw_id_fields = ("action",)


@admin.register(ProgressReview)
class ProgressReviewAdmin(CaseRecordAdmin):
    list_display = ("__str__", "partnership", "kind", "status", "held_on", "archived_at")
    list_filter = ("kind", "status", "judgement", ArchivedFilter)
    search_fields = ("partnership__name", "attendees", "notes")
    list_select_related = ("partnership",)
    raw_id_fields = ("partnership", "decision")
    date_hierarchy = "due_on"


@admin.register(SupportProvider)
class SupportProviderAdmin(CaseRecordAdmin):
    list_display = ("name", "active", "archived_at")
    list_filter = ("active", ArchivedFilter)
    search_fields = ("name", "description")
    ordering = ("name",)


@admin.register(ImprovementSupport)
class ImprovementSupportAdmin(CaseRecordAdmin):
    list_display = ("__str__", "partnership", "provider", "status", "starts_on", "archived_at")
    list_filter = ("status", "provider", ArchivedFilter)
    search_fields = ("partnership__name", "description", "outcome")
    list_select_related = ("partnership", "provider")
    raw_id_fields = ("partnership", "plan")
