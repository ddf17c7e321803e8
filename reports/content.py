"""What goes into each PDF, gathered through the apps' own selectors as the person who asked
for it, and cut down to the report's audience. Each builder raises ReportUnavailable, with a
reason in words for its reader, when the report can no longer be made as asked (the person who
asked may no longer read what its audience reads, or the record has moved on).

- The inspection report is the latest published version once the inspection is published
  (Final), and otherwise its live drafts (Draft): findings by kind with the record-reading
  figures they cite, the grade of each quality indicator in scope as it stands and, for team
  members cleared to see the evidence, the record-reading results.
- The partnership profile: the partnership, its council areas and health boards, contacts and
  link inspectors, inspections, latest published evaluations and, for readers of everything,
  the current level of support.
- The co-operation quarterly report: the quarter's meetings and gaps, no-surprises notices,
  escalations and shared risks. Draft while the quarter is still running."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from .models import AUDIENCE_RANK, Audience, DocumentStatus, GeneratedReport, ReportKind

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Inspection

NO_LONGER_VISIBLE = "You may no longer see this record, so the PDF was not made."
NO_LONGER_UNPUBLISHED = (
    "You may no longer read this record's unpublished work, so the PDF was not made. "
    "Ask for it again to get what you may now read."
)
NOT_PUBLISHED = (
    "The inspection is not published (any more), so there is no published report to make. "
    "Ask for it again if you read its unpublished work."
)
NO_PUBLISHED_VERSION = "The inspection is published but its published report is missing."


class ReportUnavailable(Exception):
    """The report cannot be made as asked; the message is for the person who asked."""


@dataclass
class Document:
    """A report ready to render: its template, title, draft or final status and content."""

    template: str
    title: str
    status: str  # DocumentStatus
    subtitle: str = ""
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return DocumentStatus(self.status).label


def _at_least(report: GeneratedReport, audience: Audience) -> bool:
    return AUDIENCE_RANK[Audience(report.audience)] >= AUDIENCE_RANK[audience]


def filename(report: GeneratedReport, on: datetime.date) -> str:
    """The name a downloaded PDF is saved under."""
    subject = slugify(report.subject)[:80].strip("-") or "report"
    return f"{slugify(report.get_kind_display())}-{subject}-{on:%Y-%m-%d}.pdf"


# The inspection report -----------------------------------------------------------------------


def _indicator_name(qi: dict[str, Any]) -> str:
    return f"{qi.get('number') or ''} {qi.get('title') or ''}".strip()


def _grade_words(level: dict[str, Any] | None) -> str:
    return f"{level['value']}: {level['label']}" if level else ""


def _published_content(version) -> dict[str, Any]:
    """The report exactly as this published version froze it."""
    content = version.content
    evaluations = [
        {
            "indicator": _indicator_name(e["quality_indicator"]),
            "grade": _grade_words(e.get("level")),
            "state": "Final" if e.get("level") else "Not graded",
            "rationale": e.get("rationale", ""),
        }
        for e in content.get("evaluations", [])
    ]
    groups = [
        {
            "kind": group["kind"],
            "label": group["label"],
            "findings": [
                {
                    "text": f["text"],
                    "status": "",
                    "indicators": "; ".join(_indicator_name(qi) for qi in f["quality_indicators"]),
                    "outcomes": ", ".join(str(o["number"]) for o in f.get("national_outcomes", [])),
                    "cited": [
                        {"number": q["number"], "text": q["text"], "figure": q["figure"]}
                        for q in f.get("cited_questions", [])
                    ],
                }
                for f in group["findings"]
            ],
        }
        for group in content.get("findings", [])
    ]
    record_reading = [
        {
            "section": "",
            "number": r["number"],
            "text": r["text"],
            "figure": r["figure"],
            "answered": r["answered"],
            "applicable": r["applicable"],
            "not_applicable": r["not_applicable"],
            "breakdown": _breakdown(r.get("values", [])),
        }
        for r in content.get("record_reading", [])
    ]
    return {
        "scale": content.get("scale", {}),
        "evaluations": evaluations,
        "finding_groups": groups,
        "record_reading": record_reading,
        "record_reading_shown": True,
        "records_counted": None,
    }


def _percent(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _breakdown(values: list[dict[str, Any]]) -> str:
    """Each counted answer with its count and percentage of applicable answers."""
    return "; ".join(
        f"{v['label']}: {v['count']} ({_percent(v['percent'])}%)"
        for v in values
        if v.get("percent") is not None
    )


def _result_dict(result) -> dict[str, Any]:
    return {
        "section": result.section,
        "number": result.number,
        "text": result.text,
        "figure": result.figure,
        "answered": result.answered,
        "applicable": result.applicable,
        "not_applicable": result.not_applicable,
        "breakdown": _breakdown(
            [{"label": v.label, "count": v.count, "percent": v.percent} for v in result.values]
        ),
    }


def _draft_content(user: User, inspection: Inspection, *, with_results: bool) -> dict[str, Any]:
    """The report as it stands: every live finding (draft or agreed) and the grade of each
    indicator in this round of moderation, read through the report's selectors as `user`."""
    from inspections.models import FindingKind
    from inspections.record_reading import selectors as record_reading
    from inspections.report import figures
    from inspections.report import selectors as report
    from inspections.report.content import KIND_PLURALS

    chains = report.evaluation_chains(user=user, inspection=inspection)
    evaluations = []
    for chain in chains:
        rationale = next((x.rationale for x in reversed(chain.current_round) if x.rationale), "")
        level = chain.level
        evaluations.append(
            {
                "indicator": str(chain.indicator),
                "grade": f"{level.value}: {level.label}" if level else "",
                "state": chain.state_label,
                "rationale": rationale,
            }
        )
    findings = list(report.findings_for(user=user, inspection=inspection))
    cited_any = any(f.cited_questions.all() for f in findings)
    results = figures.results_by_question(inspection) if cited_any else {}
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        by_kind[f.kind].append(
            {
                "text": f.text,
                "status": f.get_status_display(),
                "indicators": "; ".join(str(qi) for qi in f.quality_indicators.all()),
                "outcomes": ", ".join(
                    str(o.number) for o in sorted(f.national_outcomes.all(), key=lambda o: o.number)
                ),
                "cited": [
                    {
                        "number": q.number,
                        "text": q.text,
                        "figure": figures.figure_of(results.get(q.pk)),
                    }
                    for q in f.cited_questions.all()
                ],
            }
        )
    groups = [
        {"kind": kind.value, "label": KIND_PLURALS[kind], "findings": by_kind.get(kind.value, [])}
        for kind in FindingKind
    ]
    scale = inspection.programme.evaluation_scale
    context: dict[str, Any] = {
        "scale": {
            "name": scale.name,
            "levels": [
                {"value": level.value, "label": level.label}
                for level in report.scale_levels(inspection)
            ],
        },
        "evaluations": evaluations,
        "finding_groups": groups,
        "record_reading": [],
        "record_reading_shown": with_results,
        "records_counted": None,
    }
    if with_results:
        context["record_reading"] = [
            _result_dict(r) for r in record_reading.record_reading_results(inspection=inspection)
        ]
        context["records_counted"] = record_reading.records_counted(inspection=inspection)
    return context


def _team(inspection: Inspection) -> list[dict[str, str]]:
    from inspections.models import TeamRole

    members = (
        inspection.team.filter(archived_at__isnull=True)
        .select_related("user__agency")
        .order_by("role", "user__full_name")
    )
    lead_first = sorted(members, key=lambda m: m.role != TeamRole.LEAD_INSPECTOR)
    return [
        {"name": m.user.full_name, "role": m.get_role_display(), "agency": m.user.agency.name}
        for m in lead_first
    ]


def inspection_report(report: GeneratedReport) -> Document:
    from inspections.models import Inspection
    from inspections.policies import inspection_policy
    from inspections.report import selectors as report_selectors

    user = report.requested_by
    inspection = (
        Inspection.objects.select_related(
            "programme__evaluation_scale", "partnership", "lead_agency"
        )
        .prefetch_related("partnership__local_authorities", "partnership__health_boards")
        .get(pk=report.inspection_id)
    )
    if not user.is_active or not inspection_policy.can_view(user, inspection):
        raise ReportUnavailable(NO_LONGER_VISIBLE)
    reads_unpublished = inspection_policy.can_see_drafts(user, inspection)
    if _at_least(report, Audience.UNPUBLISHED) and not reads_unpublished:
        raise ReportUnavailable(NO_LONGER_UNPUBLISHED)
    version = None
    if inspection.is_published:
        version = report_selectors.published_versions(user=user, inspection=inspection).first()
        if version is None:
            raise ReportUnavailable(NO_PUBLISHED_VERSION)
        body = _published_content(version)
        status = DocumentStatus.FINAL
    else:
        if not _at_least(report, Audience.UNPUBLISHED):
            raise ReportUnavailable(NOT_PUBLISHED)
        with_results = report.audience == Audience.EVIDENCE
        if with_results and not inspection_policy.can_view_evidence(user, inspection):
            raise ReportUnavailable(NO_LONGER_UNPUBLISHED)
        try:
            body = _draft_content(user, inspection, with_results=with_results)
        except Http404 as exc:
            raise ReportUnavailable(NO_LONGER_UNPUBLISHED) from exc
        status = DocumentStatus.DRAFT
    return Document(
        template="reports/pdf/inspection_report.html",
        title=f"Inspection report: {inspection.title}",
        subtitle=str(inspection.partnership),
        status=status,
        context={
            "inspection": inspection,
            "partnership": inspection.partnership,
            "version": version,
            "team": _team(inspection) if _at_least(report, Audience.UNPUBLISHED) else None,
            **body,
        },
    )


# The partnership profile ---------------------------------------------------------------------


def partnership_profile(report: GeneratedReport) -> Document:
    from improvement import selectors as improvement
    from inspections.report import selectors as report_selectors
    from inspections.selectors import inspections_for_partnership
    from partnerships import selectors as partnerships

    from .policies import partnerships_read_in_full

    user = report.requested_by
    if not user.is_active:
        raise ReportUnavailable(NO_LONGER_VISIBLE)
    try:
        detail = partnerships.partnership_detail(user=user, pk=report.partnership_id)
    except Http404 as exc:
        raise ReportUnavailable(NO_LONGER_VISIBLE) from exc
    partnership = detail.partnership
    full = _at_least(report, Audience.UNPUBLISHED)
    if full and not partnerships_read_in_full(user).filter(pk=partnership.pk).exists():
        raise ReportUnavailable(NO_LONGER_UNPUBLISHED)
    inspections = list(inspections_for_partnership(user=user, partnership=partnership))
    if not full:
        inspections = [i for i in inspections if i.is_published]
    return Document(
        template="reports/pdf/partnership_profile.html",
        title=f"Partnership profile: {partnership}",
        subtitle=partnership.get_kind_display(),
        status=DocumentStatus.FINAL,
        context={
            "partnership": partnership,
            "detail": detail,
            "inspections": inspections,
            "full": full,
            "summary": report_selectors.partnership_summary(user=user, partnership=partnership),
            "support": improvement.partnership_support(user=user, partnership=partnership)
            if full
            else None,
        },
    )


# The co-operation quarterly report -----------------------------------------------------------


def cooperation_quarter(report: GeneratedReport, today: datetime.date | None = None) -> Document:
    from cooperation import rules
    from cooperation import selectors as cooperation
    from cooperation.models import EscalationStatus, Meeting
    from cooperation.policies import is_body_member

    from .selectors import quarter_of

    user = report.requested_by
    if not is_body_member(user):
        raise ReportUnavailable(NO_LONGER_VISIBLE)
    today = today or timezone.localdate()
    period = quarter_of(report.quarter_starts_on)
    span = {"date_from": period.starts_on, "date_to": period.ends_on}
    meetings = list(cooperation.meeting_list(user=user, ordering="date", **span))
    gaps = [
        gap
        for gap in cooperation.meeting_gaps(
            user=user, first_year=period.year, last_year=period.year, today=today
        )
        if gap.period.key == period.key
        or (gap.period.kind == "year" and gap.period.ends_on == period.ends_on)
    ]
    notices = cooperation.with_flags(
        cooperation.notice_list(user=user, ordering="planned", **span), today
    )
    summary = next(
        (
            s
            for s in cooperation.notice_summary(
                user=user, first_year=period.year, last_year=period.year, today=today
            )
            if s.period.key == period.key
        ),
        None,
    )
    raised = cooperation.with_state(
        cooperation.escalation_list(user=user, ordering="raised", today=today, **span), today
    )
    still_open = cooperation.with_state(
        cooperation.escalation_list(
            user=user,
            status=EscalationStatus.OPEN,
            date_to=period.starts_on - datetime.timedelta(days=1),
            ordering="raised",
            today=today,
        ),
        today,
    )
    considered = set(
        Meeting.risks.through.objects.filter(meeting__in=[m.pk for m in meetings]).values_list(
            "sharedrisk_id", flat=True
        )
    )
    risks = list(cooperation.risk_list(user=user, status="open", today=today))
    considered_closed = [
        r
        for r in cooperation.risk_list(user=user, status="closed", today=today)
        if r.pk in considered
    ]
    for risk in risks + considered_closed:
        risk.band = rules.risk_band(risk.rating)
    bodies = list(cooperation.bodies())
    return Document(
        template="reports/pdf/cooperation_quarter.html",
        title=f"Duty of co-operation: {period.label}",
        subtitle=f"{period.months}. For the boards of "
        + " and ".join(b.name for b in bodies)
        + ".",
        status=DocumentStatus.DRAFT if period.ends_on >= today else DocumentStatus.FINAL,
        context={
            "period": period,
            "bodies": bodies,
            "today": today,
            "meetings": meetings,
            "gaps": gaps,
            "notices": notices,
            "summary": summary,
            "raised": raised,
            "still_open": still_open,
            "risks": [(r, r.pk in considered) for r in risks + considered_closed],
            "considered_count": len(considered),
        },
    )


BUILDERS = {
    ReportKind.INSPECTION_REPORT: inspection_report,
    ReportKind.PARTNERSHIP_PROFILE: partnership_profile,
    ReportKind.COOPERATION_QUARTER: cooperation_quarter,
}


def build(report: GeneratedReport) -> Document:
    return BUILDERS[ReportKind(report.kind)](report)
