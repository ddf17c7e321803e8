"""What the benchmark measures: the subjects it picks from the seeded data, the page and API
targets, the floors, and the national views with their query plans."""

from __future__ import annotations

import datetime
import gc
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Length
from django.test import Client, override_settings

from .timing import Figure, Target, measure, time_callable

TARGET_RATIO = 3.0

FLOOR_PAGE = Target("page", "Floor: base page", "/__bench__/floor/", "floor")
FLOOR_API = Target("api", "Floor: bare API view", "/__bench__/api-floor/", "floor")


@dataclass
class Subjects:
    user: Any
    token: str
    token_key: str
    inspection: Any
    partnership: Any
    plan: Any
    programme: Any
    pdf_inspection: Any
    pdf_user: Any
    record: Any


def subjects() -> Subjects:
    """The seeded inspection with the fullest record-reading sample among the latest published
    ones, its lead inspector (who may see its evidence), its partnership, that partnership's
    latest improvement plan, and the programme with the most records read."""
    from knox.models import AuthToken

    from improvement.models import ImprovementPlan
    from inspections.models import (
        PUBLISHED_STATUSES,
        Inspection,
        Programme,
        ReadingStatus,
        ReviewedRecord,
        TeamMember,
        TeamRole,
    )
    from scrutiny.seeding.base import SEED_DOMAIN

    published = (
        Inspection.objects.filter(
            status__in=PUBLISHED_STATUSES,
            team__role=TeamRole.LEAD_INSPECTOR,
            team__user__email__endswith=SEED_DOMAIN,
        )
        .annotate(
            complete=Count(
                "reviewed_records", filter=Q(reviewed_records__status=ReadingStatus.COMPLETE)
            )
        )
        .order_by("-complete", "-planned_notification_on", "-pk")
    )
    inspection = published.select_related("partnership", "programme").first()
    if inspection is None:
        raise SystemExit("No seeded published inspection: run manage.py seed_national first.")
    lead = TeamMember.objects.get(
        inspection=inspection, role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
    ).user
    # A plan the lead may read: the inspection's own, else one of another inspection they led.
    plans = ImprovementPlan.objects.annotate(n=Count("actions")).order_by("-n", "-pk")
    plan = (
        plans.filter(inspection=inspection).first()
        or plans.filter(
            inspection__team__user=lead, inspection__team__role="lead_inspector"
        ).first()
    )
    programme = (
        Programme.objects.annotate(
            n=Count(
                "inspections__reviewed_records",
                filter=Q(inspections__reviewed_records__status=ReadingStatus.COMPLETE),
            )
        )
        .order_by("-n")
        .first()
    )
    # The PDF: the published inspection with the longest report (most findings text).
    longest = (
        Inspection.objects.filter(pk__in=published.values("pk"))
        .annotate(words=Sum(Length("findings__text")))
        .order_by("-words", "-pk")
        .first()
    )
    pdf_user = TeamMember.objects.get(
        inspection=longest, role=TeamRole.LEAD_INSPECTOR, archived_at__isnull=True
    ).user
    instance, token = AuthToken.objects.create(lead, expiry=datetime.timedelta(hours=4))
    record = ReviewedRecord.objects.filter(inspection=inspection).order_by("pk").first()
    return Subjects(
        user=lead,
        token=token,
        token_key=instance.token_key,
        inspection=inspection,
        partnership=inspection.partnership,
        plan=plan,
        programme=programme,
        pdf_inspection=longest,
        pdf_user=pdf_user,
        record=record,
    )


def targets(s: Subjects) -> list[Target]:
    i, p = s.inspection.pk, s.partnership.pk
    plan = s.plan.pk if s.plan else 0
    pages = [
        ("Partnership list", "/partnerships/"),
        ("Partnership detail", f"/partnerships/{p}/"),
        ("Partnership dashboard", f"/dashboards/partnerships/{p}/"),
        ("Start page (My work)", "/dashboards/my-work/"),
        ("Inspection list", "/inspections/"),
        ("Inspection detail", f"/inspections/{i}/"),
        ("Record-reading sample", f"/inspections/{i}/record-reading/"),
        ("Record-reading results", f"/inspections/{i}/record-reading/results/"),
        ("Findings", f"/inspections/{i}/findings/"),
        ("Evaluations", f"/inspections/{i}/evaluations/"),
        ("Published report", f"/inspections/{i}/published/"),
        ("Support assessments", "/improvement/assessments/"),
        ("Improvement plan", f"/improvement/plans/{plan}/"),
        ("Progress reviews", f"/improvement/partnerships/{p}/reviews/"),
        ("Co-operation review", "/co-operation/"),
        ("No-surprises notices", "/co-operation/notices/"),
        ("Meetings", "/co-operation/meetings/"),
        ("Escalations", "/co-operation/escalations/"),
        ("Engagement log", "/partnerships/engagement/"),
        ("MSG national view", "/partnerships/msg/national/"),
    ]
    apis = [
        ("API partnerships", "/api/v1/partnerships/"),
        ("API inspections", "/api/v1/inspections/"),
        ("API record-reading results", f"/api/v1/inspections/{i}/record-reading-results/"),
        ("API record-reading records", f"/api/v1/record-reading/records/?inspection={i}"),
        ("API record-reading answers", f"/api/v1/record-reading/answers/?inspection={i}"),
        ("API findings", "/api/v1/findings/"),
        ("API evaluations", "/api/v1/evaluations/"),
        ("API support assessments", "/api/v1/support-assessments/"),
        ("API support decisions", "/api/v1/support-decisions/"),
        ("API improvement plans", "/api/v1/improvement-plans/"),
        ("API improvement actions", "/api/v1/improvement-actions/"),
        ("API progress reviews", "/api/v1/progress-reviews/"),
        ("API meetings", "/api/v1/meetings/"),
        ("API no-surprises notices", "/api/v1/no-surprises-notices/"),
        ("API escalations", "/api/v1/escalations/"),
        ("API engagements", "/api/v1/engagements/"),
        ("API MSG self-evaluations", "/api/v1/msg-self-evaluations/"),
        ("API MSG national summary", "/api/v1/msg-self-evaluations/national/"),
    ]
    return [Target("page", label, url) for label, url in pages] + [
        Target("api", label, url) for label, url in apis
    ]


def _clients(s: Subjects) -> tuple[Client, dict[str, str]]:
    client = Client()
    client.force_login(s.user)
    return client, {"Authorization": f"Token {s.token}", "Accept": "application/json"}


@override_settings(ROOT_URLCONF="bench.urls")
def run_targets(s: Subjects, *, repeat: int, warmup: int, only: str = "") -> list[Figure]:
    """Each target with its floor in turn (a floor request before each target request), so the
    two see the same load; a target's ratios are against the floor samples taken beside it. The
    floor rows of the table pool every floor sample of the run (and their queries)."""
    from .timing import measure_paired, percentile

    client, api_headers = _clients(s)
    # As gunicorn.conf.py does in each worker once Django is loaded: what start-up made is
    # frozen out of the garbage collector's full collections.
    gc.collect()
    gc.freeze()
    chosen = [t for t in targets(s) if only.lower() in t.label.lower()]
    floors = {
        f.kind: measure(client, f, repeat=5, warmup=warmup, headers=api_headers)
        for f in (FLOOR_PAGE, FLOOR_API)
    }
    pooled: dict[str, list[float]] = {"page": [], "api": []}
    figures = []
    for target in chosen:
        floor = FLOOR_API if target.kind == "api" else FLOOR_PAGE
        headers = api_headers if target.kind == "api" else {}
        figure, floor_samples = measure_paired(
            client, target, floor, repeat=repeat, warmup=warmup, headers=headers
        )
        pooled[target.kind] += floor_samples
        floor_p50 = percentile(floor_samples, 50)
        floor_p95 = percentile(floor_samples, 95)
        figure.floor_p50_ms = round(floor_p50, 2)
        figure.floor_p95_ms = round(floor_p95, 2)
        figure.ratio_p50 = round(figure.p50_ms / floor_p50, 2)
        figure.ratio_p95 = round(figure.p95_ms / floor_p95, 2)
        if max(figure.ratio_p50, figure.ratio_p95) > TARGET_RATIO:
            _explain_slowest(figure)
        print(
            f"  {figure.label:32} {figure.status} p50 {figure.p50_ms:8.1f} ms  "
            f"p95 {figure.p95_ms:8.1f} ms  {figure.queries:3} queries  "
            f"ratios {figure.ratio_p50:6.2f} {figure.ratio_p95:6.2f}",
            flush=True,
        )
        figures.append(figure)
    for kind, floor in floors.items():
        if pooled[kind]:
            floor.samples_ms = [round(x, 2) for x in pooled[kind]]
            floor.p50_ms = round(percentile(pooled[kind], 50), 2)
            floor.p95_ms = round(percentile(pooled[kind], 95), 2)
    return [floors["page"], floors["api"], *figures]


def _explain_slowest(figure: Figure) -> None:
    """The evidence for a figure over the target: the plans of its slowest statements."""
    from . import plans

    for query in figure.slowest[:2]:
        if query["sql"].lstrip().upper().startswith("SELECT"):
            query["plan"] = plans.explain(query["sql"])["text"]


def run_national(
    s: Subjects, figures: list[Figure], *, repeat: int, warmup: int
) -> list[dict[str, Any]]:
    """Record-reading results of one inspection and the national views: p95 and the plans of
    every query that reads the answers table."""
    from partnerships import msg

    from . import national, plans

    out = []
    by_label = {f.label: f for f in figures}
    for label in (
        "Record-reading results",
        "API record-reading results",
        "MSG national view",
        "API MSG national summary",
    ):
        figure = by_label.get(label)
        if figure is None:
            continue
        out.append(
            {
                "view": label,
                "url": figure.url,
                "p50_ms": figure.p50_ms,
                "p95_ms": figure.p95_ms,
                "queries": figure.queries,
                "plans": plans.answer_plans(figure.sql),
            }
        )
    p50, p95, sql = time_callable(
        lambda: msg.msg_national(user=s.user), repeat=repeat, warmup=warmup
    )
    out.append(
        {
            "view": "MSG national (selector)",
            "p50_ms": p50,
            "p95_ms": p95,
            "queries": len(sql),
            "plans": plans.answer_plans(sql),
        }
    )
    programme_repeat = max(5, repeat // 3)
    p50, p95, sql = time_callable(
        lambda: national.programme_results(s.programme), repeat=programme_repeat, warmup=1
    )
    out.append(
        {
            "view": f"Record reading across a programme ({s.programme.name})",
            "p50_ms": p50,
            "p95_ms": p95,
            "queries": len(sql),
            "repeat": programme_repeat,
            "plans": plans.answer_plans(sql),
        }
    )
    for row in out:
        seq = any(p["seq_scan_of_answers"] for p in row["plans"])
        row["seq_scan_of_answers"] = seq
        print(f"  {row['view'][:60]:60} p95 {row['p95_ms']:8.1f} ms  seq scan of answers: {seq}")
    return out
