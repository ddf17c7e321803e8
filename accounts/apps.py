from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users, agencies and roles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
