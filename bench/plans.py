"""Query plans: EXPLAIN ANALYZE of the queries a request ran that read the record-reading
answers table, and whether any of them scans that table sequentially."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

ANSWERS_TABLE = "inspections_recordanswer"


def _nodes(plan: dict[str, Any]):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def explain(sql: str) -> dict[str, Any]:
    """The plan of one SELECT (run for real: ANALYZE), as JSON and as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    root = plan[0]["Plan"]
    scans = [
        {"node": n["Node Type"], "relation": n.get("Relation Name"), "index": n.get("Index Name")}
        for n in _nodes(root)
        if "Relation Name" in n
    ]
    return {
        "execution_ms": round(plan[0].get("Execution Time", 0.0), 2),
        "scans": scans,
        "seq_scan_of_answers": any(
            s["node"] == "Seq Scan" and s["relation"] == ANSWERS_TABLE for s in scans
        ),
        "text": text,
    }


def answer_plans(sqls: list[str]) -> list[dict[str, Any]]:
    """Plans of the statements that read the answers table (SELECTs only)."""
    if connection.vendor != "postgresql":
        return []
    out = []
    for sql in sqls:
        if ANSWERS_TABLE not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        out.append({"sql": sql, **explain(sql)})
    return out
