"""Decisions: a rationale when they differ from the recommendation, adjacent levels only,
agreed decisions read-only until reopened (audited)."""

import pytest
from django.core.exceptions import ValidationError

from improvement import services
from improvement.models import RecordStatus, SupportLevel


def level(order):
    return SupportLevel.objects.get(order=order)


def test_a_decision_matching_the_recommendation_needs_no_rationale(record_assessment, lead):
    assessment = record_assessment((3, 3, 3, 0, 0))  # 3 met: commissioned
    decision = services.decision_create(by=lead, assessment=assessment, level=level(2))
    assert decision.recommended_level == level(2)
    assert decision.status == RecordStatus.DRAFT
    assert decision.history.first().history_user == lead


def test_a_decision_that_differs_without_a_rationale_is_refused(record_assessment, lead):
    assessment = record_assessment((3, 3, 3, 0, 0))
    with pytest.raises(ValidationError) as exc:
        services.decision_create(by=lead, assessment=assessment, level=level(3))
    assert exc.value.message_dict == {"rationale": [services.RATIONALE_REQUIRED_MESSAGE]}
    decision = services.decision_create(
        by=lead, assessment=assessment, level=level(3), rationale="Leadership is unstable."
    )
    assert decision.rationale == "Leadership is unstable."


def test_between_two_adjacent_levels(record_assessment, lead):
    assessment = record_assessment((3, 3, 3, 0, 0))
    decision = services.decision_create(
        by=lead, assessment=assessment, level=level(3), second_level=level(2)
    )
    assert decision.second_level == level(2)
    with pytest.raises(ValidationError) as exc:
        services.decision_create(
            by=lead, assessment=assessment, level=level(2), second_level=level(4), rationale="x"
        )
    assert exc.value.message_dict == {"second_level": [services.NOT_ADJACENT_MESSAGE]}


def test_agreed_decisions_are_read_only_until_reopened(record_assessment, lead):
    decision = services.decision_create(by=lead, assessment=record_assessment(), level=level(1))
    decision = services.decision_agree(decision=decision, by=lead, expected_version=1)
    assert decision.status == RecordStatus.AGREED
    assert decision.agreed_by == lead and decision.agreed_at
    with pytest.raises(ValidationError) as exc:
        services.decision_update(
            decision=decision, by=lead, expected_version=decision.version, level=level(1)
        )
    assert exc.value.messages == [services.AGREED_READ_ONLY_MESSAGE]
    with pytest.raises(ValidationError):
        services.decision_reopen(decision=decision, by=lead, reason=" ", expected_version=None)
    decision = services.decision_reopen(
        decision=decision, by=lead, reason="New evidence.", expected_version=decision.version
    )
    assert decision.status == RecordStatus.DRAFT and decision.agreed_by is None
    assert decision.history.first().history_change_reason == "Reopened: New evidence."
    decision = services.decision_update(
        decision=decision,
        by=lead,
        expected_version=decision.version,
        level=level(2),
        rationale="Partners lack capacity.",
    )
    assert decision.level == level(2)


def test_inspection_must_be_the_partnerships(record_assessment, lead, partnership):
    from tests import factories

    other = factories.InspectionFactory()
    with pytest.raises(ValidationError) as exc:
        services.assessment_create(
            by=lead, partnership=partnership, inspection=other, assessed_on=factories._today()
        )
    assert exc.value.message_dict == {"inspection": [services.INSPECTION_PARTNERSHIP_MESSAGE]}


def test_assessment_update_changes_judgements_with_history(record_assessment, lead):
    from tests.improvement.conftest import judgements_for

    assessment = record_assessment((0, 0, 0, 0, 0))
    assessment = services.assessment_update(
        assessment=assessment,
        by=lead,
        expected_version=assessment.version,
        changes={"status": RecordStatus.AGREED},
        judgements=judgements_for([3, 0, 0, 0, 0]),
    )
    judgement = assessment.judgements.get(criterion__number="1.1")
    assert judgement.met and judgement.history.count() == 2
    assert assessment.status == RecordStatus.AGREED
