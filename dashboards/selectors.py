"""Reads for the dashboards. Each dashboard gathers what the other apps' selectors and policies
let the acting user see (a policy that hides a record hides it here too), in a fixed number of
queries whatever the number of partnerships, inspections, actions or records.

- The partnership dashboard: one partnership on one page, for its link inspector above all.
- My areas: the partnerships covering the council areas a user follows, on one line each, the
  one that needs attention first.
- My work: an inspector's inspections, milestones due and records to read.
- The overview: the directors' and chief executives' home (co-operation, inspections by
  programme and status, partnerships by level of support)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import Role
from improvement.models import (
    CLOSED_ACTION_STATUSES,
    ActionStatus,
    ImprovementAction,
    ImprovementPlan,
    ProgressReview,
    RecordStatus,
    ReviewStatus,
    SupportDecision,
    SupportLevel,
)
from improvement.policies import action_policy, decision_policy, review_policy
from improvement.selectors import (
    PartnershipSupport,
    levels,
    overdue_actions,
    partnership_support,
    plan_list,
    scheduled_reviews,
)
from inspections.lifecycle import TERMINAL
from inspections.models import (
    PUBLISHED_STATUSES,
    STATUS_SEQUENCE,
    EvaluationLink,
    EvaluationStage,
    Inspection,
    InspectionStatus,
    Milestone,
    PublishedVersion,
    QualityIndicator,
    ReadingStatus,
    ReviewedRecord,
    TeamMember,
)
from inspections.policies import inspection_policy, milestone_policy
from inspections.record_reading.selectors import record_list
from inspections.selectors import inspections_for_partnership, milestone_state
from partnerships.models import (
    AreaAssignment,
    MsgRating,
    MsgRatingLevel,
    MsgSelfEvaluation,
    MsgStatus,
    Partnership,
)
from partnerships.msg import latest_submitted_rounds, msg_rounds
from partnerships.policies import followed_area_set
from partnerships.selectors import PartnershipDetail, partnership_detail
from scrutiny.permissions import remembering

from . import engagement

if TYPE_CHECKING:
    from accounts.models import User

INSPECTIONS_SHOWN = 10  # a partnership's most recent; the inspection list has the rest
RECENT_ENGAGEMENTS = 5
MILESTONE_HORIZON_DAYS = 42  # My work lists milestones overdue or due within six weeks


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def is_senior(user: User) -> bool:
    return user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)


# Where each user starts --------------------------------------------------------------------------


def current_area_ids(user: User, today: datetime.date | None = None) -> QuerySet:
    """Ids of the council areas the user currently follows as link inspector or relationship
    manager, as a subquery."""
    on = _today(today)
    return AreaAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        user=user,
        started_on__lte=on,
        archived_at__isnull=True,
    ).values("local_authority_id")


def follows_areas(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if remembering():
        return bool(followed_area_set(user))
    return current_area_ids(user).exists()


def is_inspector(user: User) -> bool:
    return user.has_role(Role.INSPECTOR) or user.has_role(Role.LEAD_INSPECTOR)


@dataclass(frozen=True)
class Dashboards:
    """The dashboards a user has, for the home page and the dashboards' own navigation."""

    overview: bool
    my_areas: bool
    my_work: bool

    @property
    def home(self) -> str:
        """The URL name of the user's start page."""
        if self.overview:
            return "dashboards:overview"
        if self.my_areas:
            return "dashboards:my_areas"
        if self.my_work:
            return "dashboards:my_work"
        return "partnerships:list"


def dashboards_for(user: User) -> Dashboards:
    """Directors and chief executives: the overview; those following council areas (link
    inspectors, relationship managers): My areas; inspectors: My work."""
    if not user.is_authenticated or not user.is_active:
        return Dashboards(overview=False, my_areas=False, my_work=False)
    return Dashboards(
        overview=is_senior(user), my_areas=follows_areas(user), my_work=is_inspector(user)
    )


# Current level of support, for many partnerships at once -----------------------------------------


def current_decision(user: User, field_name: str) -> Subquery:
    """`field_name` of the partnership's current level of support (its latest agreed decision
    the user may see; improvement.selectors.partnership_support for one partnership), as a
    subquery on an outer Partnership queryset."""
    decisions = decision_policy.visible(
        user,
        SupportDecision.objects.filter(
            status=RecordStatus.AGREED,
            archived_at__isnull=True,
            assessment__archived_at__isnull=True,
            assessment__partnership=OuterRef("pk"),
        ),
    )
    return Subquery(decisions.order_by("-agreed_at", "-pk").values(field_name)[:1])


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """How many rows of `queryset` link to the outer partnership through `outer`, as a
    correlated subquery (no extra query per row)."""
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _overdue_actions_count(user: User, today: datetime.date) -> Coalesce:
    actions = action_policy.visible(
        user,
        ImprovementAction.objects.filter(
            archived_at__isnull=True, plan__archived_at__isnull=True, due_on__lt=today
        ).exclude(status__in=CLOSED_ACTION_STATUSES),
    )
    return _count(actions, "plan__partnership")


def _overdue_reviews_count(user: User, today: datetime.date) -> Coalesce:
    reviews = review_policy.visible(
        user,
        ProgressReview.objects.filter(
            archived_at__isnull=True, status=ReviewStatus.SCHEDULED, due_on__lt=today
        ),
    )
    return _count(reviews, "partnership")


# My areas ----------------------------------------------------------------------------------------

AREA_ORDERINGS = {
    # Most overdue first, then the one engaged with longest ago (never first).
    "overdue": (
        F("overdue_total").desc(),
        F("last_engagement_on").asc(nulls_first=True),
        "name",
        "kind",
    ),
    "engagement": (
        F("last_engagement_on").asc(nulls_first=True),
        F("overdue_total").desc(),
        "name",
        "kind",
    ),
    # Most support first (directed, then assisted, ...); no level agreed last.
    "support": (
        F("support_order").desc(nulls_last=True),
        F("overdue_total").desc(),
        "name",
        "kind",
    ),
    "name": ("name", "kind"),
}
AREA_SORT_LABELS = {
    "overdue": "Most overdue first, then oldest engagement",
    "engagement": "Oldest engagement first",
    "support": "Most support first",
    "name": "Name (A to Z)",
}


def my_areas(
    *, user: User, ordering: str = "overdue", today: datetime.date | None = None
) -> list[Partnership]:
    """The live partnerships covering a council area the user follows, each with its current
    level of support (`support_level`, `support_second_level`), overdue actions and reviews
    (`overdue_actions`, `overdue_reviews`, `overdue_total`) and the date of its last engagement
    (`last_engagement_on`): only what the user may see counts. Two queries and the levels,
    however many partnerships."""
    today = _today(today)
    followed = Partnership.objects.filter(local_authorities__in=current_area_ids(user, today))
    qs = Partnership.objects.filter(pk__in=followed.values("pk"), archived_at__isnull=True)
    qs = qs.annotate(
        support_level_id=current_decision(user, "level_id"),
        support_second_level_id=current_decision(user, "second_level_id"),
        support_order=current_decision(user, "level__order"),
        overdue_actions=_overdue_actions_count(user, today),
        overdue_reviews=_overdue_reviews_count(user, today),
    ).annotate(overdue_total=F("overdue_actions") + F("overdue_reviews"))
    qs = engagement.with_last_engagement(qs, user=user)
    rows = list(
        qs.prefetch_related("local_authorities").order_by(
            *AREA_ORDERINGS.get(ordering, AREA_ORDERINGS["overdue"])
        )
    )
    by_pk = {level.pk: level for level in levels()} if rows else {}
    for row in rows:
        row.support_level = by_pk.get(row.support_level_id)
        row.support_second_level = by_pk.get(row.support_second_level_id)
    return rows


# The partnership dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRow:
    """The latest final grade of one quality indicator across the partnership's inspections."""

    indicator_id: int
    number: str
    title: str
    value: int
    label: str  # the scale's word, e.g. "Good"
    inspection_id: int
    inspection_title: str
    at: datetime.datetime
    published: bool  # False: final, but not published yet (seen by those who read drafts)

    @property
    def indicator(self) -> str:
        return f"{self.number} {self.title}".strip()


def latest_final_evaluations(*, user: User, partnership: Partnership) -> list[EvaluationRow]:
    """For each quality indicator graded in any of the partnership's inspections, its latest
    final grade the user may see: what was published (everyone signed in), or a final grade not
    yet published for those who read that inspection's drafts. Three queries."""
    if not user.is_authenticated or not user.is_active:
        return []
    candidates: list[EvaluationRow] = []
    # Final grades as they stand (the last link of the chain is final), for draft readers.
    links = EvaluationLink.objects.filter(
        inspection__partnership=partnership,
        inspection__archived_at__isnull=True,
        inspection__in=inspection_policy.with_drafts(user).values("pk"),
        stage=EvaluationStage.FINAL,
        next_link__isnull=True,
        level__isnull=False,
    ).select_related("quality_indicator", "level", "inspection")
    for link in links:
        candidates.append(
            EvaluationRow(
                indicator_id=link.quality_indicator_id,
                number=link.quality_indicator.number,
                title=link.quality_indicator.title,
                value=link.level.value,
                label=link.level.label,
                inspection_id=link.inspection_id,
                inspection_title=link.inspection.title,
                at=link.created_at,
                published=False,
            )
        )
    # What each published inspection's latest version published.
    latest_version = (
        PublishedVersion.objects.filter(inspection=OuterRef("inspection"))
        .order_by("-number")
        .values("pk")[:1]
    )
    versions = PublishedVersion.objects.filter(
        inspection__partnership=partnership,
        inspection__status__in=PUBLISHED_STATUSES,
        inspection__archived_at__isnull=True,
        pk=Subquery(latest_version),
    ).values("inspection_id", "inspection__title", "created_at", "content__evaluations")
    for version in versions:
        for evaluation in version["content__evaluations"] or []:
            level = evaluation.get("level")
            if not level:
                continue
            qi = evaluation["quality_indicator"]
            candidates.append(
                EvaluationRow(
                    indicator_id=qi["id"],
                    number=qi["number"],
                    title=qi["title"],
                    value=level["value"],
                    label=level["label"],
                    inspection_id=version["inspection_id"],
                    inspection_title=version["inspection__title"],
                    at=version["created_at"],
                    published=True,
                )
            )
    latest: dict[int, EvaluationRow] = {}
    for row in candidates:
        kept = latest.get(row.indicator_id)
        # Later wins; on the same moment the grade as it stands (re-finalised) wins.
        if kept is None or (row.at, not row.published) > (kept.at, not kept.published):
            latest[row.indicator_id] = row
    if not latest:
        return []
    order = {
        pk: (programme, position, number)
        for pk, programme, position, number in QualityIndicator.objects.filter(
            pk__in=latest
        ).values_list("pk", "programme__name", "order", "number")
    }
    return sorted(latest.values(), key=lambda r: (order.get(r.indicator_id, ("", 0, "")), r.number))


@dataclass(frozen=True)
class InspectionRow:
    inspection: Inspection
    next_milestone: Milestone | None
    next_state: str  # "due" or "overdue" ("" without a milestone)


def _next_milestones(
    user: User, inspection_ids: list[int], today: datetime.date
) -> dict[int, list[Milestone]]:
    """The milestones not yet done of these inspections, soonest first, for those who may see
    the inspections' unpublished work (one query)."""
    found: dict[int, list[Milestone]] = defaultdict(list)
    if not inspection_ids:
        return found
    milestones = milestone_policy.visible(
        user,
        Milestone.objects.filter(
            inspection_id__in=inspection_ids, completed_on__isnull=True, archived_at__isnull=True
        ),
    ).order_by("due_on", "order", "pk")
    for milestone in milestones:
        found[milestone.inspection_id].append(milestone)
    return found


def _inspection_rows(
    user: User, inspections: list[Inspection], today: datetime.date
) -> list[InspectionRow]:
    upcoming = _next_milestones(user, [i.pk for i in inspections], today)
    rows = []
    for inspection in inspections:
        nxt = upcoming[inspection.pk][0] if upcoming.get(inspection.pk) else None
        rows.append(
            InspectionRow(inspection, nxt, milestone_state(nxt, today) if nxt is not None else "")
        )
    return rows


def _plans_with_progress(
    user: User, partnership: Partnership, today: datetime.date
) -> list[ImprovementPlan]:
    live = Q(actions__archived_at__isnull=True)
    return list(
        plan_list(user=user, partnership=partnership)
        .annotate(
            actions_total=Count("actions", filter=live),
            actions_complete=Count(
                "actions", filter=live & Q(actions__status=ActionStatus.COMPLETE)
            ),
            actions_overdue=Count(
                "actions",
                filter=live
                & Q(actions__due_on__lt=today)
                & ~Q(actions__status__in=CLOSED_ACTION_STATUSES),
            ),
        )
        .order_by("-pk")
    )


@dataclass(frozen=True)
class MsgSummary:
    """The partnership's MSG self-evaluation: its rounds, the latest submitted one and how many
    proposals it rated at each level."""

    rounds: list[MsgSelfEvaluation]
    counts: list[tuple[str, int]]  # (level label, proposals), lowest level first

    @property
    def latest_submitted(self) -> MsgSelfEvaluation | None:
        return next((r for r in self.rounds if r.status == MsgStatus.SUBMITTED), None)

    @property
    def draft(self) -> MsgSelfEvaluation | None:
        """A round in progress (not yet submitted), if any."""
        return next((r for r in self.rounds if r.status == MsgStatus.DRAFT), None)

    @property
    def rated(self) -> int:
        return sum(n for _, n in self.counts)


def msg_summary(*, user: User, partnership: Partnership) -> MsgSummary:
    """Two queries: the rounds, and the ratings of the latest submitted one counted by level."""
    rounds = list(msg_rounds(user=user, partnership=partnership))
    counted = dict(
        MsgRating.objects.filter(
            archived_at__isnull=True,
            self_evaluation__in=latest_submitted_rounds(user)
            .filter(partnership=partnership)
            .values("pk"),
        )
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("rating", "n")
    )
    return MsgSummary(
        rounds=rounds,
        counts=[(level.label, counted.get(level.value, 0)) for level in MsgRatingLevel],
    )


@dataclass(frozen=True)
class PartnershipDashboard:
    detail: PartnershipDetail
    today: datetime.date
    support: PartnershipSupport
    evaluations: list[EvaluationRow]
    inspections: list[InspectionRow]
    plans: list[ImprovementPlan]
    overdue_actions: list[ImprovementAction]
    overdue_reviews: list[ProgressReview]
    upcoming_reviews: list[ProgressReview]
    msg: MsgSummary
    open_risks: list[Any]
    engagements: list[Any]

    @property
    def partnership(self) -> Partnership:
        return self.detail.partnership


def partnership_dashboard(
    *, user: User, pk: Any, today: datetime.date | None = None
) -> PartnershipDashboard:
    """Everything about one partnership the user may see; 404 if they may not see the
    partnership. A fixed number of queries."""
    today = _today(today)
    detail = partnership_detail(user=user, pk=pk, on=today)
    partnership = detail.partnership
    inspections = list(inspections_for_partnership(user=user, partnership=partnership))
    reviews = scheduled_reviews(user=user, partnership=partnership)
    return PartnershipDashboard(
        detail=detail,
        today=today,
        support=partnership_support(user=user, partnership=partnership),
        evaluations=latest_final_evaluations(user=user, partnership=partnership),
        inspections=_inspection_rows(user, inspections[:INSPECTIONS_SHOWN], today),
        plans=_plans_with_progress(user, partnership, today),
        overdue_actions=overdue_actions(user=user, partnership=partnership),
        overdue_reviews=reviews.overdue,
        upcoming_reviews=reviews.upcoming,
        msg=msg_summary(user=user, partnership=partnership),
        open_risks=engagement.open_risks(user=user, partnership=partnership),
        engagements=engagement.recent_engagements(
            user=user, partnership=partnership, limit=RECENT_ENGAGEMENTS
        ),
    )


# My work -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyInspection:
    membership: TeamMember
    next_milestone: Milestone | None
    next_state: str
    records_to_read: int

    @property
    def inspection(self) -> Inspection:
        return self.membership.inspection


@dataclass(frozen=True)
class MilestoneDue:
    milestone: Milestone
    state: str  # "due" or "overdue"


@dataclass(frozen=True)
class MyWork:
    today: datetime.date
    horizon: datetime.date
    inspections: list[MyInspection]
    milestones: list[MilestoneDue]
    records: list[ReviewedRecord]

    @property
    def overdue_milestones(self) -> int:
        return sum(1 for m in self.milestones if m.state == "overdue")


def my_work(*, user: User, today: datetime.date | None = None) -> MyWork:
    """The inspections the user is on (not closed or withdrawn) with their role, status and next
    milestone; the milestones of those inspections overdue or due within six weeks; and the
    records assigned to them to read that are not yet complete. Three queries."""
    today = _today(today)
    horizon = today + datetime.timedelta(days=MILESTONE_HORIZON_DAYS)
    visible = inspection_policy.visible(user, Inspection.objects.filter(archived_at__isnull=True))
    memberships = list(
        TeamMember.objects.filter(
            user=user, archived_at__isnull=True, inspection__in=visible.values("pk")
        )
        .exclude(inspection__status__in=TERMINAL)
        .select_related("inspection__partnership", "inspection__programme")
        .order_by(
            F("inspection__fieldwork_starts_on").asc(nulls_last=True),
            "inspection__title",
            "pk",
        )
    )
    ids = [m.inspection_id for m in memberships]
    upcoming = _next_milestones(user, ids, today)
    records = list(
        record_list(user=user, reader=user, ordering="reference")
        .filter(inspection__in=visible.values("pk"))
        .exclude(status=ReadingStatus.COMPLETE)
        .order_by("inspection__title", "inspection_id", "reference", "pk")
    )
    to_read: dict[int, int] = defaultdict(int)
    for record in records:
        to_read[record.inspection_id] += 1
    titles = {m.inspection_id: m.inspection for m in memberships}
    due: list[MilestoneDue] = []
    for inspection_id in ids:
        for milestone in upcoming.get(inspection_id, []):
            if milestone.due_on <= horizon:
                milestone.inspection = titles[inspection_id]  # no query per milestone
                due.append(MilestoneDue(milestone, milestone_state(milestone, today)))
    due.sort(key=lambda m: (m.milestone.due_on, m.milestone.inspection.title, m.milestone.pk))
    rows = []
    for membership in memberships:
        nxt = (upcoming.get(membership.inspection_id) or [None])[0]
        rows.append(
            MyInspection(
                membership=membership,
                next_milestone=nxt,
                next_state=milestone_state(nxt, today) if nxt is not None else "",
                records_to_read=to_read.get(membership.inspection_id, 0),
            )
        )
    return MyWork(today=today, horizon=horizon, inspections=rows, milestones=due, records=records)


# The overview (directors and chief executives) ---------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme_id: int
    name: str
    cells: list[tuple[str, str, int]]  # (status, its label, inspections), one per column

    @property
    def counts(self) -> list[int]:
        return [n for _, _, n in self.cells]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class StatusTable:
    """Inspections the user may see, counted by programme and status in the database."""

    statuses: list[tuple[str, str]]  # (value, label) of the statuses that occur, in order
    rows: list[ProgrammeRow]

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.statuses))]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


STATUS_ORDER = [*STATUS_SEQUENCE, InspectionStatus.SUSPENDED, InspectionStatus.WITHDRAWN]


def inspections_by_programme_and_status(*, user: User) -> StatusTable:
    """One query: live inspections the user may see, grouped by programme and status."""
    counted = (
        inspection_policy.visible(user, Inspection.objects.filter(archived_at__isnull=True))
        .values("programme_id", "programme__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_programme: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for row in counted:
        by_programme[(row["programme__name"], row["programme_id"])][row["status"]] = row["n"]
    present = {status for counts in by_programme.values() for status in counts}
    labels = dict(InspectionStatus.choices)
    statuses = [(s.value, labels[s]) for s in STATUS_ORDER if s in present]
    return StatusTable(
        statuses=statuses,
        rows=[
            ProgrammeRow(
                pk, name, [(value, label, counts.get(value, 0)) for value, label in statuses]
            )
            for (name, pk), counts in sorted(by_programme.items())
        ],
    )


@dataclass(frozen=True)
class SupportCount:
    level: SupportLevel | None  # None: no level agreed (or none the user may see)
    partnerships: int


def partnerships_by_support_level(*, user: User) -> list[SupportCount]:
    """How many live partnerships are at each level of support, their current level being their
    latest agreed decision the user may see: one query (the level of every partnership is a
    subquery, counted in the database) and the levels."""
    counted = dict(
        Partnership.objects.filter(archived_at__isnull=True)
        .annotate(current_level=current_decision(user, "level_id"))
        .values("current_level")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("current_level", "n")
    )
    rows = [SupportCount(level, counted.get(level.pk, 0)) for level in levels()]
    rows.append(SupportCount(None, counted.get(None, 0)))
    return rows


@dataclass(frozen=True)
class Overview:
    today: datetime.date
    cooperation: Any  # cooperation.selectors.Review, or None for those outside both bodies
    inspections: StatusTable
    support: list[SupportCount]

    @property
    def partnerships(self) -> int:
        return sum(row.partnerships for row in self.support)

    @property
    def overdue_escalations(self) -> int:
        if self.cooperation is None:
            return 0
        return sum(1 for e in self.cooperation.open_escalations if e.state.overdue)


def overview(*, user: User, today: datetime.date | None = None) -> Overview:
    from cooperation.policies import is_body_member
    from cooperation.selectors import review_overview

    today = _today(today)
    return Overview(
        today=today,
        cooperation=review_overview(user=user, today=today) if is_body_member(user) else None,
        inspections=inspections_by_programme_and_status(user=user),
        support=partnerships_by_support_level(user=user),
    )
