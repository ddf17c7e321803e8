"""Who may ask for, see and download the PDF reports.

A report is made for an audience (reports.models.Audience), chosen when it is asked for from
what the person asking may read of its record:

- An inspection report: everyone who may see a published inspection reads the report as
  published (general); those who read the inspection's unpublished work also get its team and,
  before publication, its draft findings and grades (unpublished); team members cleared to see
  its evidence also get the record-reading results of an inspection still in progress
  (evidence). An unpublished inspection is seen only by readers of its unpublished work.
- A partnership profile: every signed-in user reads the partnership, its published inspections
  and evaluations (general); those who read the unpublished work of every inspection of it and
  all its support decisions also get its inspections in progress and its current level of
  support (unpublished).
- A co-operation quarterly report: staff of either body (general), as for the log itself.

A report is visible to, and downloadable by, someone who may see its record and reads at least
what its audience reads. Anyone else gets "Page not found"; lists leave it out. Asking for a
report needs only sight of its record: it makes a copy of what the person asking may read."""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cooperation.policies import is_body_member
from improvement.models import SupportAssessment
from improvement.policies import assessment_policy
from inspections.models import PUBLISHED_STATUSES, Inspection
from inspections.policies import VIEW as VIEW_INSPECTIONS
from inspections.policies import inspection_policy
from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny.permissions import Policy, per_request, remembering

from .models import AUDIENCE_RANK, Audience, GeneratedReport, ReportKind

if TYPE_CHECKING:
    from accounts.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# Inspections ---------------------------------------------------------------------------------


def inspection_reader_level(user: User, inspection: Inspection) -> Audience | None:
    """How much of this inspection the user reads (None: they may not see it at all)."""
    if not _active(user) or not inspection_policy.can_view(user, inspection):
        return None
    if not inspection_policy.can_see_drafts(user, inspection):
        return Audience.GENERAL
    if inspection_policy.can_view_evidence(user, inspection):
        return Audience.EVIDENCE
    return Audience.UNPUBLISHED


def inspection_audience(user: User, inspection: Inspection) -> Audience | None:
    """The audience of an inspection report this user asks for, or None if they may not. Once
    published, the report is the published one (its record-reading figures included), so the
    evidence adds nothing: such reports are shared with every reader of the unpublished work."""
    level = inspection_reader_level(user, inspection)
    if level is None:
        return None
    if inspection.is_published:
        return Audience.UNPUBLISHED if level == Audience.EVIDENCE else level
    return None if level == Audience.GENERAL else level


# Partnerships --------------------------------------------------------------------------------


def _ids(queryset: QuerySet) -> list[int]:
    """The ids a permission queryset selects, read in one query. Composing the policies'
    subqueries inside one another goes deeper than SQLite's parser allows; a list of ids does
    not, and keeps each permission question to a fixed number of queries. (Within a request
    the policies answer from ids read once, so their querysets are shallow and go in as they
    are: see `_pks`.)"""
    return list(queryset.values_list("pk", flat=True))


def _pks(queryset: QuerySet) -> QuerySet | list[int]:
    """The ids of a permission queryset for an `__in` filter: a (shallow) subquery within a
    request, where the policies filter on ids read once; a list of ids outside one."""
    return queryset.values("pk") if remembering() else _ids(queryset)


def _read_in_full(user: User) -> QuerySet[Partnership]:
    hidden_inspections = (
        Inspection.objects.filter(archived_at__isnull=True)
        .exclude(status__in=PUBLISHED_STATUSES)
        .exclude(pk__in=_pks(inspection_policy.with_drafts(user)))
        .values("partnership_id")
    )
    hidden_support = SupportAssessment.objects.exclude(
        pk__in=_pks(assessment_policy.visible(user, SupportAssessment.objects.all()))
    ).values("partnership_id")
    return Partnership.objects.exclude(pk__in=hidden_inspections).exclude(pk__in=hidden_support)


def read_in_full_ids(user: User) -> frozenset[int]:
    """Ids of partnerships_read_in_full(user): one query, once per request."""
    if not _active(user):
        return frozenset()
    return per_request(
        user,
        "reports.read_in_full",
        lambda: frozenset(_read_in_full(user).order_by().values_list("pk", flat=True)),
    )


def partnerships_read_in_full(user: User) -> QuerySet[Partnership]:
    """Partnerships of which the user reads everything a profile shows: the unpublished work of
    every live inspection still unpublished, and every support assessment (with its
    decisions)."""
    if not _active(user):
        return Partnership.objects.none()
    if remembering():
        return Partnership.objects.filter(pk__in=sorted(read_in_full_ids(user)))
    return _read_in_full(user)


def partnership_reader_level(user: User, partnership: Partnership) -> Audience | None:
    if not _active(user) or not partnership_policy.can_view(user, partnership):
        return None
    if remembering():
        full = partnership.pk in read_in_full_ids(user)
    else:
        full = partnerships_read_in_full(user).filter(pk=partnership.pk).exists()
    return Audience.UNPUBLISHED if full else Audience.GENERAL


# Co-operation --------------------------------------------------------------------------------


def cooperation_reader_level(user: User) -> Audience | None:
    return Audience.GENERAL if is_body_member(user) else None


def audience_for(
    user: User,
    kind: str,
    *,
    inspection: Inspection | None = None,
    partnership: Partnership | None = None,
) -> Audience | None:
    """The audience of a report of this kind the user asks for; None if they may not ask."""
    if kind == ReportKind.INSPECTION_REPORT and inspection is not None:
        return inspection_audience(user, inspection)
    if kind == ReportKind.PARTNERSHIP_PROFILE and partnership is not None:
        return partnership_reader_level(user, partnership)
    if kind == ReportKind.COOPERATION_QUARTER:
        return cooperation_reader_level(user)
    return None


def _up_to(level: Audience) -> list[str]:
    return [a for a, rank in AUDIENCE_RANK.items() if rank <= AUDIENCE_RANK[level]]


class GeneratedReportPolicy(Policy[GeneratedReport]):
    model = GeneratedReport

    def visible(
        self, user: User, queryset: QuerySet[GeneratedReport], *, kind: str = ""
    ) -> QuerySet[GeneratedReport]:
        """The reports the user may see; given a `kind`, only those of that kind (and only that
        kind's rule is worked out)."""
        queryset = super().visible(user, queryset)
        if not _active(user):
            return queryset
        remembered = remembering()
        wanted = []
        if kind in ("", ReportKind.INSPECTION_REPORT):
            rule = self._inspection_rule if remembered else self._inspection_rule_listed
            wanted.append(Q(kind=ReportKind.INSPECTION_REPORT) & rule(user))
        if kind in ("", ReportKind.PARTNERSHIP_PROFILE):
            rule = self._profile_rule if remembered else self._profile_rule_listed
            wanted.append(Q(kind=ReportKind.PARTNERSHIP_PROFILE) & rule(user))
        if kind in ("", ReportKind.COOPERATION_QUARTER) and is_body_member(user):
            wanted.append(Q(kind=ReportKind.COOPERATION_QUARTER, audience=Audience.GENERAL))
        if not wanted:
            return queryset.none()
        return queryset.filter(reduce(operator.or_, wanted))

    # Outside a request: each set of records as a list of ids (see `_ids`).

    def _inspection_rule_listed(self, user: User) -> Q:
        drafts = set(_ids(inspection_policy.with_drafts(user)))
        evidence = drafts & set(_ids(inspection_policy.inspections_with_evidence(user)))
        return (
            Q(
                audience=Audience.GENERAL,
                inspection__in=_ids(inspection_policy.visible(user, Inspection.objects.all())),
            )
            | Q(audience=Audience.UNPUBLISHED, inspection__in=drafts)
            | Q(audience=Audience.EVIDENCE, inspection__in=evidence)
        )

    def _profile_rule_listed(self, user: User) -> Q:
        return Q(
            audience=Audience.GENERAL,
            partnership__in=_ids(partnership_policy.visible(user, Partnership.objects.all())),
        ) | Q(
            audience=Audience.UNPUBLISHED,
            partnership__in=_ids(partnerships_read_in_full(user)),
        )

    # Within a request: the same rules on the ids the policies read once per request, and the
    # inspection's status (no list of every visible inspection).

    def _inspection_rule(self, user: User) -> Q:
        drafts = inspection_policy.drafts_filter(user)
        if user.has_perm(VIEW_INSPECTIONS):
            general = Q(inspection__isnull=False)
            evidence = inspection_policy.evidence_ids(user)
        else:
            general = Q(inspection__status__in=PUBLISHED_STATUSES) | drafts
            evidence = inspection_policy.drafts_ids(user) & inspection_policy.evidence_ids(user)
        return (
            (Q(audience=Audience.GENERAL) & general)
            | (Q(audience=Audience.UNPUBLISHED) & drafts)
            | Q(audience=Audience.EVIDENCE, inspection__in=sorted(evidence))
        )

    def _profile_rule(self, user: User) -> Q:
        seen = partnership_policy.visible(user, Partnership.objects.all())
        return Q(audience=Audience.GENERAL, partnership__in=seen.values("pk")) | Q(
            audience=Audience.UNPUBLISHED, partnership__in=sorted(read_in_full_ids(user))
        )

    def can_view(self, user: User, obj: GeneratedReport) -> bool:
        """One record's rule, without the list filter's subqueries."""
        if not _active(user):
            return False
        if obj.kind == ReportKind.INSPECTION_REPORT:
            level = inspection_reader_level(user, obj.inspection)
        elif obj.kind == ReportKind.PARTNERSHIP_PROFILE:
            level = partnership_reader_level(user, obj.partnership)
        else:
            level = cooperation_reader_level(user)
        return level is not None and obj.audience in _up_to(level)


report_policy = GeneratedReportPolicy()
