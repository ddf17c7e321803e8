"""Reading the reference CSVs copied into the project (reference/, with SOURCES.md)."""

import csv
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


def read_reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def record_initial_history(
    apps, app_label: str, model_name: str, reason: str, m2m_fields: tuple[str, ...] = ()
) -> None:
    """For use in data migrations: give every row without history a "Created" history row
    (with its many-to-many snapshot), so History pages start from the loaded reference data."""
    from django.utils import timezone

    model = apps.get_model(app_label, model_name)
    historical = apps.get_model(app_label, f"Historical{model.__name__}")
    history_fields = {f.attname for f in historical._meta.fields}
    has_history = set(historical.objects.values_list("id", flat=True).distinct())
    now = timezone.now()
    objects = list(model.objects.exclude(pk__in=has_history))
    rows = [
        historical(
            **{
                f.attname: getattr(obj, f.attname)
                for f in model._meta.concrete_fields
                if f.attname in history_fields
            },
            history_date=now,
            history_type="+",
            history_change_reason=reason,
        )
        for obj in objects
    ]
    created = historical.objects.bulk_create(rows, batch_size=500)
    for name in m2m_fields:
        through = apps.get_model(app_label, f"{historical.__name__}_{name}")
        field = model._meta.get_field(name)
        target = field.related_model._meta.model_name
        source = model._meta.model_name
        live_through = getattr(model, name).through
        by_owner: dict = {}
        for row_id, owner, related in live_through.objects.values_list(
            "id", f"{source}_id", f"{target}_id"
        ):
            by_owner.setdefault(owner, []).append((row_id, related))
        links = [
            through(
                id=row_id,
                **{f"{source}_id": obj.pk, f"{target}_id": related},
                history_id=record.history_id,
            )
            for obj, record in zip(objects, created, strict=True)
            for row_id, related in by_owner.get(obj.pk, [])
        ]
        through.objects.bulk_create(links, batch_size=500)
