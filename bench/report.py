"""The results of a run: bench/results/<timestamp>.json (everything, with the query plans) and
bench/results/latest.md (the short table)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

from django.db import connection

TARGET = 3.0


def machine() -> dict[str, Any]:
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True, check=False).stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    import django

    return {
        "uname": uname.strip(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": version,
        "database": connection.settings_dict["NAME"],
        "database_size": size,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def volumes() -> dict[str, int]:
    from cooperation.models import Meeting, NoSurprisesNotice
    from improvement.models import ImprovementAction, ImprovementPlan
    from inspections.models import Finding, Inspection, RecordAnswer, ReviewedRecord
    from partnerships.models import Engagement, MsgRating, Partnership

    return {
        str(model._meta.verbose_name_plural): model.objects.count()
        for model in (
            Partnership,
            Inspection,
            ReviewedRecord,
            RecordAnswer,
            Finding,
            ImprovementPlan,
            ImprovementAction,
            Meeting,
            NoSurprisesNotice,
            Engagement,
            MsgRating,
        )
    }


def build(**parts: Any) -> dict[str, Any]:
    subjects = parts.pop("subjects")
    figures = parts.pop("figures")
    over = [
        f.label
        for f in figures
        if f.group != "floor" and max(f.ratio_p50 or 0, f.ratio_p95 or 0) > TARGET
    ]
    the_machine = parts.pop("machine")
    the_machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": the_machine,
        "volumes": volumes(),
        "subjects": {
            "user": subjects.user.email,
            "inspection": subjects.inspection.pk,
            "inspection_title": subjects.inspection.title,
            "partnership": str(subjects.partnership),
            "programme": subjects.programme.name,
        },
        "figures": [f.as_dict() for f in figures],
        "over_target": over,
        **parts,
    }


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def markdown(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    lines = [
        f"# Benchmark results, {payload['when']}",
        "",
        f"- Machine: `{m['uname']}`, {m['cpus']} CPUs (load average {m['load_average'][0]} "
        f"at the start of the run, {m['load_average_end'][0]} at the end)",
        f"- {m['postgresql'].split(' on ')[0]}, database `{m['database']}` ({m['database_size']}); "
        f"Python {m['python']}, Django {m['django']}",
        "- Data: " + ", ".join(f"{n:,} {label}" for label, n in payload["volumes"].items()),
        f"- Measured as {payload['subjects']['user']} (lead inspector of inspection "
        f"{payload['subjects']['inspection']}, {payload['subjects']['partnership']}); "
        f"{payload['args']['repeat']} requests per target after {payload['args']['warmup']} "
        "untimed; in-process (Django test Client), so server-side time only.",
    ]
    if payload.get("seed_seconds") is not None:
        lines.append(
            f"- Seeding step of this run: {payload['seed_seconds']} s (nothing to add "
            "when the data was already there)"
        )
    lines += [
        "",
        "## Pages and API lists (ratio = figure / floor of its kind measured beside it; target "
        "at most 3)",
        "",
        "| target | status | p50 ms | p95 ms | floor p50 / p95 ms | ratio p50 | ratio p95 "
        "| queries | SQL ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in payload["figures"]:
        flag = " **over 3**" if f["label"] in payload["over_target"] else ""
        floors = (
            f"{f['floor_p50_ms']:.1f} / {f['floor_p95_ms']:.1f}"
            if f.get("floor_p50_ms") is not None
            else "(all)"
        )
        lines.append(
            f"| {f['label']}{flag} | {f['status']} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
            f"{floors} | {_fmt(f['ratio_p50'])} | {_fmt(f['ratio_p95'])} | {f['queries']} | "
            f"{f['sql_ms']:.1f} |"
        )
    over = payload["over_target"]
    lines += ["", f"Over the target: {', '.join(over) if over else 'none'}.", ""]
    lines += [
        "## Record reading and national views",
        "",
        "| view | p50 ms | p95 ms | queries | sequential scan of the answers table |",
        "|---|---:|---:|---:|---|",
    ]
    for row in payload["national"]:
        scans = sorted(
            {
                f"{s['node']} {s['index'] or ''}".strip()
                for p in row["plans"]
                for s in p["scans"]
                if s["relation"] == "inspections_recordanswer"
            }
        )
        how = ", ".join(scans) if scans else "does not read it"
        lines.append(
            f"| {row['view']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['queries']} | "
            f"{'**yes**' if row['seq_scan_of_answers'] else 'no'} ({how}) |"
        )
    pdf = payload.get("pdf")
    if pdf:
        lines += ["", "## Inspection report PDF (made as the worker makes it, own process)", ""]
        if "error" in pdf:
            lines.append(f"Failed: {pdf['error'][-500:]}")
        else:
            lines.append(
                f"{pdf.get('pages', '?')} pages ({pdf.get('bytes', 0) // 1024} KiB), "
                f"{pdf['seconds']} s, peak resident memory {pdf['peak_rss_mib']} MiB "
                f"(the same process before the report: {pdf['baseline_rss_mib']} MiB); status "
                f"{pdf['status']}, audience {pdf['audience']}."
            )
    c = payload.get("concurrency")
    if c:
        lines += ["", "## Concurrent record-reading entry through gunicorn", ""]
        if "skipped" in c:
            lines.append(f"Skipped: {c['skipped']}")
        else:
            lines.append(
                f"{c['clients']} clients x {c['records_each']} records x {c['questions']} "
                f"questions at once ({c['server']}): {c['wall_s']} s, {c['saves_per_s']} saves/s, "
                f"save p50 {c['save_p50_ms']} ms, p95 {c['save_p95_ms']} ms; "
                f"{c['failed_saves']} failed saves; {c['answers_in_database']:,} answers in the "
                f"database of {c['answers_expected']:,} expected, {c['answers_saved_twice']} "
                f"saved twice, {c['records_complete']} records complete: "
                f"{'every answer once' if c['all_answers_once'] else '**NOT every answer once**'}."
            )
            if "single_save_ms" in c:
                lines.append(
                    f"\nOne save alone, in-process before the run: {c['single_save_ms']} ms and "
                    f"{c['single_save_queries']} queries (HTTP {c['single_save_status']})."
                )
    lines.append("")
    return "\n".join(lines)


def write(payload: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    json_path = folder / f"{stamp}.json"
    json_path.write_text(json.dumps(payload, indent=1, default=str) + "\n")
    md_path = folder / "latest.md"
    md_path.write_text(markdown(payload))
    return json_path, md_path
