"""The five conditions of improvement with their fifteen criteria, and the four levels of
support with their aims, benefits, situations and characteristic support.

Sources: reference/conditions_of_improvement.csv and reference/support_levels.csv (seed 003; see
reference/SOURCES.md). Which situation belongs to which level is our reading of the seed's
layout: those rows are loaded with layout_reading ticked. Administrators can then change them in
the admin site."""

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history

REASON = "Loaded from reference data"


def load(apps, schema_editor):
    Condition = apps.get_model("improvement", "ImprovementCondition")
    Criterion = apps.get_model("improvement", "ImprovementCriterion")
    Level = apps.get_model("improvement", "SupportLevel")
    Aspect = apps.get_model("improvement", "SupportLevelAspect")
    for row in read_reference("conditions_of_improvement.csv"):
        condition, _ = Condition.objects.update_or_create(
            number=int(row["condition_number"]), defaults={"title": row["condition"]}
        )
        Criterion.objects.update_or_create(
            number=row["criterion_number"],
            defaults={
                "condition": condition,
                "text": row["criterion"],
                "order": int(row["criterion_number"].split(".")[1]),
            },
        )
    orders: dict = {}
    for row in read_reference("support_levels.csv"):
        level, _ = Level.objects.update_or_create(
            order=int(row["level_order"]), defaults={"name": row["level"]}
        )
        key = (level.pk, row["aspect"])
        orders[key] = orders.get(key, 0) + 1
        Aspect.objects.update_or_create(
            level=level,
            kind=row["aspect"],
            text=row["text"],
            defaults={"order": orders[key], "layout_reading": row["aspect"] == "situation"},
        )
    for model in ("ImprovementCondition", "ImprovementCriterion", "SupportLevel"):
        record_initial_history(apps, "improvement", model, REASON)
    record_initial_history(apps, "improvement", "SupportLevelAspect", REASON)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
