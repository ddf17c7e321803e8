"""Reads for the report, each in a fixed number of queries. Drafts (findings, the evaluation
chains, factual accuracy comments) go through the report's policies: anyone who may not see the
inspection's unpublished work gets none of them. What was published is read from the frozen
published versions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User

from ..models import (
    PUBLISHED_STATUSES,
    EvaluationLevel,
    EvaluationLink,
    EvaluationStage,
    EvidenceActivity,
    FactualAccuracyComment,
    Finding,
    FindingKind,
    Inspection,
    PublishedVersion,
    QualityIndicator,
    TemplateQuestion,
)
from ..policies import inspection_policy
from . import policies
from .content import KIND_PLURALS

if TYPE_CHECKING:
    from partnerships.models import Partnership

# The state of an indicator's evaluation: its chain's last stage, or none.
NOT_STARTED = "none"
STATE_LABELS = {
    NOT_STARTED: "Not proposed yet",
    EvaluationStage.PROPOSED: "Proposed by the team",
    EvaluationStage.PANEL: "Moderated by the panel",
    EvaluationStage.FINAL: "Final",
    EvaluationStage.REOPENED: "Moderation reopened",
}
STATE_CHOICES = list(STATE_LABELS.items())
# The one step that may follow each state.
NEXT_STEP = {
    NOT_STARTED: "propose",
    EvaluationStage.REOPENED: "propose",
    EvaluationStage.PROPOSED: "panel",
    EvaluationStage.PANEL: "finalise",
    EvaluationStage.FINAL: "reopen",
}
KINDS = list(FindingKind)


def kind_order() -> Case:
    """Findings in the order of their kinds (strengths first), not alphabetically."""
    return Case(
        *[When(kind=kind.value, then=Value(i)) for i, kind in enumerate(KINDS)],
        output_field=IntegerField(),
    )


# Findings ------------------------------------------------------------------------------------


# What the people who drafted, agreed or took an evaluation's step are never shown or checked
# with in lists (they are shown by name): not loaded.
_USER_UNUSED = ("password", "last_login", "date_joined", "job_title", "is_superuser", "is_staff")


def _with_related(qs: QuerySet[Finding], *, brief: bool = False) -> QuerySet[Finding]:
    """With what a finding is shown with; `brief`: only its quality indicators (what the list
    page shows), sparing the queries for the rest."""
    qs = (
        qs.select_related("drafted_by", "agreed_by")
        .defer(*(f"{who}__{name}" for who in ("drafted_by", "agreed_by") for name in _USER_UNUSED))
        .prefetch_related(
            Prefetch(
                "quality_indicators", QualityIndicator.objects.order_by("order", "number", "pk")
            )
        )
    )
    if brief:
        return qs
    return qs.prefetch_related(
        Prefetch("evidence_activities", EvidenceActivity.objects.order_by("starts_on", "pk")),
        Prefetch(
            "cited_questions",
            TemplateQuestion.objects.select_related("section").order_by(
                "section__order", "order", "number", "pk"
            ),
        ),
        "national_outcomes",
    )


def finding_list(
    *,
    user: User,
    inspection: Inspection | None = None,
    kind: str = "",
    status: str = "",
    quality_indicator: QualityIndicator | None = None,
    include_archived: bool = False,
    brief: bool = False,
) -> QuerySet[Finding]:
    """Findings of inspections whose drafts the user reads, filtered; strengths first. `brief`:
    with their quality indicators only (not their evidence, questions cited or outcomes)."""
    qs = policies.with_drafts(user, Finding.objects.all())
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if quality_indicator is not None:
        qs = qs.filter(quality_indicators=quality_indicator)
    return _with_related(qs, brief=brief).order_by("inspection_id", kind_order(), "pk")


def findings_for(
    *,
    user: User,
    inspection: Inspection,
    kind: str = "",
    status: str = "",
    quality_indicator: QualityIndicator | None = None,
    include_archived: bool = False,
    brief: bool = False,
) -> QuerySet[Finding]:
    """One inspection's findings, for those who read its drafts (nobody else gets any)."""
    if not policies.can_read_drafts(user, inspection):
        return Finding.objects.none()
    return finding_list(
        user=user,
        inspection=inspection,
        kind=kind,
        status=status,
        quality_indicator=quality_indicator,
        include_archived=include_archived,
        brief=brief,
    )


def finding_get(*, user: User, pk: Any, inspection: Inspection | None = None) -> Finding:
    """A finding (archived too), or 404 for anyone who may not read its inspection's drafts."""
    qs = policies.with_drafts(user, _with_related(Finding.objects.all()))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    try:
        return qs.select_related("inspection__programme").get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# Evaluations ---------------------------------------------------------------------------------


@dataclass
class EvaluationChain:
    """One indicator's evaluation: every link in order, and where it stands."""

    inspection_id: int
    indicator: QualityIndicator
    links: list[EvaluationLink] = field(default_factory=list)

    @property
    def last(self) -> EvaluationLink | None:
        return self.links[-1] if self.links else None

    @property
    def state(self) -> str:
        return self.last.stage if self.last else NOT_STARTED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def next_step(self) -> str:
        return NEXT_STEP[self.state]

    @property
    def current_round(self) -> list[EvaluationLink]:
        """The links since moderation was last reopened (all of them if it never was)."""
        round_: list[EvaluationLink] = []
        for link in self.links:
            round_ = [] if link.stage == EvaluationStage.REOPENED else [*round_, link]
        return round_

    @property
    def proposal(self) -> EvaluationLink | None:
        return next(
            (x for x in reversed(self.current_round) if x.stage == EvaluationStage.PROPOSED), None
        )

    @property
    def level(self) -> EvaluationLevel | None:
        """The grade as it stands in this round: proposed, moderated or final."""
        last = self.current_round[-1] if self.current_round else None
        return last.level if last else None

    @property
    def final_level(self) -> EvaluationLevel | None:
        return self.last.level if self.state == EvaluationStage.FINAL else None

    @property
    def last_id(self) -> int | None:
        return self.last.pk if self.last else None


def _links(**lookup: Any) -> QuerySet[EvaluationLink]:
    """Links with their grade, author and (as `panel_list`) panel members by name. A list
    rather than the prefetched manager: Django builds a queryset per link for that, which was
    most of the time of a page of evaluations."""
    return (
        EvaluationLink.objects.filter(**lookup)
        .select_related("level", "created_by")
        .defer(*(f"created_by__{name}" for name in _USER_UNUSED))
        .prefetch_related(
            Prefetch(
                "panel_members",
                User.objects.defer(*_USER_UNUSED).order_by("full_name"),
                to_attr="panel_list",
            )
        )
        .order_by("pk")
    )


def _in_scope(inspection: Inspection) -> QuerySet[QualityIndicator]:
    return inspection.quality_indicators.filter(archived_at__isnull=True).order_by(
        "order", "number", "pk"
    )


def _require_drafts(user: User, inspection: Inspection) -> None:
    if not policies.can_read_drafts(user, inspection):
        raise Http404


def evaluation_chains(*, user: User, inspection: Inspection) -> list[EvaluationChain]:
    """Each indicator in scope with its chain, in the framework's order. 404 for those who may
    not read the inspection's drafts."""
    _require_drafts(user, inspection)
    return _chains(inspection, list(_in_scope(inspection)))


def _chains(inspection: Inspection, indicators: list[QualityIndicator]) -> list[EvaluationChain]:
    by_indicator: dict[int, list[EvaluationLink]] = defaultdict(list)
    for link in _links(inspection=inspection):
        by_indicator[link.quality_indicator_id].append(link)
    return [EvaluationChain(inspection.pk, qi, by_indicator.get(qi.pk, [])) for qi in indicators]


def evaluation_chain(*, user: User, inspection: Inspection, indicator_pk: Any) -> EvaluationChain:
    """One indicator's chain; 404 if it is not in scope or the user may not read drafts."""
    _require_drafts(user, inspection)
    try:
        indicator = _in_scope(inspection).get(pk=indicator_pk)
    except (QualityIndicator.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    return EvaluationChain(
        inspection.pk,
        indicator,
        list(_links(inspection=inspection, quality_indicator=indicator)),
    )


Scope = Inspection.quality_indicators.through  # one row per indicator in an inspection's scope


def evaluation_rows(
    *,
    user: User,
    inspection: Inspection | None = None,
    quality_indicator: QualityIndicator | None = None,
    state: str = "",
) -> QuerySet:
    """The evaluations the user may read: one row per indicator in scope of each inspection
    whose drafts they read, annotated with `state`. `evaluation_chains_for` builds the chains of
    a page of them."""
    last_stage = (
        EvaluationLink.objects.filter(
            inspection_id=OuterRef("inspection_id"),
            quality_indicator_id=OuterRef("qualityindicator_id"),
        )
        .order_by("-pk")
        .values("stage")[:1]
    )
    qs = Scope.objects.filter(
        inspection__in=inspection_policy.with_drafts(user).values("pk"),
        qualityindicator__archived_at__isnull=True,
    ).annotate(state=Coalesce(Subquery(last_stage), Value(NOT_STARTED)))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if quality_indicator is not None:
        qs = qs.filter(qualityindicator=quality_indicator)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("qualityindicator").order_by(
        "inspection_id", "qualityindicator__order", "qualityindicator__number", "pk"
    )


def evaluation_chains_for(rows: list) -> list[EvaluationChain]:
    """The chains of these scope rows (one query for the links, one for panel members)."""
    links: dict[tuple[int, int], list[EvaluationLink]] = defaultdict(list)
    if rows:
        for link in _links(
            inspection_id__in={r.inspection_id for r in rows},
            quality_indicator_id__in={r.qualityindicator_id for r in rows},
        ):
            links[(link.inspection_id, link.quality_indicator_id)].append(link)
    return [
        EvaluationChain(
            r.inspection_id,
            r.qualityindicator,
            links.get((r.inspection_id, r.qualityindicator_id), []),
        )
        for r in rows
    ]


def scale_levels(inspection: Inspection) -> QuerySet[EvaluationLevel]:
    """The grades of the programme's scale, highest first."""
    return EvaluationLevel.objects.filter(
        scale_id=inspection.programme.evaluation_scale_id, archived_at__isnull=True
    ).order_by("-value")


# Factual accuracy ----------------------------------------------------------------------------


def fa_comment_list(
    *,
    user: User,
    inspection: Inspection | None = None,
    responded: bool | None = None,
    include_archived: bool = False,
) -> QuerySet[FactualAccuracyComment]:
    qs = policies.with_drafts(user, FactualAccuracyComment.objects.all())
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if responded is True:
        qs = qs.exclude(response="")
    elif responded is False:
        qs = qs.filter(response="")
    return qs.select_related("inspection", "responded_by").order_by("inspection_id", "pk")


def fa_comment_get(
    *, user: User, pk: Any, inspection: Inspection | None = None
) -> FactualAccuracyComment:
    qs = policies.with_drafts(user, FactualAccuracyComment.objects.all())
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    try:
        return qs.select_related("inspection__programme", "responded_by").get(pk=pk)
    except (FactualAccuracyComment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# Published versions --------------------------------------------------------------------------


def published_versions(*, user: User, inspection: Inspection) -> QuerySet[PublishedVersion]:
    """Every published version of an inspection the user may see, latest first. Published
    inspections are seen by everyone signed in."""
    if not user.is_authenticated or not user.is_active:
        return PublishedVersion.objects.none()
    return PublishedVersion.objects.filter(inspection=inspection).order_by("-number")


def published_version_get(
    *, user: User, inspection: Inspection, number: Any = None
) -> PublishedVersion:
    """The latest version (or the one numbered), or 404 if there is none."""
    qs = published_versions(user=user, inspection=inspection).select_related("created_by")
    try:
        version = qs.get(number=number) if number not in (None, "") else qs.first()
    except (PublishedVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if version is None:
        raise Http404
    return version


# By quality indicator ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    indicator_id: int
    number: str
    title: str
    grade: str  # e.g. "4: Good"; blank if none yet
    state: str  # how far the evaluation has got (drafts); "Final" when published
    counts: list[int]  # findings of each kind, in KINDS order

    @property
    def name(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class ReportSummary:
    """Findings and evaluations by quality indicator, from the drafts or as published."""

    source: str  # "drafts" or "published"
    rows: list[IndicatorRow]
    version: PublishedVersion | None = None

    @property
    def kinds(self) -> list[str]:
        return [KIND_PLURALS[kind] for kind in KINDS]

    @property
    def published(self) -> bool:
        return self.source == "published"


def _grade(level: EvaluationLevel | dict | None) -> str:
    if level is None:
        return ""
    if isinstance(level, dict):
        return f"{level['value']}: {level['label']}"
    return str(level)


def _drafts_summary(inspection: Inspection) -> ReportSummary:
    indicators = list(_in_scope(inspection))
    chains = {c.indicator.pk: c for c in _chains(inspection, indicators)}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = Finding.quality_indicators.through.objects.filter(
        finding__inspection=inspection, finding__archived_at__isnull=True
    ).values_list("qualityindicator_id", "finding__kind")
    for indicator_id, kind in rows:
        counts[(indicator_id, kind)] += 1
    return ReportSummary(
        source="drafts",
        rows=[
            IndicatorRow(
                indicator_id=qi.pk,
                number=qi.number,
                title=qi.title,
                grade=_grade(chains[qi.pk].level),
                state=chains[qi.pk].state_label,
                counts=[counts[(qi.pk, kind.value)] for kind in KINDS],
            )
            for qi in indicators
        ],
    )


def summary_from_version(version: PublishedVersion) -> ReportSummary:
    """Findings and evaluations by indicator, exactly as this version published them."""
    content = version.content
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for group in content.get("findings", []):
        for finding in group["findings"]:
            for qi in finding["quality_indicators"]:
                counts[(qi["id"], group["kind"])] += 1
    rows = []
    for evaluation in content.get("evaluations", []):
        qi = evaluation["quality_indicator"]
        rows.append(
            IndicatorRow(
                indicator_id=qi["id"],
                number=qi["number"],
                title=qi["title"],
                grade=_grade(evaluation["level"]),
                state=STATE_LABELS[EvaluationStage.FINAL] if evaluation["level"] else "",
                counts=[counts[(qi["id"], kind.value)] for kind in KINDS],
            )
        )
    return ReportSummary(source="published", rows=rows, version=version)


def report_summary(
    *, user: User, inspection: Inspection, can_read_drafts: bool | None = None
) -> ReportSummary | None:
    """For the inspection overview: the drafts for those who read them, otherwise the latest
    published version (None before publication)."""
    if can_read_drafts is None:
        can_read_drafts = policies.can_read_drafts(user, inspection)
    if can_read_drafts:
        return _drafts_summary(inspection)
    if inspection.status not in PUBLISHED_STATUSES:
        return None
    version = published_versions(user=user, inspection=inspection).first()
    return summary_from_version(version) if version is not None else None


def partnership_summary(*, user: User, partnership: Partnership) -> ReportSummary | None:
    """The latest published evaluations of a partnership's inspections (one query): the latest
    version of its most recently published inspection."""
    if not user.is_authenticated or not user.is_active:
        return None
    version = (
        PublishedVersion.objects.filter(
            inspection__partnership=partnership,
            inspection__status__in=PUBLISHED_STATUSES,
            inspection__archived_at__isnull=True,
        )
        .select_related("inspection")
        .order_by("-inspection__published_on", "-inspection_id", "-number")
        .first()
    )
    return summary_from_version(version) if version is not None else None
