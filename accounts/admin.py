from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, User


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_scrutiny_body")
    list_filter = ("is_scrutiny_body",)
    search_fields = ("code", "name", "legal_name")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ScrutinyUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "agency")


class ScrutinyUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    form = ScrutinyUserChangeForm
    add_form = ScrutinyUserCreationForm
    ordering = ("full_name",)
    list_display = ("full_name", "email", "agency", "roles", "is_active", "is_staff", "last_login")
    list_filter = ("agency", "groups", "is_active", "is_staff")
    search_fields = ("full_name", "email")
    list_select_related = ("agency",)
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title", "agency")}),
        (
            "Roles and access",
            {
                "fields": ("groups", "is_active", "is_staff", "is_superuser", "user_permissions"),
                "description": "Roles are groups. Administrators also need 'can use the admin "
                "site'. Deactivate people who leave rather than deleting them.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "agency", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def roles(self, obj: User) -> str:
        return ", ".join(obj.role_names)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
