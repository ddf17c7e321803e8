"""Demo data for the link-inspector engagement log (called by `load_demo`): the CI demo link
inspector's engagement with Fife over the last few months, one risk still open (followed up
once) and one item of good practice shared. Built through the services, so History and
permissions are what real use would give. Safe to run again: each item is looked up by its
text first."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import engagement_services as services
from .models import (
    Engagement,
    EngagementKind,
    GoodPractice,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LocalAuthority,
    Partnership,
    PartnershipKind,
    ServiceArea,
)

DEMO_LINK_INSPECTOR = "link@ci.demo.example"

# (days ago, kind, what it was with: ("area", name) or ("partnership", name, kind),
#  areas of activity by number, notes)
DEMO_ENGAGEMENTS = [
    (
        70,
        EngagementKind.MEETING,
        ("partnership", "Fife", PartnershipKind.HEALTH_AND_SOCIAL_CARE),
        [1, 3],
        "Quarterly meeting with the chief officer and chief social work officer. Waiting lists "
        "for care at home have fallen since the new reablement service began; recruitment in "
        "the north-east of the area remains the main barrier.",
    ),
    (
        42,
        EngagementKind.VISIT,
        ("partnership", "Fife", PartnershipKind.ADULT_PROTECTION),
        [2, 4],
        "Visit to the adult protection committee's lead officer. Performance reports show "
        "inquiries taking longer to complete this year.",
    ),
    (
        21,
        EngagementKind.DATA_REVIEW,
        ("area", "Fife"),
        [1, 5, 6],
        "Review of the council's social work performance report for the last quarter, with the "
        "partnership's self-evaluation plan for next year.",
    ),
    (
        7,
        EngagementKind.MEETING,
        ("partnership", "Fife", PartnershipKind.ADULT_PROTECTION),
        [2, 4],
        "Follow-up with the lead officer on adult protection inquiry times: an improvement plan "
        "is in place, and the committee will see figures monthly.",
    ),
]

DEMO_RISK = {
    "found_by": 1,  # the visit
    "followed_by": 3,  # the follow-up meeting
    "title": "Adult protection inquiries taking longer to complete",
    "description": "Fewer inquiries were completed within the partnership's own timescale this "
    "year than last.",
    "likely_impact": "Adults at risk of harm may wait longer for protection plans to be put in "
    "place.",
}

DEMO_GOOD_PRACTICE = {
    "found_by": 2,  # the data review
    "title": "Daily multi-agency huddles for hospital discharge",
    "description": "Social work, health and care at home staff meet for fifteen minutes each "
    "morning to agree discharges, so that people leave hospital with support in place on the "
    "day they are ready.",
    "service_area": ServiceArea.ADULTS,
    "theme": "Hospital discharge",
}


def _subject(spec) -> dict:
    if spec[0] == "area":
        return {"local_authority": LocalAuthority.objects.get(name=spec[1])}
    return {"partnership": Partnership.objects.get(name=spec[1], kind=spec[2])}


@transaction.atomic
def load_engagement_demo(stdout=None) -> None:
    user = User.objects.filter(email__iexact=DEMO_LINK_INSPECTOR).first()
    if user is None:
        if stdout is not None:
            stdout.write("No demo link inspector: engagement demo data skipped.")
        return
    today = timezone.localdate()
    areas = {a.number: a for a in LinkActivityArea.objects.all()}
    engagements: list[Engagement] = []
    for days_ago, kind, subject, numbers, notes in DEMO_ENGAGEMENTS:
        engagement = Engagement.objects.filter(recorded_by=user, notes=notes).first()
        if engagement is None:
            engagement = services.engagement_create(
                by=user,
                engaged_on=today - datetime.timedelta(days=days_ago),
                kind=kind,
                areas=[areas[n] for n in numbers],
                notes=notes,
                **_subject(subject),
            )
        engagements.append(engagement)

    if not LinkRisk.objects.filter(title=DEMO_RISK["title"]).exists():
        risk = services.link_risk_create(
            by=user,
            engagement=engagements[DEMO_RISK["found_by"]],
            title=DEMO_RISK["title"],
            description=DEMO_RISK["description"],
            likely_impact=DEMO_RISK["likely_impact"],
        )
        services.link_risk_follow(
            risk=risk, engagement=engagements[DEMO_RISK["followed_by"]], by=user
        )

    if not GoodPractice.objects.filter(title=DEMO_GOOD_PRACTICE["title"]).exists():
        item = services.good_practice_create(
            by=user,
            engagement=engagements[DEMO_GOOD_PRACTICE["found_by"]],
            title=DEMO_GOOD_PRACTICE["title"],
            description=DEMO_GOOD_PRACTICE["description"],
            service_area=DEMO_GOOD_PRACTICE["service_area"],
            theme=DEMO_GOOD_PRACTICE["theme"],
        )
        services.good_practice_update(
            item=item,
            by=user,
            expected_version=item.version,
            changes={"status": GoodPracticeStatus.SHARED},
        )
