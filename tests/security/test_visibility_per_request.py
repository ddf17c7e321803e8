"""Within a request the policies answer from each user's permissions read once (their object
permissions on inspections, the council areas they are link inspector of, the inspections whose
drafts they read, ...), and outside one from subqueries, as before. Both must give every person
the same answer to every question; and what is read once must never outlive its request or
pass from one user to another."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from scrutiny.permissions import (
    RequestVisibilityMiddleware,
    object_perm,
    per_request,
    remembering,
    visibility_store,
)
from tests import factories
from tests.security.conftest import ACTOR_NAMES

pytestmark = pytest.mark.django_db

PEOPLE = ACTOR_NAMES[1:]


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _reports(world) -> None:
    """A report of every kind and audience for each of the world's records (failed ones, which
    need no file), so the report rule meets each case."""
    from reports.models import GeneratedReport

    def make(**fields) -> None:
        GeneratedReport.objects.create(
            status="failed", message="Lost.", requested_by=world.lead, **fields
        )

    for audience in ("general", "unpublished", "evidence"):
        for inspection in (world.inspection, world.published):
            make(kind="inspection_report", inspection=inspection, audience=audience)
    for audience in ("general", "unpublished"):
        make(kind="partnership_profile", partnership=world.partnership, audience=audience)
        make(
            kind="partnership_profile",
            partnership=factories.PartnershipFactory(),
            audience=audience,
        )
    make(
        kind="cooperation_quarter", quarter_starts_on=datetime.date(2026, 4, 1), audience="general"
    )


def _answers(world, user) -> dict:
    """Every visibility question the detail pages ask, for this user."""
    from improvement import policies as improvement
    from improvement.models import (
        ImprovementAction,
        ImprovementPlan,
        ImprovementSupport,
        ProgressReview,
        ProgressUpdate,
        SupportAssessment,
        SupportDecision,
    )
    from inspections.models import Attachment, EvidenceActivity, Inspection, Milestone
    from inspections.policies import (
        attachment_policy,
        evidence_policy,
        inspection_policy,
        milestone_policy,
    )
    from partnerships import policies as partnerships
    from partnerships.models import Engagement, GoodPractice, LinkRisk
    from partnerships.policies import contact_policy, partnership_policy
    from reports import policies as reports
    from reports.models import GeneratedReport, ReportKind

    inspections = [world.inspection, world.published]
    answers = {
        "inspections": _ids(inspection_policy.visible(user, Inspection.objects.all())),
        "with drafts": _ids(inspection_policy.with_drafts(user)),
        "with evidence": _ids(inspection_policy.inspections_with_evidence(user)),
        "milestones": _ids(milestone_policy.visible(user, Milestone.objects.all())),
        "evidence": _ids(evidence_policy.visible(user, EvidenceActivity.objects.all())),
        "attachments": _ids(attachment_policy.visible(user, Attachment.objects.all())),
        "assessments": _ids(
            improvement.assessment_policy.visible(user, SupportAssessment.objects.all())
        ),
        "decisions": _ids(improvement.decision_policy.visible(user, SupportDecision.objects.all())),
        "plans": _ids(improvement.plan_policy.visible(user, ImprovementPlan.objects.all())),
        "actions": _ids(improvement.action_policy.visible(user, ImprovementAction.objects.all())),
        "progress": _ids(improvement.progress_policy.visible(user, ProgressUpdate.objects.all())),
        "reviews": _ids(improvement.review_policy.visible(user, ProgressReview.objects.all())),
        "support": _ids(improvement.support_policy.visible(user, ImprovementSupport.objects.all())),
        "read in full": _ids(reports.partnerships_read_in_full(user)),
        "reports": _ids(reports.report_policy.visible(user, GeneratedReport.objects.all())),
        "may assess": improvement.may_assess(user, world.partnership),
        "link inspector": improvement.is_link_inspector(user, world.partnership),
        "partnership level": reports.partnership_reader_level(user, world.partnership),
        "change partnership": partnership_policy.can_change(user, world.partnership),
        "archive partnership": partnership_policy.can_archive(user, world.partnership),
        "change contacts": contact_policy.can_change_for(user, world.partnership),
        "add contacts": contact_policy.can_add(user, world.partnership),
        "engagements": _ids(partnerships.engagement_policy.visible(user, Engagement.objects.all())),
        "link risks": _ids(partnerships.link_risk_policy.visible(user, LinkRisk.objects.all())),
        "good practice": _ids(
            partnerships.good_practice_policy.visible(user, GoodPractice.objects.all())
        ),
        "follows the partnership": partnerships.follows(user, world.partnership),
        "follows the area": partnerships.follows(user, world.area),
        "may add an engagement": partnerships.engagement_policy.can_add(user, world.partnership),
        "may change the engagement": partnerships.engagement_policy.can_change(
            user, world.engagement
        ),
    }
    for kind in ReportKind.values:
        answers[f"reports of kind {kind}"] = _ids(
            reports.report_policy.visible(user, GeneratedReport.objects.all(), kind=kind)
        )
    for inspection in inspections:
        answers[inspection.title] = (
            inspection_policy.can_view(user, inspection),
            inspection_policy.can_see_drafts(user, inspection),
            inspection_policy.can_view_evidence(user, inspection),
            inspection_policy.can_change(user, inspection),
            inspection_policy.can_lead(user, inspection),
            reports.inspection_reader_level(user, inspection),
            reports.inspection_audience(user, inspection),
        )
    return answers


@pytest.mark.parametrize("person", PEOPLE)
def test_each_person_gets_the_same_answers_within_a_request_as_outside_one(world, person):
    _reports(world)
    user = getattr(world, person)
    outside = _answers(world, user)
    with visibility_store():
        assert remembering()
        within = _answers(world, user)
        again = _answers(world, user)  # answered from what was read
    assert within == outside
    assert again == outside


def test_what_is_read_once_is_kept_per_person(world):
    """Two people asked about within the same request each get their own answers."""
    from inspections.policies import inspection_policy

    with visibility_store():
        lead = inspection_policy.can_see_drafts(world.lead, world.inspection)
        outsider = inspection_policy.can_see_drafts(world.outsider, world.inspection)
        evidence = object_perm(world.lead, "inspections.view_inspection_evidence", world.inspection)
        none = object_perm(world.outsider, "inspections.view_inspection_evidence", world.inspection)
    assert (lead, outsider, evidence, none) == (True, False, True, False)


def test_outside_a_request_nothing_is_kept(world):
    """A permission granted after a first question shows in the next answer."""
    from inspections.policies import inspection_policy

    user = world.outsider
    assert not remembering()
    assert not inspection_policy.can_see_drafts(user, world.inspection)
    assign_perm("inspections.view_inspection", user, world.inspection)
    assert inspection_policy.can_see_drafts(user, world.inspection)
    assert world.inspection.pk in _ids(inspection_policy.with_drafts(user))


def test_a_write_within_a_request_empties_what_was_read(world):
    """A row saved while a request is answered (a permission given, for one) is seen."""
    from inspections.policies import inspection_policy

    user = world.outsider
    with visibility_store():
        assert not inspection_policy.can_see_drafts(user, world.inspection)
        assign_perm("inspections.view_inspection", user, world.inspection)
        assert inspection_policy.can_see_drafts(user, world.inspection)


def test_the_store_lives_only_for_a_read_request():
    seen = []

    def view(request):
        seen.append((request.method, remembering(), per_request(object(), "q", lambda: 1)))
        return None

    middleware = RequestVisibilityMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/"))
    middleware(factory.head("/"))
    middleware(factory.post("/"))
    assert [(method, kept) for method, kept, _ in seen] == [
        ("GET", True),
        ("HEAD", True),
        ("POST", False),
    ]
    assert not remembering()


def test_a_permission_changed_between_two_requests_shows_on_the_second(world, client):
    """The same client, the same person: the second page sees what changed in between."""
    user = world.outsider
    client.force_login(user)
    url = reverse("inspections:detail", args=[world.inspection.pk])
    assert client.get(url).status_code == 404
    assign_perm("inspections.view_inspection", user, world.inspection)
    assert client.get(url).status_code == 200
    remove_perm("inspections.view_inspection", user, world.inspection)
    assert client.get(url).status_code == 404


def test_a_page_asks_each_permission_question_once(world, client):
    """On the partnership page, the lead's object permissions on inspections are read once,
    however many panels ask about them."""
    client.force_login(world.lead)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("partnerships:detail", args=[world.partnership.pk]))
    assert response.status_code == 200
    guardian = [
        q["sql"] for q in ctx.captured_queries if "guardian_userobjectpermission" in q["sql"]
    ]
    # One read of the lead's permissions on inspections, one of those on the partnership.
    assert len(guardian) == 2, guardian
