"""Reads for the link-inspector engagement log: engagements, the risks they found and good
practice. Every list goes through the policies' `visible` filter and runs a fixed number of
queries whatever its length."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import (
    Engagement,
    GoodPractice,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    Partnership,
)
from .policies import (
    engagement_policy,
    followed_area_ids,
    good_practice_policy,
    link_risk_policy,
)

if TYPE_CHECKING:
    from accounts.models import User

# Risks not yet closed: open or being monitored.
CURRENT = "current"

ENGAGEMENT_ORDERINGS = {
    "-date": ("-engaged_on", "-pk"),
    "date": ("engaged_on", "pk"),
    "kind": ("kind", "-engaged_on", "-pk"),
}
RISK_ORDERINGS = {
    "-found": ("-identified_on", "-pk"),
    "found": ("identified_on", "pk"),
    "title": ("title", "pk"),
    "status": ("status", "-identified_on", "-pk"),
    "-last": ("-last_engagement_on", "-pk"),
}
GOOD_PRACTICE_ORDERINGS = {
    "-found": ("-identified_on", "-pk"),
    "found": ("identified_on", "pk"),
    "title": ("title", "pk"),
}


def _archived(qs: QuerySet, include_archived: bool) -> QuerySet:
    return qs if include_archived else qs.filter(archived_at__isnull=True)


def _dates(qs: QuerySet, field: str, date_from, date_to) -> QuerySet:
    if date_from:
        qs = qs.filter(**{f"{field}__gte": date_from})
    if date_to:
        qs = qs.filter(**{f"{field}__lte": date_to})
    return qs


def _in_area_log(local_authority: LocalAuthority | int) -> Q:
    """Entries about the council area or about a partnership covering it."""
    pk = getattr(local_authority, "pk", local_authority)
    covering = Partnership.objects.filter(local_authorities=pk).values("pk")
    return Q(local_authority=pk) | Q(partnership__in=covering)


def _words(search: str) -> list[str]:
    return [word for word in search.split() if word][:10]


def _search(qs: QuerySet, search: str, fields: tuple[str, ...]) -> QuerySet:
    """Every word of the search appears in one of the fields (any case)."""
    for word in _words(search):
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(match)
    return qs


def _linked_count(model, field: str) -> Coalesce:
    """How many unarchived `model` rows link to the outer row through `field` (a correlated
    subquery, so a list costs no extra query per row)."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, archived_at__isnull=True)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _subjects(qs: QuerySet) -> QuerySet:
    return qs.select_related("local_authority", "partnership")


def _areas_prefetch() -> Prefetch:
    return Prefetch("areas", queryset=LinkActivityArea.objects.order_by("number"))


# Engagements ---------------------------------------------------------------------------------


def engagement_list(
    *,
    user: User,
    local_authority: LocalAuthority | None = None,
    partnership: Partnership | None = None,
    kind: str = "",
    area: LinkActivityArea | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "-date",
    include_archived: bool = False,
) -> QuerySet[Engagement]:
    """Engagements the user may see, newest first, with the areas of activity each covered and
    counts of the risks and good practice it found. `local_authority` gives the area's whole
    log (the area and the partnerships covering it)."""
    qs = _archived(engagement_policy.visible(user, Engagement.objects.all()), include_archived)
    if local_authority is not None:
        qs = qs.filter(_in_area_log(local_authority))
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if kind:
        qs = qs.filter(kind=kind)
    if area is not None:
        qs = qs.filter(areas=area)
    qs = _dates(qs, "engaged_on", date_from, date_to)
    qs = _search(qs, search, ("notes",))
    qs = qs.annotate(
        risk_count=_linked_count(LinkRisk, "engagements"),
        good_practice_count=_linked_count(GoodPractice, "engagements"),
    )
    return (
        _subjects(qs)
        .select_related("recorded_by")
        .prefetch_related(_areas_prefetch())
        .order_by(*ENGAGEMENT_ORDERINGS.get(ordering, ENGAGEMENT_ORDERINGS["-date"]))
    )


def engagement_get(*, user: User, pk: Any) -> Engagement:
    """The engagement with what it found, or 404 if it does not exist or the user may not see
    it."""
    return engagement_policy.get_visible_or_404(
        user,
        _subjects(Engagement.objects.select_related("recorded_by")).prefetch_related(
            _areas_prefetch(),
            Prefetch(
                "risks",
                queryset=LinkRisk.objects.filter(archived_at__isnull=True).order_by(
                    "-identified_on", "-pk"
                ),
            ),
            Prefetch(
                "good_practice",
                queryset=GoodPractice.objects.filter(archived_at__isnull=True).order_by(
                    "-identified_on", "-pk"
                ),
            ),
        ),
        pk=pk,
    )


# Risks ---------------------------------------------------------------------------------------


def _last_engagement(field: str = "engaged_on") -> Subquery:
    return Subquery(
        Engagement.objects.filter(risks=OuterRef("pk"), archived_at__isnull=True)
        .order_by(f"-{field}")
        .values(field)[:1]
    )


def link_risk_list(
    *,
    user: User,
    local_authority: LocalAuthority | None = None,
    partnership: Partnership | None = None,
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
    ordering: str = "-found",
    include_archived: bool = False,
) -> QuerySet[LinkRisk]:
    """Risks the user may see (found between `date_from` and `date_to`), with the date of the
    last engagement that followed each. `status` may be "current" (open or monitoring)."""
    qs = _archived(link_risk_policy.visible(user, LinkRisk.objects.all()), include_archived)
    if local_authority is not None:
        qs = qs.filter(_in_area_log(local_authority))
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if status == CURRENT:
        qs = qs.exclude(status=LinkRiskStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    qs = _dates(qs, "identified_on", date_from, date_to)
    qs = _search(qs, search, ("title", "description", "likely_impact"))
    qs = qs.annotate(
        last_engagement_on=_last_engagement(),
        engagement_count=_linked_count(Engagement, "risks"),
    )
    return _subjects(qs).order_by(*RISK_ORDERINGS.get(ordering, RISK_ORDERINGS["-found"]))


def link_risk_get(*, user: User, pk: Any) -> LinkRisk:
    """The risk with the engagements that found and followed it (newest first), or 404."""
    return link_risk_policy.get_visible_or_404(
        user,
        _subjects(LinkRisk.objects.all()).prefetch_related(
            Prefetch(
                "engagements",
                queryset=_subjects(Engagement.objects.filter(archived_at__isnull=True))
                .select_related("recorded_by")
                .order_by("-engaged_on", "-pk"),
            )
        ),
        pk=pk,
    )


def risks_to_follow(*, user: User, engagement: Engagement) -> QuerySet[LinkRisk]:
    """Risks not yet closed in the engagement's council areas that it does not follow yet."""
    area_ids = engagement_area_ids(engagement)
    covering = Partnership.objects.filter(local_authorities__in=area_ids).values("pk")
    return (
        link_risk_policy.visible(user, LinkRisk.objects.filter(archived_at__isnull=True))
        .exclude(status=LinkRiskStatus.CLOSED)
        .filter(Q(local_authority__in=area_ids) | Q(partnership__in=covering))
        .exclude(engagements=engagement)
        .select_related("local_authority", "partnership")
        .order_by("title", "pk")
    )


def engagement_area_ids(entry) -> list[int]:
    """The council areas an engagement log entry is about: its area, or those its partnership
    covers."""
    if entry.local_authority_id:
        return [entry.local_authority_id]
    return list(entry.partnership.local_authorities.values_list("pk", flat=True))


def open_risks(partnership: Partnership, *, user: User | None = None) -> QuerySet[LinkRisk]:
    """Risks not yet closed (open or monitoring) recorded against the partnership or a council
    area it covers; only those the user may see when a user is given."""
    qs = LinkRisk.objects.filter(archived_at__isnull=True).exclude(status=LinkRiskStatus.CLOSED)
    if user is not None:
        qs = link_risk_policy.visible(user, qs)
    areas = partnership.local_authorities.values("pk")
    return (
        _subjects(qs.filter(Q(partnership=partnership) | Q(local_authority__in=areas)))
        .annotate(last_engagement_on=_last_engagement())
        .order_by("-identified_on", "-pk")
    )


# Good practice -------------------------------------------------------------------------------


def good_practice_list(
    *,
    user: User,
    search: str = "",
    local_authority: LocalAuthority | None = None,
    partnership: Partnership | None = None,
    service_area: str = "",
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    ordering: str = "-found",
    include_archived: bool = False,
) -> QuerySet[GoodPractice]:
    """The national list of good practice the user may see. Every word of `search` must appear
    in the title, description or theme."""
    qs = _archived(good_practice_policy.visible(user, GoodPractice.objects.all()), include_archived)
    if local_authority is not None:
        qs = qs.filter(_in_area_log(local_authority))
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if service_area:
        qs = qs.filter(service_area=service_area)
    if status:
        qs = qs.filter(status=status)
    qs = _dates(qs, "identified_on", date_from, date_to)
    qs = _search(qs, search, ("title", "description", "theme"))
    return _subjects(qs).order_by(
        *GOOD_PRACTICE_ORDERINGS.get(ordering, GOOD_PRACTICE_ORDERINGS["-found"])
    )


def good_practice_get(*, user: User, pk: Any) -> GoodPractice:
    """The good practice with the engagements that found it (those the user may see), or 404."""
    engagements = engagement_policy.visible(
        user, Engagement.objects.filter(archived_at__isnull=True)
    )
    return good_practice_policy.get_visible_or_404(
        user,
        _subjects(GoodPractice.objects.all()).prefetch_related(
            Prefetch(
                "engagements",
                queryset=_subjects(engagements)
                .select_related("recorded_by")
                .order_by("-engaged_on", "-pk"),
            )
        ),
        pk=pk,
    )


# For dashboards and the pages that add to the log ----------------------------------------------


def _last_engagement_subquery(user: User | None) -> Subquery:
    engagements = Engagement.objects.filter(archived_at__isnull=True)
    if user is not None:
        engagements = engagement_policy.visible(user, engagements)
    return Subquery(
        engagements.filter(
            Q(partnership=OuterRef("pk")) | Q(local_authority__partnerships=OuterRef("pk"))
        )
        .order_by("-engaged_on")
        .values("engaged_on")[:1]
    )


def with_last_engagement(
    partnerships: QuerySet[Partnership], *, user: User | None = None
) -> QuerySet[Partnership]:
    """Annotate each partnership with `last_engagement_on`: the date of the latest engagement
    with it or with a council area it covers (None if there is none). Given a user, only the
    engagements they may see count. One query, whatever the number of partnerships."""
    return partnerships.annotate(last_engagement_on=_last_engagement_subquery(user))


def last_engagement_on(
    partnerships: QuerySet[Partnership], *, user: User | None = None
) -> dict[int, datetime.date | None]:
    """{partnership id: date of its last engagement (or None)}, in one query."""
    return dict(
        with_last_engagement(partnerships, user=user)
        .order_by()
        .values_list("pk", "last_engagement_on")
    )


def subjects_for(user: User) -> tuple[QuerySet[LocalAuthority], QuerySet[Partnership]]:
    """The council areas and partnerships whose log this user may add to: those they follow,
    or every current one for an administrator."""
    areas = LocalAuthority.objects.filter(archived_at__isnull=True).order_by("name")
    partnerships = Partnership.objects.filter(archived_at__isnull=True).order_by("name", "kind")
    if user.has_perm("partnerships.add_engagement"):
        return areas, partnerships
    followed = followed_area_ids(user)
    return (
        areas.filter(pk__in=followed),
        partnerships.filter(
            pk__in=Partnership.objects.filter(local_authorities__in=followed).values("pk")
        ),
    )


def followed_areas(user: User) -> QuerySet[LocalAuthority]:
    """The council areas the user currently follows, for links to their logs."""
    return LocalAuthority.objects.filter(pk__in=followed_area_ids(user)).order_by("name")
