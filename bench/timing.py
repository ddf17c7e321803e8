"""Timing requests in-process with Django's test Client: server-side time (no network, no
browser), as p50 and p95 over repeated requests, with the queries of one request."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Target:
    kind: str  # "page" or "api"
    label: str
    url: str
    group: str = "main"  # "main", "floor" or "national"


@dataclass
class Figure:
    kind: str
    label: str
    url: str
    status: int
    p50_ms: float
    p95_ms: float
    queries: int
    bytes: int
    group: str = "main"
    ratio_p50: float | None = None
    ratio_p95: float | None = None
    floor_p50_ms: float | None = None  # the floor samples taken beside this target's
    floor_p95_ms: float | None = None
    sql_ms: float = 0.0  # time in the database during the request whose queries were counted
    slowest: list[dict[str, Any]] = field(default_factory=list)
    samples_ms: list[float] = field(default_factory=list)
    sql: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("sql")
        return data


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _get(client: Client, url: str, headers: dict[str, str]):
    response = client.get(url, headers=headers)
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response, body


def measure(
    client: Client,
    target: Target,
    *,
    repeat: int,
    warmup: int,
    headers: dict[str, str] | None = None,
) -> Figure:
    headers = headers or {}
    for _ in range(warmup):
        _get(client, target.url, headers)
    samples = []
    response = body = None
    for _ in range(repeat):
        start = time.perf_counter()
        response, body = _get(client, target.url, headers)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        _get(client, target.url, headers)
    timed = sorted(
        ({"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in captured),
        key=lambda q: -q["ms"],
    )
    return Figure(
        kind=target.kind,
        label=target.label,
        url=target.url,
        group=target.group,
        status=response.status_code,
        p50_ms=round(percentile(samples, 50), 2),
        p95_ms=round(percentile(samples, 95), 2),
        queries=len(captured.captured_queries),
        bytes=len(body),
        sql_ms=round(sum(q["ms"] for q in timed), 2),
        slowest=timed[:3],
        samples_ms=[round(s, 2) for s in samples],
        sql=[q["sql"] for q in captured.captured_queries],
    )


def measure_paired(
    client: Client,
    target: Target,
    floor: Target,
    *,
    repeat: int,
    warmup: int,
    headers: dict[str, str] | None = None,
) -> tuple[Figure, list[float]]:
    """The target's figure, and floor samples taken in turn with the target's (one floor request
    before each target request), so that both see the same load on the machine."""
    headers = headers or {}
    for _ in range(warmup):
        _get(client, target.url, headers)
        _get(client, floor.url, headers)
    samples, floor_samples = [], []
    response = body = None
    for _ in range(repeat):
        start = time.perf_counter()
        _get(client, floor.url, headers)
        floor_samples.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        response, body = _get(client, target.url, headers)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        _get(client, target.url, headers)
    timed = sorted(
        ({"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"]} for q in captured),
        key=lambda q: -q["ms"],
    )
    figure = Figure(
        kind=target.kind,
        label=target.label,
        url=target.url,
        group=target.group,
        status=response.status_code,
        p50_ms=round(percentile(samples, 50), 2),
        p95_ms=round(percentile(samples, 95), 2),
        queries=len(captured.captured_queries),
        bytes=len(body),
        sql_ms=round(sum(q["ms"] for q in timed), 2),
        slowest=timed[:3],
        samples_ms=[round(x, 2) for x in samples],
        sql=[q["sql"] for q in captured.captured_queries],
    )
    return figure, floor_samples


def time_callable(fn, *, repeat: int, warmup: int) -> tuple[float, float, list[str]]:
    """p50 and p95 (ms) of a function, and the SQL of one call."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        fn()
    return (
        round(percentile(samples, 50), 2),
        round(percentile(samples, 95), 2),
        [q["sql"] for q in captured.captured_queries],
    )
