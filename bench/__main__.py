"""Speed and memory of the busiest pages and endpoints at a given scale.

    make bench                      # SQLite, 200 partnerships, 100 inspections
    DATABASE_URL=postgres://... .venv/bin/python -m bench --partnerships 2000 --inspections 1000

Builds a throwaway test database (never the one you work in), fills it with factories, then
requests each target several times as a signed-in administrator and prints the median time,
the number of queries and the peak Python memory of one request. Results are written to
bench/results/ (git-ignored) as JSON so runs can be compared."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

TARGETS = [
    ("partnership list page", "/partnerships/?q=Bench"),
    ("partnership list CSV", "/partnerships/?q=Bench&format=csv"),
    ("partnerships API", "/api/v1/partnerships/?search=Bench&page_size=200"),
    ("inspection list page", "/inspections/?search=Bench"),
    ("inspections API", "/api/v1/inspections/?search=Bench&page_size=200"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=200)
    parser.add_argument("--inspections", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.runner import DiscoverRunner
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        from django.test import Client

        from tests import factories

        council = factories.LocalAuthorityFactory()
        for i in range(args.partnerships):
            factories.PartnershipFactory(
                name=f"Bench partnership {i:05}", local_authorities=[council]
            )
        for i in range(args.inspections):
            factories.InspectionFactory(title=f"Bench inspection {i:05}")
        admin = factories.administrator()
        client = Client()
        client.force_login(admin)

        results = []
        for label, url in TARGETS:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - start)
            if response.status_code != 200:
                print(f"{label}: HTTP {response.status_code}, skipped", file=sys.stderr)
                continue
            tracemalloc.start()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results.append(
                {
                    "target": label,
                    "url": url,
                    "median_ms": round(statistics.median(times) * 1000, 1),
                    "queries": len(queries.captured_queries),
                    "peak_kib": round(peak / 1024),
                }
            )
        print(f"{'target':28} {'median ms':>10} {'queries':>8} {'peak KiB':>9}")
        for r in results:
            print(f"{r['target']:28} {r['median_ms']:>10} {r['queries']:>8} {r['peak_kib']:>9}")
        out = Path(__file__).parent / "results"
        out.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        payload = {"vendor": connection.vendor, "args": vars(args), "results": results}
        (out / f"bench-{stamp}.json").write_text(json.dumps(payload, indent=2))
    finally:
        runner.teardown_databases(old_config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
