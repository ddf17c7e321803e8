from django.db import migrations

from scrutiny.reference import record_initial_history

REASON = "Loaded from reference data"


def record(apps, schema_editor):
    for model in ("HealthBoard", "LocalAuthority"):
        record_initial_history(apps, "partnerships", model, REASON)
    record_initial_history(
        apps,
        "partnerships",
        "Partnership",
        REASON,
        m2m_fields=("local_authorities", "health_boards"),
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_partnership_m2m_history")]
    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
