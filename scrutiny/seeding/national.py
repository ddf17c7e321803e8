"""The order of the stages: staff and record review templates once, then each year's
inspections (with their record reading), improvement, co-operation log and engagement."""

from __future__ import annotations

import time

from django.db import connection

from accounts.models import User

from .base import SEED_DOMAIN, SeedRun, ensure_stage_table, forget_stages, run_stage, stages_done
from .cooperation import seed_cooperation_year
from .engagement import seed_engagement_year
from .improvement import seed_improvement_year
from .inspections import seed_inspection_year, seed_templates
from .people import seed_people


def seed_national(run: SeedRun) -> dict[str, int]:
    """Run every stage not yet done; returns how many stages ran."""
    ensure_stage_table()
    if not User.objects.filter(email__endswith=SEED_DOMAIN).exists():
        forget_stages()  # the database was emptied since: the records of stages are stale
    done = stages_done()
    run.say(
        f"Seeding {run.years} years ({run.year_list[0]}-{run.year_list[-1]}, up to "
        f"{run.until:%d %B %Y}) with seed {run.seed}, scale {run.scale:g}: "
        f"{run.inspections_per_year} inspections a year, {run.records_per_reader} records per "
        f"reader. {len(done)} stages already done."
    )
    start = time.perf_counter()
    ran = 0
    ran += run_stage(run, "staff", done, lambda: seed_people(run))
    ran += run_stage(run, "record templates", done, lambda: seed_templates(run))
    for year in run.year_list:
        ran += run_stage(
            run, f"{year} inspections", done, lambda y=year: seed_inspection_year(run, y)
        )
        ran += run_stage(
            run, f"{year} improvement", done, lambda y=year: seed_improvement_year(run, y)
        )
        ran += run_stage(
            run, f"{year} co-operation", done, lambda y=year: seed_cooperation_year(run, y)
        )
        ran += run_stage(
            run, f"{year} engagement", done, lambda y=year: seed_engagement_year(run, y)
        )
    if ran and connection.vendor == "postgresql":
        # Fresh statistics, so that the planner knows the tables' new sizes at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    run.say(f"Done: {ran} stages ran in {time.perf_counter() - start:.0f}s.")
    return {"stages": ran}
