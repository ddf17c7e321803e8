from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny (shared mechanisms)"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production-mode checks)
