"""What every seeding stage shares: the run's settings and random numbers, bulk inserts (COPY on
PostgreSQL), the table recording which stages are done, and dates."""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import connection, models, transaction
from django.utils import timezone

SEED_DOMAIN = "seed.example"
STAGE_TABLE = "seed_national_stage"
BATCH = 2000


@dataclass
class SeedRun:
    """One run of the command: its seed, scale, last day and where progress goes."""

    seed: int
    years: int
    scale: float
    until: datetime.date
    records_per_reader: int = 100
    out: TextIO | None = None
    started: float = field(default_factory=time.perf_counter)

    @property
    def first_year(self) -> int:
        return self.until.year - self.years + 1

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.until.year + 1))

    @property
    def inspections_per_year(self) -> int:
        return max(1, round(20 * self.scale))

    def rng(self, *parts: Any) -> random.Random:
        """A random number generator for one part of the data: the same seed and part give the
        same numbers whatever ran before (str seeds are hashed with SHA-512, not Python's
        per-process hash)."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def say(self, line: str) -> None:
        if self.out is not None:
            self.out.write(line)
            self.out.flush()


# Stages done ---------------------------------------------------------------------------------


def ensure_stage_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STAGE_TABLE} ("
            " stage varchar(100) PRIMARY KEY,"
            " seed integer NOT NULL,"
            " scale double precision NOT NULL,"
            " counts text NOT NULL,"
            " seconds double precision NOT NULL,"
            " done_at timestamp NOT NULL)"
        )


def stages_done() -> dict[str, dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stage, seed, scale, counts, seconds FROM {STAGE_TABLE}")  # noqa: S608
        return {
            row[0]: {"seed": row[1], "scale": row[2], "counts": json.loads(row[3]), "s": row[4]}
            for row in cursor.fetchall()
        }


def forget_stages() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAGE_TABLE}")  # noqa: S608


def run_stage(
    run: SeedRun, name: str, done: dict[str, Any], work: Callable[[], dict[str, int]]
) -> bool:
    """Run one stage in its own transaction and record it as done in the same transaction, so
    a stage is either wholly there or not at all. Skips a stage already done. One line of
    progress per stage: what it added and how long it took."""
    if name in done:
        return False
    start = time.perf_counter()
    with transaction.atomic():
        counts = work()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {STAGE_TABLE} (stage, seed, scale, counts, seconds, done_at) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [name, run.seed, run.scale, json.dumps(counts), 0, _now()],
            )
    # Timed after the commit, which checks the deferred foreign keys of everything added.
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {STAGE_TABLE} SET seconds = %s WHERE stage = %s",  # noqa: S608
            [seconds, name],
        )
    shown = ", ".join(f"{n:,} {label}" for label, n in counts.items() if n)
    total = time.perf_counter() - run.started
    run.say(f"{name:<24} {seconds:7.1f}s  (total {total:6.0f}s)  {shown or 'nothing'}")
    return True


def _now() -> datetime.datetime:
    return timezone.now().replace(tzinfo=None)


# Bulk inserts --------------------------------------------------------------------------------


def bulk(model: type[models.Model], objs: Sequence[models.Model]) -> list:
    """bulk_create in batches; the objects come back with their primary keys (PostgreSQL and
    SQLite both return them)."""
    if not objs:
        return []
    return model.objects.bulk_create(objs, batch_size=BATCH)


def bulk_through(field_: Any, pairs: Iterable[tuple[int, int]]) -> int:
    """Rows of a many-to-many table: `field_` is the ManyToManyDescriptor (Model.field),
    `pairs` (from id, to id)."""
    through = field_.through
    m2m = field_.field
    source = m2m.m2m_field_name() + "_id"
    target = m2m.m2m_reverse_field_name() + "_id"
    rows = [through(**{source: a, target: b}) for a, b in dict.fromkeys(pairs)]
    through.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert many rows fast: COPY on PostgreSQL, bulk_create elsewhere. `columns` are database
    column names; values must already be what the database stores."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            cols = ", ".join(columns)
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    by_column = {f.column: f.attname for f in model._meta.concrete_fields}
    names = [by_column[c] for c in columns]
    batch: list[models.Model] = []
    count = 0
    for row in rows:
        batch.append(model(**dict(zip(names, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


# Dates ---------------------------------------------------------------------------------------


def weeks(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(n * 7))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on a day, in the site's zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def quarters(year: int) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in (1, 4, 7, 10)]


# Words ---------------------------------------------------------------------------------------


def paragraphs(rng: random.Random, pool: Sequence[str], count: int, per: tuple[int, int]) -> str:
    """`count` paragraphs of sentences drawn from `pool`, blank-line separated."""
    out = io.StringIO()
    for index in range(count):
        if index:
            out.write("\n\n")
        out.write(" ".join(rng.sample(list(pool), min(len(pool), rng.randint(*per)))))
    return out.getvalue()
