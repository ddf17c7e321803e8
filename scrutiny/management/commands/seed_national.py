"""`manage.py seed_national --years 10 [--seed N] [--scale 1.0]`: a plausible decade of national
data for benchmarks (scrutiny/seeding/).

Every partnership from the reference data (loaded by the migrations); about 20 inspections a year
across the programmes (scaled by --scale), each with its team, milestones, evidence activities,
6 readers x 100 records x 30 questions of record reading, findings, evaluations, factual
accuracy and its published version; support assessments and decisions, progress reviews,
improvement plans with actions and progress updates; the co-operation log's meetings, notices,
escalations and risks each quarter; link-inspector engagement and MSG self-evaluation rounds.

Bulk inserts bypass the services on purpose (millions of rows through the services, each with
its History row, would take hours): the rows keep every database constraint, and no History
rows are written for seeded data. Deterministic for a given --seed, --scale, --years,
--records-per-reader and --until (which defaults to today). Idempotent: each stage (staff,
templates, then per year: inspections, improvement, co-operation, engagement) runs in one
transaction that also records it in the table seed_national_stage, and a stage recorded there
is skipped, so a second run adds nothing and an interrupted run carries on where it stopped."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scrutiny.seeding.base import SeedRun
from scrutiny.seeding.national import seed_national


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, default=10, help="Years of data (default 10).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplies the yearly volume: 1.0 is 20 inspections a year (default 1.0).",
        )
        parser.add_argument(
            "--records-per-reader",
            type=int,
            default=100,
            help="Records each of the 6 readers reads per inspection (default 100).",
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="The last day of the data, YYYY-MM-DD (default today): later events are "
            "still to come.",
        )

    def handle(self, *args, **options) -> None:
        if options["years"] < 1 or options["scale"] <= 0 or options["records_per_reader"] < 1:
            raise CommandError("--years, --scale and --records-per-reader must be positive.")
        run = SeedRun(
            seed=options["seed"],
            years=options["years"],
            scale=options["scale"],
            until=options["until"] or timezone.localdate(),
            records_per_reader=options["records_per_reader"],
            out=self.stdout if options["verbosity"] > 0 else None,
        )
        seed_national(run)
