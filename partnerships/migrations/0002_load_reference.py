"""Loads 32 council areas, 14 territorial boards, 31 health and social care partnerships,
and one adult protection, community justice and children's services partnership per council."""

from django.db import migrations

from scrutiny.reference import read_reference

PER_COUNCIL_KINDS = ("adult_protection", "community_justice", "childrens_services")


def load(apps, schema_editor):
    HealthBoard = apps.get_model("partnerships", "HealthBoard")
    LocalAuthority = apps.get_model("partnerships", "LocalAuthority")
    Partnership = apps.get_model("partnerships", "Partnership")

    boards = {}
    for row in read_reference("health_boards.csv"):
        boards[row["gss_code"]], _ = HealthBoard.objects.update_or_create(
            gss_code=row["gss_code"], defaults={"name": row["name"]}
        )
    councils = {}
    for row in read_reference("councils.csv"):
        councils[row["gss_code"]], _ = LocalAuthority.objects.update_or_create(
            gss_code=row["gss_code"],
            defaults={"name": row["name"], "health_board": boards[row["health_board_code"]]},
        )
    for row in read_reference("hscps.csv"):
        lead_agency = row["model"] == "lead agency"
        partnership, _ = Partnership.objects.update_or_create(
            kind="hscp",
            name=row["name"],
            defaults={
                "gss_code": row["gss_code"],
                "integration_model": "lead_agency" if lead_agency else "ijb",
                # SOURCES.md: Highland's lead-agency model is confirmed; "IJB" for the rest is
                # derived, so it is loaded flagged as unconfirmed.
                "integration_model_confirmed": lead_agency,
            },
        )
        partnership.local_authorities.set(
            [councils[code] for code in row["council_codes"].split(";")]
        )
        partnership.health_boards.set(
            [boards[code] for code in row["health_board_codes"].split(";")]
        )
    for council in councils.values():
        for kind in PER_COUNCIL_KINDS:
            partnership, _ = Partnership.objects.get_or_create(kind=kind, name=council.name)
            partnership.local_authorities.set([council])
            partnership.health_boards.set([council.health_board])


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
