"""The report's services: findings drafted and agreed, the evaluation chain with moderation,
factual accuracy comments, and publication freezing what was published."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import (
    EvaluationLink,
    FactualAccuracyComment,
    Finding,
    PublishedVersion,
)
from inspections.report import content, gates, services
from partnerships.models import NationalOutcome
from scrutiny.services import ConflictError
from tests import factories

from .conftest import PANEL_DAY, figures_for, fresh, make_team

pytestmark = pytest.mark.django_db


def messages(exc) -> list[str]:
    return list(exc.value.messages)


def field_errors(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


def propose(team, indicator=None, value=4, by=None, **kwargs):
    return services.evaluation_propose(
        inspection=team.inspection,
        quality_indicator=indicator or team.indicators[0],
        by=by or team.member,
        level=team.level(value),
        rationale=kwargs.pop("rationale", "The records read bore this out."),
        **kwargs,
    )


def panel(team, indicator=None, outcome="confirmed", by=None, **kwargs):
    kwargs.setdefault("panel_members", [team.lead])
    kwargs.setdefault("panel_date", PANEL_DAY)
    return services.evaluation_panel(
        inspection=team.inspection,
        quality_indicator=indicator or team.indicators[0],
        by=by or team.lead,
        outcome=outcome,
        **kwargs,
    )


def finalise(team, indicator=None, by=None, **kwargs):
    return services.evaluation_finalise(
        inspection=team.inspection,
        quality_indicator=indicator or team.indicators[0],
        by=by or team.lead,
        **kwargs,
    )


def grade(team, indicator, value=4):
    propose(team, indicator, value)
    panel(team, indicator)
    return finalise(team, indicator)


def draft(team, **kwargs):
    kwargs.setdefault("kind", "strength")
    kwargs.setdefault("text", "People were seen promptly.")
    kwargs.setdefault("quality_indicators", [team.indicators[0]])
    return services.finding_create(inspection=team.inspection, by=team.member, **kwargs)


# Findings ------------------------------------------------------------------------------------


def test_a_team_member_drafts_a_finding_tied_to_indicators_evidence_and_outcomes(team):
    activity = factories.EvidenceActivityFactory(inspection=team.inspection)
    outcome = NationalOutcome.objects.get(number=2)
    question, _ = figures_for(team.inspection, yes=3, no=1)

    finding = draft(
        team,
        kind="area_for_improvement",
        text="  Chronologies were often missing.  ",
        quality_indicators=team.indicators[:2],
        evidence_activities=[activity],
        cited_questions=[question],
        national_outcomes=[outcome],
    )

    finding.refresh_from_db()
    assert finding.status == "draft"
    assert finding.text == "Chronologies were often missing."
    assert finding.drafted_by == team.member
    assert (finding.agreed_by, finding.agreed_at) == (None, None)
    assert set(finding.quality_indicators.all()) == set(team.indicators[:2])
    assert list(finding.evidence_activities.all()) == [activity]
    assert list(finding.cited_questions.all()) == [question]
    assert list(finding.national_outcomes.all()) == [outcome]
    assert finding.history.earliest().history_change_reason == "Finding drafted"
    assert finding.history.latest().history_user == team.member


def test_a_finding_must_be_tied_to_indicators_in_scope_and_its_own_evidence(team):
    elsewhere = factories.programme("asp_phase_2_year_2").quality_indicators.first()
    other_activity = factories.EvidenceActivityFactory()
    _, text_question = figures_for(team.inspection, yes=1, no=0)

    with pytest.raises(ValidationError) as exc:
        draft(
            team,
            kind="verdict",
            text="  ",
            quality_indicators=[elsewhere],
            evidence_activities=[other_activity],
            cited_questions=[text_question],
        )
    errors = field_errors(exc)
    assert errors["kind"] == [services.KIND_NEEDED]
    assert errors["text"] == [services.TEXT_NEEDED]
    assert errors["quality_indicators"] == [
        services.INDICATOR_NOT_IN_SCOPE.format(indicator=elsewhere)
    ]
    assert errors["evidence_activities"] == [
        services.EVIDENCE_NOT_OF_INSPECTION.format(activity=other_activity)
    ]
    assert errors["cited_questions"] == [
        services.QUESTION_NOT_CITABLE.format(question=text_question)
    ]
    with pytest.raises(ValidationError) as exc:
        draft(team, quality_indicators=[])
    assert field_errors(exc) == {"quality_indicators": [services.INDICATOR_NEEDED]}
    assert not Finding.objects.exists()


def test_who_may_draft_and_agree_findings(team, outsider):
    link_area = team.inspection.partnership.local_authorities.first()
    link = factories.AreaAssignmentFactory(local_authority=link_area).user  # reads drafts only
    for user in (outsider, link):
        with pytest.raises(PermissionDenied):
            services.finding_create(
                inspection=team.inspection,
                by=fresh(user),
                kind="strength",
                text="x",
                quality_indicators=[team.indicators[0]],
            )
    finding = draft(team)
    with pytest.raises(PermissionDenied, match=re.escape(services.ONLY_LEAD)):
        services.finding_agree(finding=finding, by=team.member, expected_version=1)
    admin = factories.administrator()
    agreed = services.finding_agree(finding=finding, by=admin, expected_version=1)
    assert agreed.agreed_by == admin


def test_agreeing_records_who_and_when_and_editing_returns_it_to_draft(team):
    finding = draft(team)
    agreed = services.finding_agree(finding=finding, by=team.lead, expected_version=1)
    assert agreed.status == "agreed"
    assert agreed.agreed_by == team.lead
    assert timezone.now() - agreed.agreed_at < datetime.timedelta(minutes=1)
    assert agreed.history.latest().history_change_reason == "Agreed by the lead inspector"

    with pytest.raises(ValidationError, match=re.escape(services.ALREADY_AGREED)):
        services.finding_agree(finding=agreed, by=team.lead, expected_version=agreed.version)

    # Saving it unchanged keeps it agreed.
    same = services.finding_update(
        finding=agreed,
        by=team.member,
        expected_version=agreed.version,
        changes={"text": agreed.text},
        quality_indicators=[team.indicators[0]],
    )
    assert same.status == "agreed"

    edited = services.finding_update(
        finding=same,
        by=team.member,
        expected_version=same.version,
        changes={"text": "People were seen within a day."},
    )
    assert edited.status == "draft"
    assert (edited.agreed_by, edited.agreed_at) == (None, None)
    latest = edited.history.latest()
    assert latest.history_change_reason == services.BACK_TO_DRAFT
    assert latest.history_user == team.member
    assert edited.history.filter(status="agreed", agreed_by=team.lead).exists()  # kept in History


def test_changing_only_an_agreed_findings_indicators_returns_it_to_draft(team):
    finding = draft(team)
    agreed = services.finding_agree(finding=finding, by=team.lead, expected_version=1)
    edited = services.finding_update(
        finding=agreed,
        by=team.member,
        expected_version=agreed.version,
        changes={},
        quality_indicators=team.indicators[:2],
    )
    assert edited.status == "draft"
    assert set(edited.quality_indicators.all()) == set(team.indicators[:2])


def test_a_stale_edit_of_a_finding_is_refused(team):
    finding = draft(team)
    services.finding_update(
        finding=finding, by=team.member, expected_version=1, changes={"text": "First"}
    )
    with pytest.raises(ConflictError):
        services.finding_update(
            finding=finding, by=team.lead, expected_version=1, changes={"text": "Second"}
        )
    assert Finding.objects.get().text == "First"


def test_only_the_lead_archives_an_agreed_finding(team):
    finding = draft(team)
    archived = services.finding_archive(finding=finding, by=team.member, reason="Duplicate")
    assert archived.archived_at is not None

    agreed = services.finding_agree(finding=draft(team), by=team.lead, expected_version=1)
    with pytest.raises(PermissionDenied, match=re.escape(services.AGREED_ARCHIVE_IS_THE_LEADS)):
        services.finding_archive(finding=agreed, by=team.member, reason="Not needed")
    assert services.finding_archive(finding=agreed, by=team.lead, reason="Merged").archived_at


# Evaluations ---------------------------------------------------------------------------------


def test_the_chain_proposal_panel_final(team):
    proposal = propose(team, value=4)
    decision = panel(team, panel_members=[team.lead, team.member])
    final = finalise(team)

    links = list(EvaluationLink.objects.order_by("pk"))
    assert [(x.stage, x.level.value) for x in links] == [
        ("proposed", 4),
        ("panel", 4),
        ("final", 4),
    ]
    assert [x.previous_id for x in links] == [None, proposal.pk, decision.pk]
    assert proposal.created_by == team.member
    assert decision.panel_outcome == "confirmed"
    assert set(decision.panel_members.all()) == {team.lead, team.member}
    assert decision.panel_date == PANEL_DAY
    assert final.rationale == proposal.rationale  # the final record carries the team's rationale
    assert final.created_by == team.lead


def test_the_panels_change_without_a_reason_is_refused(team):
    propose(team, value=4)

    with pytest.raises(ValidationError) as exc:
        panel(team, outcome="changed", level=team.level(3), reason="  ")
    assert field_errors(exc) == {"reason": [services.PANEL_REASON_NEEDED]}

    with pytest.raises(ValidationError) as exc:
        panel(team, outcome="changed", level=team.level(4), reason="Too generous")
    assert field_errors(exc) == {"level": [services.PANEL_SAME_LEVEL.format(level=team.level(4))]}
    with pytest.raises(ValidationError) as exc:
        panel(team, outcome="changed", reason="Too generous")
    assert field_errors(exc) == {"level": [services.PANEL_LEVEL_NEEDED]}
    assert EvaluationLink.objects.filter(stage="panel").count() == 0

    changed = panel(team, outcome="changed", level=team.level(3), reason="Too generous")
    assert (changed.level.value, changed.rationale) == (3, "Too generous")
    assert finalise(team).level.value == 3  # the final grade is the panel's


def test_the_database_also_refuses_a_panel_change_without_a_reason(team):
    proposal = propose(team)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationLink.objects.create(
            inspection=team.inspection,
            quality_indicator=team.indicators[0],
            stage="panel",
            panel_outcome="changed",
            level=team.level(3),
            previous=proposal,
            created_by=team.lead,
        )


def test_the_panel_needs_its_members_and_a_date_not_in_the_future(team):
    propose(team)
    with pytest.raises(ValidationError) as exc:
        panel(
            team,
            panel_members=[],
            panel_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert field_errors(exc) == {
        "panel_members": [services.PANEL_MEMBERS_NEEDED],
        "panel_date": [services.PANEL_DATE_IN_FUTURE],
    }


def test_grades_come_from_the_programmes_scale_for_indicators_in_scope(team):
    wording = factories.programme("asp_phase_1").evaluation_scale.levels.first()
    elsewhere = factories.programme("asp_phase_2_year_2").quality_indicators.first()
    with pytest.raises(ValidationError) as exc:
        services.evaluation_propose(
            inspection=team.inspection,
            quality_indicator=team.indicators[0],
            by=team.member,
            level=wording,
            rationale="x",
        )
    scale = team.inspection.programme.evaluation_scale
    assert field_errors(exc) == {"level": [services.LEVEL_NOT_ON_SCALE.format(scale=scale)]}
    with pytest.raises(ValidationError) as exc:
        propose(team, indicator=elsewhere)
    assert field_errors(exc) == {
        "quality_indicator": [services.INDICATOR_NOT_IN_SCOPE.format(indicator=elsewhere)]
    }
    with pytest.raises(ValidationError) as exc:
        propose(team, rationale=" ")
    assert field_errors(exc) == {"rationale": [services.RATIONALE_NEEDED]}


def test_steps_follow_in_order(team):
    qi = team.indicators[0]
    with pytest.raises(
        ValidationError, match=re.escape(services.NOTHING_PROPOSED.format(indicator=qi))
    ):
        panel(team)
    with pytest.raises(
        ValidationError, match=re.escape(services.NOT_MODERATED.format(indicator=qi))
    ):
        finalise(team)
    propose(team)
    with pytest.raises(
        ValidationError, match=re.escape(services.ALREADY_PROPOSED.format(indicator=qi))
    ):
        propose(team, value=5)
    with pytest.raises(
        ValidationError, match=re.escape(services.NOT_MODERATED.format(indicator=qi))
    ):
        finalise(team)
    panel(team)
    with pytest.raises(
        ValidationError, match=re.escape(services.ALREADY_MODERATED.format(indicator=qi))
    ):
        panel(team)
    with pytest.raises(
        ValidationError, match=re.escape(services.ONLY_FINAL_REOPENS.format(indicator=qi))
    ):
        services.evaluation_reopen(
            inspection=team.inspection, quality_indicator=qi, by=team.lead, reason="x"
        )


def test_a_final_grade_is_not_editable_until_moderation_is_reopened(team):
    qi = team.indicators[0]
    final = grade(team, qi, 4)
    read_only = services.FINAL_IS_READ_ONLY.format(indicator=qi)
    for attempt in (
        lambda: propose(team, value=2),
        lambda: panel(team, outcome="changed", level=team.level(2), reason="Worse"),
        lambda: finalise(team),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert messages(exc) == [read_only]
    assert EvaluationLink.objects.count() == 3

    with pytest.raises(ValidationError) as exc:
        services.evaluation_reopen(
            inspection=team.inspection, quality_indicator=qi, by=team.lead, reason=" "
        )
    assert field_errors(exc) == {"reason": [services.REOPEN_REASON_NEEDED]}
    with pytest.raises(PermissionDenied):
        services.evaluation_reopen(
            inspection=team.inspection, quality_indicator=qi, by=team.member, reason="New evidence"
        )

    reopened = services.evaluation_reopen(
        inspection=team.inspection, quality_indicator=qi, by=team.lead, reason="New evidence"
    )
    assert (reopened.stage, reopened.level, reopened.previous) == ("reopened", None, final)
    assert reopened.rationale == "New evidence"

    again = propose(team, value=2)
    assert again.previous == reopened
    panel(team)
    second_final = finalise(team)
    assert second_final.level.value == 2
    # The chain keeps every link as it was: nothing before the reopening changed.
    final.refresh_from_db()
    assert (final.stage, final.level.value) == ("final", 4)
    stages = list(EvaluationLink.objects.order_by("pk").values_list("stage", flat=True))
    assert stages == ["proposed", "panel", "final", "reopened", "proposed", "panel", "final"]


def test_a_step_on_a_chain_that_moved_on_is_refused(team):
    first = propose(team)
    with pytest.raises(ConflictError) as exc:
        panel(team, expected_last=None)  # the caller saw an empty chain
    assert exc.value.message == services.CHAIN_MOVED_ON
    assert exc.value.current_version == first.pk
    assert panel(team, expected_last=first.pk).stage == "panel"


def test_who_may_take_each_step(team, outsider):
    with pytest.raises(PermissionDenied):
        propose(team, by=fresh(outsider))
    propose(team, by=team.lead)  # the lead is on the team too
    with pytest.raises(PermissionDenied, match=re.escape(services.ONLY_LEAD)):
        panel(team, by=team.member)
    panel(team)
    with pytest.raises(PermissionDenied, match=re.escape(services.ONLY_LEAD)):
        finalise(team, by=team.member)
    assert finalise(team, by=factories.administrator()).stage == "final"


def test_no_steps_on_a_closed_inspection():
    team = make_team(status="closed")
    with pytest.raises(ValidationError, match="Closed: it can no longer be changed"):
        propose(team)


# Factual accuracy ----------------------------------------------------------------------------


def test_comments_are_recorded_by_the_team_and_answered_by_the_lead():
    team = make_team(status="factual_accuracy")
    comment = services.fa_comment_create(
        inspection=team.inspection,
        by=team.member,
        report_reference="Page 4, paragraph 1",
        comment="The staffing figure is out of date.",
    )
    assert comment.history.latest().history_user == team.member
    with pytest.raises(PermissionDenied):
        services.fa_comment_respond(
            comment=comment, by=team.member, expected_version=1, response="accepted"
        )
    with pytest.raises(ValidationError) as exc:
        services.fa_comment_respond(
            comment=comment, by=team.lead, expected_version=1, response="not_accepted"
        )
    assert field_errors(exc) == {"response_text": [services.RESPONSE_TEXT_NEEDED]}

    answered = services.fa_comment_respond(
        comment=comment,
        by=team.lead,
        expected_version=1,
        response="partly_accepted",
        response_text="The figure is updated; the finding stands.",
        change_made="Paragraph 1 gives the 2026 figure.",
    )
    assert answered.response == "partly_accepted"
    assert answered.responded_by == team.lead
    assert answered.responded_at is not None
    with pytest.raises(ConflictError):
        services.fa_comment_respond(
            comment=comment, by=team.lead, expected_version=1, response="accepted"
        )


def test_comments_belong_to_report_drafting_and_the_factual_accuracy_check(team):
    with pytest.raises(ValidationError, match=re.escape(services.COMMENT_NOT_NOW)):
        services.fa_comment_create(
            inspection=team.inspection, by=team.member, report_reference="p1", comment="x"
        )
    drafting = make_team(status="report_drafting")
    with pytest.raises(ValidationError) as exc:
        services.fa_comment_create(
            inspection=drafting.inspection, by=drafting.member, report_reference=" ", comment=""
        )
    assert field_errors(exc) == {
        "report_reference": [services.REFERENCE_NEEDED],
        "comment": [services.COMMENT_NEEDED],
    }


# Publication ---------------------------------------------------------------------------------


def publish(team, on=datetime.date(2026, 5, 25)):
    return inspection_services.inspection_transition(
        inspection=team.inspection, by=team.lead, to_status="published", on=on
    )


def test_publishing_freezes_version_one():
    team = make_team(status="factual_accuracy", fieldwork_starts_on=datetime.date(2026, 3, 2))
    question, _ = figures_for(team.inspection, yes=3, no=1)
    for qi in team.indicators:
        grade(team, qi, 4 if qi != team.indicators[0] else 5)
    finding = draft(
        team, cited_questions=[question], national_outcomes=[NationalOutcome.objects.get(number=1)]
    )
    services.finding_agree(finding=finding, by=team.lead, expected_version=1)
    archived = draft(team, text="Withdrawn finding")
    services.finding_archive(finding=archived, by=team.lead, reason="Duplicate")

    publish(team)

    version = PublishedVersion.objects.get()
    assert (version.number, version.published_on, version.reason) == (
        1,
        datetime.date(2026, 5, 25),
        "",
    )
    assert version.created_by == team.lead
    data = version.content
    assert data["number"] == 1
    assert data["inspection"]["title"] == team.inspection.title
    assert data["inspection"]["fieldwork_starts_on"] == "2026-03-02"
    assert [g["kind"] for g in data["findings"]] == [
        "strength",
        "area_for_improvement",
        "recommendation",
        "good_practice",
    ]
    strengths = data["findings"][0]["findings"]
    assert [f["text"] for f in strengths] == ["People were seen promptly."]
    assert strengths[0]["quality_indicators"][0]["id"] == team.indicators[0].pk
    assert strengths[0]["national_outcomes"][0]["number"] == 1
    cited = strengths[0]["cited_questions"][0]
    assert cited["number"] == "1.1"
    assert cited["figure"].startswith("75% yes (3 of 4 applicable")
    assert [e["level"] for e in data["evaluations"]] == [{"value": 5, "label": "Very good"}] + [
        {"value": 4, "label": "Good"}
    ] * (len(team.indicators) - 1)
    reading = {r["number"]: r for r in data["record_reading"]}
    assert reading["1.1"]["answered"] == 4
    assert reading["1.1"]["figure"] == cited["figure"]
    assert [(v["value"], v["count"]) for v in reading["1.1"]["values"]][:2] == [
        ("yes", 3),
        ("no", 1),
    ]


def test_a_published_version_is_unchanged_after_a_later_correction():
    team = make_team(status="factual_accuracy")
    question, _ = figures_for(team.inspection, yes=1, no=1)
    for qi in team.indicators:
        grade(team, qi, 4)
    finding = draft(team, text="Original wording.", cited_questions=[question])
    services.finding_agree(finding=finding, by=team.lead, expected_version=1)
    publish(team)
    first = PublishedVersion.objects.get()
    frozen = first.content

    # Afterwards: the finding is reworded and agreed again, moderation of one grade is
    # reopened and the grade lowered, and more records are read.
    finding = services.finding_update(
        finding=Finding.objects.get(),
        by=team.member,
        expected_version=Finding.objects.get().version,
        changes={"text": "Corrected wording."},
    )
    with pytest.raises(ValidationError) as exc:
        services.published_correction(
            inspection=team.inspection, by=team.lead, reason="Wording corrected"
        )
    assert gates.FINDINGS_IN_DRAFT.format(count=1, findings=str(finding)) in messages(exc)
    services.finding_agree(finding=finding, by=team.lead, expected_version=finding.version)
    qi = team.indicators[0]
    services.evaluation_reopen(
        inspection=team.inspection, quality_indicator=qi, by=team.lead, reason="Error found"
    )
    grade(team, qi, 3)
    from .conftest import add_answers

    add_answers(team.inspection, question, ["yes", "yes"])

    with pytest.raises(ValidationError) as exc:
        services.published_correction(inspection=team.inspection, by=team.lead, reason=" ")
    assert field_errors(exc) == {"reason": [services.CORRECTION_REASON_NEEDED]}
    with pytest.raises(PermissionDenied):
        services.published_correction(
            inspection=team.inspection, by=team.member, reason="Wording corrected"
        )

    second = services.published_correction(
        inspection=team.inspection, by=team.lead, reason="Wording corrected"
    )

    assert (second.number, second.reason) == (2, "Wording corrected")
    first.refresh_from_db()
    assert first.content == frozen  # version 1 exactly as published
    assert first.content["findings"][0]["findings"][0]["text"] == "Original wording."
    assert first.content["evaluations"][0]["level"]["value"] == 4
    assert first.content["findings"][0]["findings"][0]["cited_questions"][0]["figure"].startswith(
        "50% yes (1 of 2 applicable"
    )
    assert second.content["findings"][0]["findings"][0]["text"] == "Corrected wording."
    assert second.content["evaluations"][0]["level"]["value"] == 3
    assert second.content["findings"][0]["findings"][0]["cited_questions"][0]["figure"].startswith(
        "75% yes (3 of 4 applicable"
    )
    assert second.content["reason"] == "Wording corrected"


def test_a_correction_needs_a_published_inspection(team):
    with pytest.raises(ValidationError, match=re.escape(services.NOT_PUBLISHED)):
        services.published_correction(inspection=team.inspection, by=team.lead, reason="x")


def test_the_content_builder_names_every_kind_even_when_empty(team):
    data = content.build(team.inspection, number=1, published_on=datetime.date(2026, 1, 1))
    assert [len(g["findings"]) for g in data["findings"]] == [0, 0, 0, 0]
    assert [e["level"] for e in data["evaluations"]] == [None] * len(team.indicators)
    assert data["record_reading"] == []


def test_factual_accuracy_comment_model_keeps_its_history():
    team = make_team(status="factual_accuracy")
    comment = services.fa_comment_create(
        inspection=team.inspection, by=team.member, report_reference="p2", comment="x"
    )
    services.fa_comment_update(
        comment=comment, by=team.member, expected_version=1, changes={"comment": "y"}
    )
    assert FactualAccuracyComment.objects.get().comment == "y"
    assert comment.history.count() == 2
