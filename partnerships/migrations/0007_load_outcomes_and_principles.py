"""The nine national health and wellbeing outcomes and the twelve integration principles
(seed 002; reference/national_outcomes.csv and integration_principles.csv)."""

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history


def load(apps, schema_editor):
    NationalOutcome = apps.get_model("partnerships", "NationalOutcome")
    IntegrationPrinciple = apps.get_model("partnerships", "IntegrationPrinciple")
    for row in read_reference("national_outcomes.csv"):
        NationalOutcome.objects.update_or_create(
            number=int(row["number"]), defaults={"outcome": row["outcome"]}
        )
    for row in read_reference("integration_principles.csv"):
        IntegrationPrinciple.objects.update_or_create(
            number=int(row["number"]), defaults={"principle": row["principle"]}
        )
    for model in ("NationalOutcome", "IntegrationPrinciple"):
        record_initial_history(apps, "partnerships", model, "Loaded from reference data")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_national_outcomes_and_principles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
