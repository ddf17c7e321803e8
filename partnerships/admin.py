from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from scrutiny.admin import ArchivedFilter, CaseRecordAdmin, VersionedAdminForm

from .models import (
    AreaAssignment,
    Contact,
    Engagement,
    GoodPractice,
    HealthBoard,
    LinkActivityArea,
    LinkRisk,
    LocalAuthority,
    MsgFeature,
    MsgProposal,
    MsgRating,
    MsgSelfEvaluation,
    Partnership,
)
from .services import area_assignment_validate, area_permissions_sync


@admin.register(HealthBoard)
class HealthBoardAdmin(CaseRecordAdmin):
    list_display = ("name", "gss_code", "version", "archived_at")
    search_fields = ("name", "gss_code")
    list_filter = (ArchivedFilter,)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(CaseRecordAdmin):
    list_display = ("name", "gss_code", "health_board", "archived_at")
    search_fields = ("name", "gss_code")
    list_filter = ("health_board", ArchivedFilter)
    list_select_related = ("health_board",)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("role", "name", "email", "phone", "started_on", "ended_on", "archived_at")
    readonly_fields = ("archived_at",)
    can_delete = False
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(CaseRecordAdmin):
    list_display = ("name", "kind", "gss_code", "integration_model", "councils", "archived_at")
    list_filter = ("kind", "health_boards", "integration_model_confirmed", ArchivedFilter)
    search_fields = ("name", "gss_code", "local_authorities__name")
    filter_horizontal = ("local_authorities", "health_boards")
    inlines = [ContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("local_authorities")

    @admin.display(description="Council areas")
    def councils(self, obj: Partnership) -> str:
        return ", ".join(la.name for la in obj.local_authorities.all())


@admin.register(Contact)
class ContactAdmin(CaseRecordAdmin):
    list_display = ("name", "role", "partnership", "started_on", "ended_on", "archived_at")
    list_filter = ("role", "partnership__kind", ArchivedFilter)
    search_fields = ("name", "email", "partnership__name")
    list_select_related = ("partnership",)
    autocomplete_fields = ("partnership",)


class AreaAssignmentForm(VersionedAdminForm):
    class Meta:
        model = AreaAssignment
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            candidate = self.instance
            for name in ("user", "local_authority", "role", "started_on", "ended_on"):
                setattr(candidate, name, cleaned.get(name))
            try:
                area_assignment_validate(candidate)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return cleaned


@admin.register(AreaAssignment)
class AreaAssignmentAdmin(CaseRecordAdmin):
    form = AreaAssignmentForm
    list_display = ("local_authority", "role", "user", "started_on", "ended_on", "archived_at")
    list_filter = ("role", "local_authority__health_board", ArchivedFilter)
    search_fields = ("user__full_name", "user__email", "local_authority__name")
    list_select_related = ("user", "local_authority")
    autocomplete_fields = ("user", "local_authority")
    date_hierarchy = "started_on"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        area_permissions_sync(local_authority=obj.local_authority)
        if change and "local_authority" in form.changed_data:
            previous = form.initial.get("local_authority")
            if previous:
                area_permissions_sync(local_authority=LocalAuthority.objects.get(pk=previous))


@admin.register(MsgFeature)
class MsgFeatureAdmin(CaseRecordAdmin):
    list_display = ("number", "title", "archived_at")
    list_filter = (ArchivedFilter,)


@admin.register(MsgProposal)
class MsgProposalAdmin(CaseRecordAdmin):
    list_display = ("number", "feature", "title", "timescale", "order", "archived_at")
    list_filter = ("feature", ArchivedFilter)
    search_fields = ("number", "title")
    list_select_related = ("feature",)


class MsgRatingInline(admin.TabularInline):
    model = MsgRating
    extra = 0
    fields = ("proposal", "rating", "comment", "evidence", "validation_note", "archived_at")
    readonly_fields = fields  # change a rating on its own page, where it is version-checked
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MsgSelfEvaluation)
class MsgSelfEvaluationAdmin(CaseRecordAdmin):
    list_display = ("partnership", "evaluated_on", "status", "archived_at")
    list_filter = ("status", ArchivedFilter)
    search_fields = ("partnership__name",)
    list_select_related = ("partnership",)
    autocomplete_fields = ("partnership",)
    date_hierarchy = "evaluated_on"
    inlines = [MsgRatingInline]


@admin.register(MsgRating)
class MsgRatingAdmin(CaseRecordAdmin):
    list_display = ("self_evaluation", "proposal", "rating", "validated_by", "archived_at")
    list_filter = ("rating", ArchivedFilter)
    list_select_related = ("self_evaluation__partnership", "proposal", "validated_by")
    raw_id_fields = ("self_evaluation", "validated_by")


# Link-inspector engagement (seed 001) ---------------------------------------------------------


@admin.register(LinkActivityArea)
class LinkActivityAreaAdmin(CaseRecordAdmin):
    list_display = ("number", "title", "archived_at")
    list_filter = (ArchivedFilter,)
    search_fields = ("title",)


@admin.register(Engagement)
class EngagementAdmin(CaseRecordAdmin):
    list_display = (
        "engaged_on",
        "kind",
        "local_authority",
        "partnership",
        "recorded_by",
        "archived_at",
    )
    list_filter = ("kind", "areas", ArchivedFilter)
    search_fields = ("notes", "local_authority__name", "partnership__name")
    list_select_related = ("local_authority", "partnership", "recorded_by")
    autocomplete_fields = ("local_authority", "partnership")
    raw_id_fields = ("recorded_by",)
    filter_horizontal = ("areas",)
    date_hierarchy = "engaged_on"


@admin.register(LinkRisk)
class LinkRiskAdmin(CaseRecordAdmin):
    list_display = (
        "title",
        "local_authority",
        "partnership",
        "status",
        "identified_on",
        "closed_on",
        "archived_at",
    )
    list_filter = ("status", ArchivedFilter)
    search_fields = ("title", "description", "local_authority__name", "partnership__name")
    list_select_related = ("local_authority", "partnership")
    autocomplete_fields = ("local_authority", "partnership")
    raw_id_fields = ("engagements",)
    date_hierarchy = "identified_on"


@admin.register(GoodPractice)
class GoodPracticeAdmin(CaseRecordAdmin):
    list_display = (
        "title",
        "local_authority",
        "partnership",
        "service_area",
        "status",
        "identified_on",
        "archived_at",
    )
    list_filter = ("status", "service_area", ArchivedFilter)
    search_fields = ("title", "description", "theme", "local_authority__name", "partnership__name")
    list_select_related = ("local_authority", "partnership")
    autocomplete_fields = ("local_authority", "partnership")
    raw_id_fields = ("engagements",)
    date_hierarchy = "identified_on"
