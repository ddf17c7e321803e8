"""The framework in the admin site: conditions, criteria, levels and their aspects are
reference data administrators edit; assessments and decisions are audited case records,
archived rather than deleted."""

from django.contrib import admin

from scrutiny.admin import ArchivedFilter, CaseRecordAdmin

from .models import (
    CriterionJudgement,
    ImprovementAction,
    ImprovementCondition,
    ImprovementCriterion,
    ImprovementPlan,
    ProgressUpdate,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
    SupportLevelAspect,
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


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(CaseRecordAdmin):
    list_display = ("title", "partnership", "inspection", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    raw_id_fields = ("partnership", "inspection")


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
