from django.db import migrations

from scrutiny.reference import record_initial_history


def record(apps, schema_editor):
    record_initial_history(apps, "accounts", "Agency", "Loaded from reference data")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_load_agencies")]
    operations = [migrations.RunPython(record, migrations.RunPython.noop)]
