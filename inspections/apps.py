from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from . import gates  # noqa: F401  (registers this app's stage gates)
        from .report import services  # noqa: F401  (the report's gates and publication hook)
