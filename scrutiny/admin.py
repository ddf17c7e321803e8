"""Admin mechanisms shared by every app: audited saves with the acting user, a version check
against concurrent edits, and archive/restore instead of delete."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .services import CONFLICT_MESSAGE, archive, audited_save, unarchive


class VersionedAdminForm(forms.ModelForm):
    """Refuses to save over a change someone else made after this form was opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk)
            current_version = current.values_list("version", flat=True).first()
            if current_version is not None and current_version != seen:
                raise forms.ValidationError(CONFLICT_MESSAGE)
        return cleaned


@admin.action(description="Archive selected records")
def archive_selected(modeladmin, request, queryset):
    count = 0
    for obj in queryset.filter(archived_at__isnull=True):
        archive(obj, by=request.user, reason="Archived in the admin site")
        count += 1
    modeladmin.message_user(request, f"{count} record(s) archived.", messages.SUCCESS)


@admin.action(description="Restore selected records from the archive")
def restore_selected(modeladmin, request, queryset):
    count = 0
    for obj in queryset.filter(archived_at__isnull=False):
        unarchive(obj, by=request.user, reason="Restored in the admin site")
        count += 1
    modeladmin.message_user(request, f"{count} record(s) restored.", messages.SUCCESS)


class ArchivedFilter(admin.SimpleListFilter):
    title = "archived"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", "Current"), ("yes", "Archived")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        return queryset


class CaseRecordAdmin(SimpleHistoryAdmin):
    """Admin for case records: audited, version-checked, archived rather than deleted."""

    form = VersionedAdminForm
    actions = [archive_selected, restore_selected]
    readonly_fields = ("version", "created_at", "updated_at", "archived_at", "archived_by")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "seen_version"]
        return [*fields, "seen_version"]

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            if change:
                obj.version += 1
            audited_save(
                obj,
                by=request.user,
                reason="Changed in the admin site" if change else "Added in the admin site",
                validate=False,  # the admin form has already validated it
            )
