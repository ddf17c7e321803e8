"""What the dashboard tests share: the people (a link inspector, an inspector, a lead, a director,
a relationship manager and an outsider) and partnerships with a known set of data around them:
inspections with milestones and records to read, published grades, an agreed level of support,
an improvement plan with overdue actions, progress reviews, an MSG round, engagement, a risk and a
contact. Records are made through the services where the dashboards read what they write
(engagement), and directly where a long chain of steps would only slow the tests down."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.roles import Role
from improvement.models import (
    ActionStatus,
    ImprovementAction,
    ImprovementPlan,
    ProgressReview,
    ReviewKind,
    SupportAssessment,
    SupportDecision,
    SupportLevel,
)
from inspections.models import PublishedVersion
from inspections.report import content
from inspections.services import inspection_permissions_sync
from partnerships import engagement_services
from partnerships.models import (
    AreaRole,
    EngagementKind,
    LinkActivityArea,
    MsgProposal,
    MsgRating,
    MsgSelfEvaluation,
    PartnershipKind,
)
from tests import factories

LOCAL_PARTNERSHIP_LED, COMMISSIONED, ASSISTED, DIRECTED = 1, 2, 3, 4


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """n days from today (negative: ago)."""
    return today() + datetime.timedelta(days=n)


@dataclass
class People:
    link: object  # link inspector of every area built
    worker: object  # an inspector on each live inspection's team, reading records
    lead: object  # lead inspector of every inspection built
    director: object
    outsider: object  # an inspector with no connection to anything built


@pytest.fixture
def people(db) -> People:
    return make_people()


def make_people() -> People:
    """The people of these tests, with the emails they sign in with in the browser tests."""
    return People(
        link=factories.UserFactory(
            roles=[Role.INSPECTOR, Role.LINK_INSPECTOR],
            full_name="Lorna Link",
            email="link@ci.example.org",
        ),
        worker=factories.inspector(full_name="Ivor Inspector", email="inspector@ci.example.org"),
        lead=factories.lead_inspector(full_name="Leah Lead", email="lead@ci.example.org"),
        director=factories.senior(
            Role.DIRECTOR, "CI", full_name="Dora Director", email="director@ci.example.org"
        ),
        outsider=factories.inspector(full_name="Olive Outsider", email="outsider@ci.example.org"),
    )


def team(inspection, people: People, *, worker: bool = True) -> None:
    factories.TeamMemberFactory(inspection=inspection, user=people.lead, role="lead_inspector")
    if worker:
        factories.TeamMemberFactory(inspection=inspection, user=people.worker, role="inspector")
    inspection_permissions_sync(inspection=inspection)


def live_inspection(partnership, people: People, n: int, **kwargs):
    """An inspection in fieldwork with the worker on the team, one overdue milestone, one due in
    a fortnight and one in two months, and two records for the worker to read (one complete)."""
    values = {"status": "fieldwork", "title": f"Inspection of partnership {n}"}
    values.update(kwargs)
    inspection = factories.InspectionFactory(partnership=partnership, **values)
    team(inspection, people)
    for name, offset in [
        (f"Fieldwork ends {n}", -3),
        (f"Report drafted {n}", 14),
        (f"Report published {n}", 60),
    ]:
        factories.MilestoneFactory(
            inspection=inspection, name=name, planned_due_on=days(offset), due_on=days(offset)
        )
    factories.ReviewedRecordFactory(
        inspection=inspection, reader=people.worker, reference=f"SW/{n:03d}01"
    )
    factories.ReviewedRecordFactory(
        inspection=inspection,
        reader=people.worker,
        reference=f"SW/{n:03d}02",
        status="complete",
        read_on=days(-1),
    )
    return inspection


def published_inspection(partnership, people: People, n: int, *, grade: int = 4):
    """A published inspection whose first indicator was graded `grade`, frozen as version 1."""
    inspection = factories.InspectionFactory(
        partnership=partnership,
        status="published",
        published_on=days(-100),
        title=f"Published inspection of partnership {n}",
    )
    team(inspection, people, worker=False)
    indicator = inspection.quality_indicators.order_by("order", "pk").first()
    factories.final_evaluation(inspection, indicator, people.lead, value=grade)
    PublishedVersion.objects.create(
        inspection=inspection,
        number=1,
        published_on=days(-100),
        content=content.build(inspection, number=1, published_on=days(-100), reason=""),
        created_by=people.lead,
    )
    return inspection


def agree_level(partnership, inspection, people: People, order: int):
    assessment = SupportAssessment.objects.create(
        partnership=partnership,
        inspection=inspection,
        assessed_on=days(-50),
        created_by=people.lead,
    )
    return SupportDecision.objects.create(
        assessment=assessment,
        level=SupportLevel.objects.get(order=order),
        rationale="Our judgement.",
        status="agreed",
        decided_by=people.lead,
        agreed_by=people.lead,
        agreed_at=timezone.now(),
    )


def improvement_plan(partnership, inspection, n: int, *, overdue_actions: int = 1):
    """A plan with `overdue_actions` overdue actions, one complete (past its date, so not
    overdue) and one due next month."""
    plan = ImprovementPlan.objects.create(
        partnership=partnership, inspection=inspection, title=f"Improvement plan {n}"
    )
    owner = {"owner_name": "Ann Owner", "owner_organisation": "Council"}
    for k in range(overdue_actions):
        ImprovementAction.objects.create(
            plan=plan,
            description=f"Overdue action {n}.{k + 1}",
            due_on=days(-5 - k),
            status=ActionStatus.ON_TRACK,
            **owner,
        )
    ImprovementAction.objects.create(
        plan=plan,
        description=f"Completed action {n}",
        due_on=days(-20),
        status=ActionStatus.COMPLETE,
        **owner,
    )
    ImprovementAction.objects.create(
        plan=plan, description=f"Next action {n}", due_on=days(30), **owner
    )
    return plan


def reviews(partnership, *, overdue: int = 1) -> None:
    for k in range(overdue):
        ProgressReview.objects.create(
            partnership=partnership, kind=ReviewKind.FORMAL, due_on=days(-7 - k)
        )
    ProgressReview.objects.create(
        partnership=partnership, kind=ReviewKind.MONITORING, due_on=days(30)
    )


MSG_RATINGS = ["not_yet_established", "partly_established", "established", "established"]


def msg_round(partnership) -> MsgSelfEvaluation:
    """A submitted round rating the first four proposals (one not yet established, one partly,
    two established)."""
    round_ = MsgSelfEvaluation.objects.create(
        partnership=partnership, evaluated_on=days(-60), status="submitted"
    )
    for proposal, rating in zip(
        MsgProposal.objects.order_by("order", "number")[:4], MSG_RATINGS, strict=True
    ):
        MsgRating.objects.create(self_evaluation=round_, proposal=proposal, rating=rating)
    return round_


def engage(partnership, people: People, n: int, *, days_ago: int = 10, risk: bool = True):
    """An engagement with the partnership `days_ago` days ago, and the risk it found."""
    engagement = engagement_services.engagement_create(
        by=people.link,
        partnership=partnership,
        engaged_on=days(-days_ago),
        kind=EngagementKind.MEETING,
        areas=LinkActivityArea.objects.filter(number=1),
        notes=f"Met the chief officer of partnership {n}.",
    )
    if risk:
        engagement_services.link_risk_create(
            by=people.link,
            engagement=engagement,
            title=f"Risk {n}: waiting lists for assessment growing",
            likely_impact="People wait longer for support.",
        )
    return engagement


def area_partnership(people: People, n: int, *, follower=None, role=AreaRole.LINK_INSPECTOR):
    """A council area followed by the link inspector (or `follower`) and a partnership covering
    it."""
    area = factories.LocalAuthorityFactory(name=f"Council area {n}")
    partnership = factories.PartnershipFactory(
        name=f"Partnership {n:02d}",
        kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE,
        local_authorities=[area],
    )
    factories.AreaAssignmentFactory(
        user=follower or people.link, local_authority=area, role=role, started_on=days(-200)
    )
    return partnership


def partnership_with_data(
    people: People,
    n: int,
    *,
    overdue_actions: int = 1,
    overdue_reviews: int = 1,
    engaged_days_ago: int | None = 10,
    level: int | None = ASSISTED,
):
    """A partnership in the link inspector's areas with every kind of record a dashboard shows."""
    partnership = area_partnership(people, n)
    factories.ContactFactory(partnership=partnership, name=f"Chief Officer {n}")
    live_inspection(partnership, people, n)
    published = published_inspection(partnership, people, n)
    if level is not None:
        agree_level(partnership, published, people, level)
    improvement_plan(partnership, published, n, overdue_actions=overdue_actions)
    reviews(partnership, overdue=overdue_reviews)
    msg_round(partnership)
    if engaged_days_ago is not None:
        engage(partnership, people, n, days_ago=engaged_days_ago)
    return partnership
