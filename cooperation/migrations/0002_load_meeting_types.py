"""The meeting types of the duty of co-operation framework and how often each is expected.

Source: reference/cooperation_meetings.csv (seed 000, paragraphs 23-27; see reference/SOURCES.md).
Administrators can then change them in the admin site."""

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history

FREQUENCIES = {
    "quarterly": "quarterly",
    "annual": "annual",
    "more often than quarterly": "more_often",
    "regular": "regular",
}


def load(apps, schema_editor):
    MeetingType = apps.get_model("cooperation", "MeetingType")
    for order, row in enumerate(read_reference("cooperation_meetings.csv"), start=1):
        MeetingType.objects.update_or_create(
            code=row["meeting_type"],
            defaults={
                "name": row["meeting_type"].replace("_", " ").capitalize(),
                "who": row["who"],
                "frequency": FREQUENCIES[row["frequency"].lower()],
                "purpose": row["purpose"],
                "source_paragraph": row["source_paragraph"],
                "order": order,
            },
        )
    record_initial_history(apps, "cooperation", "MeetingType", "Loaded from reference data")


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0001_initial"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
