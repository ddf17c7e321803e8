"""Server-side speed of the main pages and API lists at national scale, against PostgreSQL.

    make bench                          # needs DATABASE_URL=postgres://... (a database it may fill)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrutiny_nat .venv/bin/python -m bench

Migrates the database and seeds ten years of national data into it (`manage.py seed_national`,
which adds nothing when the data is already there), then measures, in one run:

1. every main page and API list endpoint (Django's test Client, in-process: server-side time),
   p50 and p95 over --repeat requests, each divided by the same figure of its floor (the base
   page for pages, a bare token-authenticated API view for the API: bench/floors.py), with the
   queries of one request beside it; target: every ratio at most 3;
2. record-reading results of one inspection and the national views (MSG ratings, record reading
   across a programme): p95 in ms, and EXPLAIN ANALYZE of each query reading the answers table,
   flagging any sequential scan of it;
3. an inspection report PDF made as the worker makes it, in a process of its own: time, peak
   memory and pages;
4. concurrent entry through gunicorn on 127.0.0.1: 6 clients saving 100 records each at once,
   then every answer checked to be in the database once.

Writes bench/results/<timestamp>.json and bench/results/latest.md (see bench/README.md)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="Timed requests per target.")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first.")
    parser.add_argument("--years", type=int, default=10, help="Years to seed (default 10).")
    parser.add_argument("--scale", type=float, default=1.0, help="Seed scale (default 1.0).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--until", default=None, help="Last day of the seeded data (YYYY-MM-DD).")
    parser.add_argument("--no-seed", action="store_true", help="Measure the database as it is.")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-concurrency", action="store_true")
    parser.add_argument("--only", default="", help="Measure only targets whose label has this.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "The benchmark runs against PostgreSQL: set DATABASE_URL to a database it may fill, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/scrutiny_nat make bench",
            file=sys.stderr,
        )
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "scrutiny.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    # No setup_test_environment(): it instruments every template render (copying the context
    # for the test Client), which is test machinery, not server-side work.
    started = time.time()
    seed_seconds = None
    if not args.no_seed:
        call_command("migrate", "--noinput", verbosity=0)
        seed_args = [
            "--years",
            str(args.years),
            "--scale",
            str(args.scale),
            "--seed",
            str(args.seed),
        ]
        if args.until:
            seed_args += ["--until", args.until]
        start = time.perf_counter()
        call_command("seed_national", *seed_args)
        seed_seconds = round(time.perf_counter() - start, 1)

    from . import report, suite

    the_machine = report.machine()
    subjects = suite.subjects()
    print(
        f"Measuring as {subjects.user.email}, lead inspector of inspection {subjects.inspection.pk}"
    )
    figures = suite.run_targets(subjects, repeat=args.repeat, warmup=args.warmup, only=args.only)
    national = suite.run_national(subjects, figures, repeat=args.repeat, warmup=args.warmup)
    pdf = None if args.skip_pdf else run_pdf(subjects)
    concurrency = None
    if not args.skip_concurrency:
        from . import concurrent

        print("Concurrent entry through gunicorn ...")
        concurrency = concurrent.run(subjects.inspection.programme_id)
    payload = report.build(
        machine=the_machine,
        args=vars(args),
        subjects=subjects,
        figures=figures,
        national=national,
        pdf=pdf,
        concurrency=concurrency,
        seed_seconds=seed_seconds,
        seconds=round(time.time() - started, 1),
    )
    from knox.models import AuthToken

    AuthToken.objects.filter(token_key=subjects.token_key).delete()
    json_path, md_path = report.write(payload, RESULTS)
    print(md_path.read_text())
    print(f"Written: {json_path.relative_to(ROOT)} and {md_path.relative_to(ROOT)}")
    return 0


def run_pdf(subjects) -> dict:
    """The PDF in a worker process of its own (no REDIS_URL: the task runs in that process)."""
    print("Inspection report PDF ...")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scrutiny.settings.test"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pdf_worker",
            str(subjects.pdf_inspection.pk),
            str(subjects.pdf_user.pk),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr[-3000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    raise SystemExit(main())
