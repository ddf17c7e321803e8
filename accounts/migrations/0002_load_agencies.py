from django.db import migrations

from scrutiny.reference import read_reference

SCRUTINY_BODIES = {"CI", "HIS", "HMICS"}


def load(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for row in read_reference("agencies.csv"):
        Agency.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "legal_name": row["legal_name"],
                "description": row["role"],
                "is_scrutiny_body": row["code"] in SCRUTINY_BODIES,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
