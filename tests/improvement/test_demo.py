"""The improvement and MSG demo data load_demo builds: what a demo user sees, built once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from improvement.models import (
    ImprovementAction,
    ImprovementPlan,
    ImprovementSupport,
    PlanRevision,
    ProgressReview,
    ProgressUpdate,
    SupportAssessment,
    SupportDecision,
)
from partnerships.models import MsgRating, MsgSelfEvaluation

pytestmark = pytest.mark.django_db

MODELS = [
    SupportAssessment,
    SupportDecision,
    ProgressReview,
    ImprovementPlan,
    ImprovementAction,
    ProgressUpdate,
    PlanRevision,
    ImprovementSupport,
    MsgSelfEvaluation,
    MsgRating,
]


def _load() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_improvement_casework_and_msg_rounds_built_once():
    _load()
    counts = {model: model.objects.count() for model in MODELS}
    _load()
    assert {model: model.objects.count() for model in MODELS} == counts

    today = timezone.localdate()
    decision = SupportDecision.objects.get()
    assert decision.status == "agreed"
    assert decision.level.name == "Assisted improvement support"
    assert decision.formal_review_on > today
    reviews = ProgressReview.objects.filter(partnership=decision.assessment.partnership)
    assert reviews.filter(kind="formal", status="scheduled", due_on=decision.formal_review_on)
    assert reviews.filter(status="held", held_on__lt=today).count() == 1
    overdue = [r for r in reviews if r.is_overdue(today)]
    assert len(overdue) == 1

    plan = ImprovementPlan.objects.get()
    assert plan.status == "agreed"
    assert plan.inspection.status == "published"
    actions = list(plan.actions.all())
    assert len(actions) == 3
    assert [a.is_overdue(today) for a in actions].count(True) == 1
    assert ProgressUpdate.objects.filter(action__plan=plan).count() == 2
    assert PlanRevision.objects.get(plan=plan).number == 1

    support = ImprovementSupport.objects.get()
    assert support.provider.name == "Healthcare Improvement Scotland improvement hub"
    assert support.status == "commissioned"
    assert support.plan == plan

    # MSG self-evaluation: two submitted rounds each for two partnerships, one validation note.
    rounds = MsgSelfEvaluation.objects.order_by("partnership__name", "evaluated_on")
    assert [r.partnership.name for r in rounds] == ["Fife", "Fife", "Highland", "Highland"]
    assert {r.status for r in rounds} == {"submitted"}
    for round_ in rounds:
        assert round_.ratings.filter(archived_at__isnull=True).count() == 25
    noted = MsgRating.objects.exclude(validation_note="")
    assert noted.count() == 1
    assert noted.get().validated_by.email == "link@ci.demo.example"
