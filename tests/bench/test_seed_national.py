"""`manage.py seed_national` at a small scale: the shape of what it adds, that the constraints and
the services' invariants hold, that the same seed gives the same data and that a second run adds
nothing."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from cooperation.models import Meeting, NoSurprisesNotice
from improvement.models import ImprovementPlan, SupportDecision
from inspections.models import (
    PUBLISHED_STATUSES,
    EvaluationLink,
    EvaluationStage,
    Finding,
    FindingStatus,
    Inspection,
    PublishedVersion,
    ReadingStatus,
    RecordAnswer,
    ReviewedRecord,
    TeamMember,
    TeamRole,
)
from inspections.policies import inspection_policy
from partnerships.models import AreaAssignment, AreaRole, Engagement, MsgRating, Partnership

pytestmark = pytest.mark.django_db

UNTIL = "2026-06-30"
SMALL = ["--scale", "0.1", "--records-per-reader", "2", "--until", UNTIL]


def seed(*extra: str, years: str = "2") -> str:
    out = io.StringIO()
    call_command("seed_national", *SMALL, "--years", years, *extra, stdout=out)
    return out.getvalue()


def test_a_small_decade_has_the_expected_shape(client):
    partnerships = Partnership.objects.count()
    output = seed("--seed", "3")

    # Every partnership comes from the reference data: none added.
    assert Partnership.objects.count() == partnerships
    inspections = list(Inspection.objects.order_by("planned_notification_on"))
    assert len(inspections) == 4  # two a year at scale 0.1
    assert {i.planned_notification_on.year for i in inspections} == {2025, 2026}
    for inspection in inspections:
        team = list(TeamMember.objects.filter(inspection=inspection))
        assert [m.role for m in team].count(TeamRole.LEAD_INSPECTOR) == 1
        assert len(team) == 7  # the lead and six readers
        records = ReviewedRecord.objects.filter(inspection=inspection)
        if inspection.notified_on:
            assert records.count() == 12  # 6 readers x 2 records
            assert records.values("reader").distinct().count() == 6
        for record in records.filter(status=ReadingStatus.COMPLETE):
            assert RecordAnswer.objects.filter(record=record).count() == 30
        if inspection.status in PUBLISHED_STATUSES:
            assert PublishedVersion.objects.filter(inspection=inspection, number=1).exists()
            assert not Finding.objects.filter(
                inspection=inspection, status=FindingStatus.DRAFT
            ).exists()
            for final in EvaluationLink.objects.filter(
                inspection=inspection, stage=EvaluationStage.FINAL
            ):
                assert final.previous.stage == EvaluationStage.PANEL
                assert final.previous.previous.stage == EvaluationStage.PROPOSED
                assert final.level_id == final.previous.level_id
    assert any(i.status in PUBLISHED_STATUSES for i in inspections)

    # The lead sees the evidence through the object permissions the services would grant, and
    # the record-reading results page works for them.
    published = next(i for i in inspections if i.status in PUBLISHED_STATUSES)
    lead = TeamMember.objects.get(inspection=published, role=TeamRole.LEAD_INSPECTOR).user
    assert inspection_policy.can_view_evidence(lead, published)
    client.force_login(lead)
    response = client.get(f"/inspections/{published.pk}/record-reading/results/")
    assert response.status_code == 200
    assert b"1.1" in response.content

    # One current link inspector per council area; improvement, co-operation and engagement.
    open_links = AreaAssignment.objects.filter(role=AreaRole.LINK_INSPECTOR, ended_on__isnull=True)
    assert open_links.count() == open_links.values("local_authority").distinct().count()
    assert SupportDecision.objects.filter(status="agreed", agreed_by__isnull=True).count() == 0
    assert ImprovementPlan.objects.exists()
    assert Meeting.objects.filter(meeting_type__code="chairs_and_chief_executives").exists()
    assert NoSurprisesNotice.objects.exists()
    assert Engagement.objects.exists()
    assert MsgRating.objects.exists()

    # Progress: one line per stage with what it added and how long it took.
    assert "2025 inspections" in output and "records" in output and "answers" in output
    assert "s  (total" in output


def test_a_second_run_adds_nothing():
    seed("--seed", "3")
    before = _counts()
    output = seed("--seed", "3")
    assert _counts() == before
    assert "Done: 0 stages ran" in output
    # Even with another seed: what is done is done.
    seed("--seed", "4")
    assert _counts() == before


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _fingerprint_of_a_run("5")
    again = _fingerprint_of_a_run("5")
    other = _fingerprint_of_a_run("6")
    assert first == again
    assert first != other


class _Rollback(Exception):
    pass


def _fingerprint_of_a_run(seed_value: str) -> dict:
    result: dict = {}
    try:
        with transaction.atomic():
            seed("--seed", seed_value, years="1")
            result = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    return result


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Inspection,
            ReviewedRecord,
            RecordAnswer,
            Finding,
            Meeting,
            Engagement,
            MsgRating,
        )
    }


def _fingerprint() -> dict:
    """What the data says, without database ids (sequences are not rolled back)."""
    return {
        "users": sorted(User.objects.values_list("email", "full_name")),
        "inspections": sorted(
            Inspection.objects.values_list(
                "title", "status", "planned_notification_on", "partnership__name"
            )
        ),
        "team": sorted(TeamMember.objects.values_list("inspection__title", "user__email", "role")),
        "records": sorted(
            ReviewedRecord.objects.values_list("reference", "status", "reader__email")
        ),
        "answers": sorted(
            Counter(
                RecordAnswer.objects.values_list(
                    "record__reference", "question__number", "value", "grade", "choice__label"
                )
            ).items()
        ),
        "findings": sorted(Finding.objects.values_list("kind", "text")),
        "notices": sorted(NoSurprisesNotice.objects.values_list("subject", "planned_on")),
        "engagements": sorted(
            Engagement.objects.values_list("engaged_on", "recorded_by__email", "notes")
        ),
    }
