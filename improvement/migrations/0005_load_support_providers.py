"""National bodies and networks that give improvement support (reference/support_providers.csv;
see reference/SOURCES.md). Administrators add, change or retire providers in the admin site."""

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history

REASON = "Loaded from reference data"


def load(apps, schema_editor):
    Provider = apps.get_model("improvement", "SupportProvider")
    for row in read_reference("support_providers.csv"):
        Provider.objects.get_or_create(
            name=row["name"], defaults={"description": row["description"]}
        )
    record_initial_history(apps, "improvement", "SupportProvider", REASON)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0004_progress_reviews_and_support")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
