"""A year of link-inspector engagement (seed 001): each council area's link inspector meeting,
visiting and reviewing, mostly about the area and sometimes about one of its partnerships; the
risks they found, followed until closed; good practice, shared after a while. And each health and
social care partnership's yearly round of MSG self-evaluation, validated by its link inspector."""

from __future__ import annotations

import datetime

from partnerships.models import (
    Engagement,
    EngagementKind,
    GoodPractice,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
    LocalAuthority,
    MsgProposal,
    MsgRating,
    MsgRatingLevel,
    MsgSelfEvaluation,
    MsgStatus,
    Partnership,
    PartnershipKind,
)

from . import words
from .base import SeedRun, at, bulk, bulk_through, days
from .people import Staff, link_assignments


def seed_engagement_year(run: SeedRun, year: int) -> dict[str, int]:
    rng = run.rng("engagement", year)
    staff = Staff.load()
    by_area = link_assignments()
    areas = list(LocalAuthority.objects.order_by("name").prefetch_related("partnerships"))
    activity = list(LinkActivityArea.objects.order_by("number").values_list("pk", flat=True))
    per_area = max(1, round(10 * run.scale))

    engagements = []
    for area in areas:
        partnerships = sorted(area.partnerships.all(), key=lambda p: (p.kind, p.name))
        for _ in range(per_area):
            on = datetime.date(year, 1, 1) + days(rng.randint(0, 364))
            if on > run.until:
                continue
            user = staff.link_inspector_on(area.pk, on, by_area)
            if user is None:
                continue
            about_partnership = partnerships and rng.random() < 0.3
            engagements.append(
                Engagement(
                    local_authority=None if about_partnership else area,
                    partnership=rng.choice(partnerships) if about_partnership else None,
                    engaged_on=on,
                    kind=rng.choice(list(EngagementKind)),
                    notes=rng.choice(words.ENGAGEMENT_NOTES),
                    recorded_by=user,
                )
            )
    engagements = bulk(Engagement, engagements)
    bulk_through(
        Engagement.areas,
        [
            (e.pk, pk)
            for e in engagements
            for pk in rng.sample(activity, min(len(activity), rng.randint(1, 3)))
        ],
    )

    risks, risk_sources, practice, practice_sources = [], [], [], []
    for engagement in engagements:
        roll = rng.random()
        if roll < 0.1:
            title, impact = rng.choice(words.LINK_RISKS)
            closed_on = engagement.engaged_on + days(rng.randint(90, 400))
            closed = closed_on <= run.until
            risks.append(
                LinkRisk(
                    local_authority=engagement.local_authority,
                    partnership=engagement.partnership,
                    title=title,
                    likely_impact=impact,
                    identified_on=engagement.engaged_on,
                    status=LinkRiskStatus.CLOSED
                    if closed
                    else rng.choice([LinkRiskStatus.OPEN, LinkRiskStatus.MONITORING]),
                    closed_on=closed_on if closed else None,
                    closing_note="The partnership's action reduced the risk." if closed else "",
                )
            )
            risk_sources.append(engagement)
        elif roll < 0.15:
            title, service_area, theme = rng.choice(words.GOOD_PRACTICE_TITLES)
            shared_on = engagement.engaged_on + days(rng.randint(30, 200))
            shared = shared_on <= run.until
            practice.append(
                GoodPractice(
                    local_authority=engagement.local_authority,
                    partnership=engagement.partnership,
                    title=title,
                    description=rng.choice(words.GOOD_PRACTICE),
                    service_area=service_area,
                    theme=theme,
                    status=GoodPracticeStatus.SHARED if shared else GoodPracticeStatus.IDENTIFIED,
                    identified_on=engagement.engaged_on,
                    shared_on=shared_on if shared else None,
                )
            )
            practice_sources.append(engagement)
    risks = bulk(LinkRisk, risks)
    bulk_through(
        LinkRisk.engagements, [(r.pk, e.pk) for r, e in zip(risks, risk_sources, strict=True)]
    )
    practice = bulk(GoodPractice, practice)
    bulk_through(
        GoodPractice.engagements,
        [(g.pk, e.pk) for g, e in zip(practice, practice_sources, strict=True)],
    )
    counts = {
        "engagements": len(engagements),
        "link risks": len(risks),
        "good practice": len(practice),
    }
    counts.update(_msg_rounds(run, year, rng, staff, by_area))
    return counts


LEVELS = list(MsgRatingLevel)


def _msg_rounds(run: SeedRun, year: int, rng, staff: Staff, by_area) -> dict[str, int]:
    proposals = list(MsgProposal.objects.filter(archived_at__isnull=True).order_by("order"))
    partnerships = list(
        Partnership.objects.filter(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE)
        .order_by("name")
        .prefetch_related("local_authorities")
    )
    rounds, owners = [], []
    progress = (year - run.first_year) / max(1, run.years)
    for partnership in partnerships:
        on = datetime.date(year, 5, 1) + days(rng.randint(0, 120))
        if on > run.until:
            continue
        submitted = on + days(30) <= run.until
        rounds.append(
            MsgSelfEvaluation(
                partnership=partnership,
                evaluated_on=on,
                status=MsgStatus.SUBMITTED if submitted else MsgStatus.DRAFT,
                notes="Self-evaluation by the integration joint board's leadership team.",
            )
        )
        owners.append(partnership)
    rounds = bulk(MsgSelfEvaluation, rounds)
    ratings = []
    for msg_round, partnership in zip(rounds, owners, strict=True):
        area = next(iter(partnership.local_authorities.all()), None)
        validator = (
            staff.link_inspector_on(area.pk, msg_round.evaluated_on, by_area) if area else None
        )
        for proposal in proposals:
            level = min(3, max(0, round(rng.gauss(0.6 + 2 * progress, 0.8))))
            validated = validator is not None and msg_round.status == MsgStatus.SUBMITTED
            validated = validated and rng.random() < 0.5
            ratings.append(
                MsgRating(
                    self_evaluation=msg_round,
                    proposal=proposal,
                    rating=LEVELS[level],
                    comment=rng.choice(words.MSG_COMMENTS),
                    evidence="Integration joint board papers." if rng.random() < 0.5 else "",
                    validation_note="Borne out by the link inspector's engagement."
                    if validated
                    else "",
                    validated_by=validator if validated else None,
                    validated_at=at(min(msg_round.evaluated_on + days(45), run.until))
                    if validated
                    else None,
                )
            )
    bulk(MsgRating, ratings)
    return {"MSG rounds": len(rounds), "MSG ratings": len(ratings)}
