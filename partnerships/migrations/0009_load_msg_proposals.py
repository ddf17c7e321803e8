"""The six features and 25 proposals of the Ministerial Strategic Group review of integration
(seed 002; reference/msg_proposals.csv)."""

from django.db import migrations

from scrutiny.reference import read_reference, record_initial_history


def load(apps, schema_editor):
    MsgFeature = apps.get_model("partnerships", "MsgFeature")
    MsgProposal = apps.get_model("partnerships", "MsgProposal")
    features = {}
    for order, row in enumerate(read_reference("msg_proposals.csv"), start=1):
        number = int(row["feature_number"])
        if number not in features:
            features[number], _ = MsgFeature.objects.update_or_create(
                number=number, defaults={"title": row["feature"]}
            )
        MsgProposal.objects.update_or_create(
            number=row["number"],
            defaults={
                "feature": features[number],
                "title": row["title"],
                "timescale": row["timescale"],
                "order": order,
            },
        )
    for model in ("MsgFeature", "MsgProposal"):
        record_initial_history(apps, "partnerships", model, "Loaded from reference data")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_msg_self_evaluation")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
