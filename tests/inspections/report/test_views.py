"""Report pages: findings (list, form, agreeing, History), evaluations with moderation, the
factual accuracy log and the published version; the blocks on the inspection overview and the
partnership page; who sees what; fixed numbers of queries."""

from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services as inspection_services
from inspections.models import EvaluationLink, FactualAccuracyComment, Finding, PublishedVersion
from inspections.report import services
from tests import factories

from .conftest import PANEL_DAY, figures_for, fresh, make_team

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return html.unescape(response.content.decode())


def login(client, user):
    client.force_login(user)
    return client


def url(name, *args) -> str:
    return reverse(f"inspections:{name}", args=args)


def findings_url(team) -> str:
    return url("finding_list", team.inspection.pk)


def eval_url(team, indicator=None) -> str:
    return url("evaluation_detail", team.inspection.pk, (indicator or team.indicators[0]).pk)


def finding_data(team, **overrides):
    data = {
        "kind": "strength",
        "text": "People were seen promptly.",
        "quality_indicators": [team.indicators[0].pk],
    }
    data.update(overrides)
    return data


def published_team(**kwargs):
    """A published inspection with one agreed finding and every indicator graded 4."""
    team = make_team(status="factual_accuracy", **kwargs)
    finding = factories.FindingFactory(
        inspection=team.inspection, text="Published strength.", drafted_by=team.member
    )
    factories.satisfy_report_gates(team.inspection, team.lead)
    inspection_services.inspection_transition(
        inspection=team.inspection,
        by=team.lead,
        to_status="published",
        on=datetime.date(2026, 5, 25),
    )
    team.reload()
    return team, Finding.objects.get(pk=finding.pk)


# Findings ------------------------------------------------------------------------------------


def test_the_findings_list_filters_and_offers_the_teams_actions(client, team):
    strength = factories.FindingFactory(inspection=team.inspection, text="Strong leadership.")
    factories.FindingFactory(
        inspection=team.inspection,
        kind="recommendation",
        text="Review plans quarterly.",
        quality_indicators=[team.indicators[1]],
    )
    login(client, team.lead)

    response = client.get(findings_url(team))
    assert response.status_code == 200
    assert response.templates[0].name == "inspections/report/finding_list.html"
    text = body(response)
    assert "2 findings" in text
    assert "Strong leadership." in text
    assert url("finding_agree", team.inspection.pk, strength.pk) in text
    assert url("finding_create", team.inspection.pk) in text

    only = body(client.get(findings_url(team), {"kind": "recommendation"}))
    assert "1 finding" in only and "Strong leadership." not in only
    by_qi = body(client.get(findings_url(team), {"indicator": team.indicators[1].pk}))
    assert "Review plans quarterly." in by_qi and "Strong leadership." not in by_qi
    bad = client.get(findings_url(team), {"kind": "verdict"})
    assert bad.status_code == 400
    assert "There is a problem" in body(bad)


def test_the_findings_csv(client, team):
    factories.FindingFactory(inspection=team.inspection, text="Strong leadership.")
    login(client, team.member)
    response = client.get(findings_url(team), {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Kind", "Finding"]
    assert rows[1][:2] == ["Strength", "Strong leadership."]
    assert rows[1][5] == "Draft"


def test_recording_a_finding_with_mistakes_then_correctly(client, team):
    question, text_question = figures_for(team.inspection, yes=3, no=1)
    activity = factories.EvidenceActivityFactory(inspection=team.inspection, title="Survey")
    login(client, team.member)
    create = url("finding_create", team.inspection.pk)

    form = client.get(create)
    assert form.status_code == 200
    page = body(form)
    assert "Survey" in page
    assert "1.1 Was a chronology in place? — 75% yes (3 of 4 applicable" in page
    assert "Notes" not in page  # free-text questions have no figures to cite
    assert "Outcome 1" not in page and "1. People are able to look after" in page

    refused = client.post(create, {"kind": "", "text": "", "quality_indicators": []})
    assert refused.status_code == 400
    text = body(refused)
    assert "There is a problem" in text
    for message in (services.KIND_NEEDED, services.TEXT_NEEDED, services.INDICATOR_NEEDED):
        assert message in text
    assert 'aria-invalid="true"' in text

    response = client.post(
        create,
        finding_data(
            team,
            evidence_activities=[activity.pk],
            cited_questions=[question.pk],
            national_outcomes=[1],
        ),
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response.url == url("finding_detail", team.inspection.pk, finding.pk)
    assert finding.drafted_by == team.member
    assert list(finding.cited_questions.all()) == [question]
    detail = body(client.get(response.url))
    assert "Draft" in detail
    assert "75% yes" in detail
    assert "Survey" in detail
    assert text_question.pk not in [q.pk for q in finding.cited_questions.all()]


def test_the_lead_agrees_and_an_edit_returns_the_finding_to_draft(client, team):
    finding = factories.FindingFactory(inspection=team.inspection, drafted_by=team.member)
    agree = url("finding_agree", team.inspection.pk, finding.pk)

    login(client, team.member)
    assert client.post(agree, {"version": 1}).status_code == 403

    login(client, team.lead)
    response = client.post(agree, {"version": 1})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.agreed_by) == ("agreed", team.lead)
    stale = client.post(agree, {"version": 1}, follow=True)
    assert "Someone else changed this record" in body(stale)

    login(client, team.member)
    edit = url("finding_edit", team.inspection.pk, finding.pk)
    page = body(client.get(edit))
    assert "If you change it, it goes back to draft" in page
    response = client.post(
        edit, {**finding_data(team, text="Reworded."), "version": finding.version}, follow=True
    )
    assert "It is a draft again until agreed." in body(response)
    finding.refresh_from_db()
    assert (finding.status, finding.agreed_by, finding.text) == ("draft", None, "Reworded.")

    history = body(client.get(url("finding_history", team.inspection.pk, finding.pk)))
    assert services.BACK_TO_DRAFT in history
    assert "Agreed by the lead inspector" in history
    assert "Morven Member" in history


def test_a_stale_finding_edit_keeps_the_input_and_shows_the_conflict(client, team):
    finding = factories.FindingFactory(inspection=team.inspection)
    services.finding_update(
        finding=finding, by=team.lead, expected_version=1, changes={"text": "Lead's words"}
    )
    login(client, team.member)
    response = client.post(
        url("finding_edit", team.inspection.pk, finding.pk),
        {**finding_data(team, text="Member's words"), "version": 1},
    )
    assert response.status_code == 400
    text = body(response)
    assert "Someone else changed this record" in text
    assert "Member's words" in text and "Lead's words" in text


def test_archiving_a_finding(client, team):
    finding = factories.FindingFactory(inspection=team.inspection)
    login(client, team.member)
    archive = url("finding_archive", team.inspection.pk, finding.pk)
    assert client.post(archive, {"version": 1, "reason": ""}).status_code == 400
    response = client.post(archive, {"version": 1, "reason": "Duplicate"})
    assert response.status_code == 302
    assert Finding.objects.get().archived_at is not None
    assert "0 findings" in body(client.get(findings_url(team)))
    assert "1 finding" in body(client.get(findings_url(team), {"archived": "on"}))


def test_outsiders_get_404_on_draft_findings_and_read_the_published_ones(client, outsider):
    team = make_team(status="report_drafting")
    finding = factories.FindingFactory(inspection=team.inspection, text="Draft words.")
    login(client, outsider)
    for name, args in [
        ("finding_list", ()),
        ("finding_create", ()),
        ("finding_detail", (finding.pk,)),
        ("finding_edit", (finding.pk,)),
        ("finding_history", (finding.pk,)),
        ("evaluation_list", ()),
        ("evaluation_detail", (team.indicators[0].pk,)),
        ("fa_list", ()),
        ("published", ()),
    ]:
        assert client.get(url(name, team.inspection.pk, *args)).status_code == 404, name

    published, finding = published_team()
    for name, args in [
        ("finding_list", ()),
        ("finding_detail", (finding.pk,)),
        ("finding_history", (finding.pk,)),
        ("evaluation_list", ()),
        ("fa_list", ()),
    ]:
        assert client.get(url(name, published.inspection.pk, *args)).status_code == 404, name
    page = client.get(url("published", published.inspection.pk))
    assert page.status_code == 200
    text = body(page)
    assert "Published strength." in text
    assert "4: Good" in text
    assert "Publish a correction" not in text
    overview = body(client.get(url("detail", published.inspection.pk)))
    assert "Findings and evaluations by quality indicator" in overview
    assert url("published", published.inspection.pk) in overview
    assert url("finding_list", published.inspection.pk) not in overview


def test_the_link_inspector_reads_drafts_but_cannot_write(client):
    team = make_team(status="evaluation")
    area = team.inspection.partnership.local_authorities.first()
    link = fresh(factories.AreaAssignmentFactory(local_authority=area).user)
    finding = factories.FindingFactory(inspection=team.inspection)
    login(client, link)
    assert client.get(findings_url(team)).status_code == 200
    detail = body(client.get(url("finding_detail", team.inspection.pk, finding.pk)))
    assert "Evidence" not in detail.split("Record-reading results")[0].split("Quality")[1]
    assert client.get(url("finding_create", team.inspection.pk)).status_code == 403
    page = client.get(eval_url(team))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert "Waiting for the team to propose a grade." in body(page)


# Evaluations ---------------------------------------------------------------------------------


def test_a_grade_through_proposal_panel_and_final_on_the_pages(client, team):
    qi = team.indicators[0]
    login(client, team.member)
    page = client.get(eval_url(team))
    assert page.status_code == 200
    assert page.context["step"] == "propose"
    assert "The team has not proposed a grade yet." in body(page)

    refused = client.post(eval_url(team), {"step": "propose", "previous": 0})
    assert refused.status_code == 400
    assert services.LEVEL_NEEDED in body(refused)
    assert services.RATIONALE_NEEDED in body(refused)

    response = client.post(
        eval_url(team),
        {"step": "propose", "previous": 0, "level": team.level(4).pk, "rationale": "Solid."},
    )
    assert response.status_code == 302
    proposal = EvaluationLink.objects.get()
    assert (proposal.stage, proposal.level.value, proposal.created_by) == (
        "proposed",
        4,
        team.member,
    )
    member_view = client.get(eval_url(team))
    assert member_view.context["form"] is None  # the panel is the lead's step
    assert "Waiting for the lead inspector to record the panel's decision." in body(member_view)
    assert client.post(eval_url(team), {"step": "panel"}).status_code == 403

    login(client, team.lead)
    page = client.get(eval_url(team))
    assert page.context["step"] == "panel"
    panel = {
        "step": "panel",
        "previous": proposal.pk,
        "outcome": "changed",
        "level": team.level(3).pk,
        "reason": "",
        "panel_members": [team.lead.pk, team.member.pk],
        "panel_date": PANEL_DAY.isoformat(),
    }
    refused = client.post(eval_url(team), panel)
    assert refused.status_code == 400
    text = body(refused)
    assert "There is a problem" in text
    assert services.PANEL_REASON_NEEDED in text
    assert EvaluationLink.objects.count() == 1

    assert client.post(eval_url(team), {**panel, "reason": "Too generous."}).status_code == 302
    decision = EvaluationLink.objects.latest("pk")
    final = client.post(eval_url(team), {"step": "finalise", "previous": decision.pk})
    assert final.status_code == 302
    final_link = EvaluationLink.objects.latest("pk")
    assert (final_link.stage, final_link.level.value) == ("final", 3)

    chain = body(client.get(eval_url(team)))
    assert "Quality and consistency panel: changed" in chain
    assert "Too generous." in chain
    assert "Lesley Lead, Morven Member" in chain
    assert "20 March 2026" in chain
    assert "3: Adequate" in chain
    assert "Reopen moderation" in chain
    listing = body(client.get(url("evaluation_list", team.inspection.pk)))
    assert str(qi) in listing and "Final" in listing


def test_a_final_grade_is_read_only_on_the_page_until_reopened(client, team):
    qi = team.indicators[0]
    final = factories.final_evaluation(team.inspection, qi, team.lead, value=4)
    login(client, team.member)
    page = client.get(eval_url(team))
    assert page.context["form"] is None
    assert "The grade is final." in body(page)
    stale = client.post(
        eval_url(team),
        {"step": "propose", "previous": final.pk, "level": team.level(2).pk, "rationale": "x"},
    )
    assert stale.status_code == 403
    assert EvaluationLink.objects.count() == 3

    login(client, team.lead)
    wrong_step = client.post(
        eval_url(team),
        {"step": "propose", "previous": final.pk, "level": team.level(2).pk, "rationale": "x"},
        follow=True,
    )
    assert services.CHAIN_MOVED_ON in body(wrong_step)
    assert EvaluationLink.objects.count() == 3

    refused = client.post(eval_url(team), {"step": "reopen", "previous": final.pk, "reason": ""})
    assert refused.status_code == 400
    assert services.REOPEN_REASON_NEEDED in body(refused)
    reopened = client.post(
        eval_url(team), {"step": "reopen", "previous": final.pk, "reason": "New evidence."}
    )
    assert reopened.status_code == 302
    assert EvaluationLink.objects.latest("pk").stage == "reopened"
    page = client.get(eval_url(team))
    assert page.context["step"] == "propose"
    assert "Moderation reopened" in body(page)


def test_an_indicator_out_of_scope_is_404(client, team):
    elsewhere = factories.programme("asp_phase_2_year_2").quality_indicators.first()
    login(client, team.lead)
    assert client.get(eval_url(team, elsewhere)).status_code == 404


# Factual accuracy ----------------------------------------------------------------------------


def test_the_factual_accuracy_log(client):
    team = make_team(status="factual_accuracy")
    login(client, team.member)
    log = url("fa_list", team.inspection.pk)
    add = url("fa_create", team.inspection.pk)
    assert add in body(client.get(log))

    refused = client.post(add, {"report_reference": "", "comment": ""})
    assert refused.status_code == 400
    assert services.REFERENCE_NEEDED in body(refused)
    assert client.post(add, {"report_reference": "Page 3", "comment": "Wrong year."}).status_code
    comment = FactualAccuracyComment.objects.get()
    page = body(client.get(log))
    assert "1 comment, 1 without a response" in page
    assert url("fa_respond", team.inspection.pk, comment.pk) not in page  # the lead's step
    assert client.get(url("fa_respond", team.inspection.pk, comment.pk)).status_code == 403

    login(client, team.lead)
    respond = url("fa_respond", team.inspection.pk, comment.pk)
    refused = client.post(
        respond,
        {"response": "not_accepted", "response_text": "", "change_made": "", "version": 1},
    )
    assert refused.status_code == 400
    assert services.RESPONSE_TEXT_NEEDED in body(refused)
    response = client.post(
        respond,
        {
            "response": "partly_accepted",
            "response_text": "The year is corrected.",
            "change_made": "Page 3 says 2025.",
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = body(client.get(log))
    assert "Partly accepted" in page and "Page 3 says 2025." in page
    history = body(client.get(url("fa_history", team.inspection.pk, comment.pk)))
    assert "The team's response" in history


# The published version -----------------------------------------------------------------------


def test_the_published_version_and_a_correction(client):
    team, finding = published_team()
    login(client, team.lead)
    page = client.get(url("published", team.inspection.pk))
    assert page.status_code == 200
    assert "Publish a correction" in body(page)

    refused = client.post(url("published_correct", team.inspection.pk), {"reason": ""})
    assert refused.status_code == 400
    assert services.CORRECTION_REASON_NEEDED in body(refused)

    services.finding_update(
        finding=finding,
        by=team.member,
        expected_version=finding.version,
        changes={"text": "Corrected strength."},
    )
    refused = client.post(url("published_correct", team.inspection.pk), {"reason": "Typo"})
    assert refused.status_code == 400
    assert "Agree every finding" in body(refused)
    finding.refresh_from_db()
    services.finding_agree(finding=finding, by=team.lead, expected_version=finding.version)

    response = client.post(url("published_correct", team.inspection.pk), {"reason": "Typo"})
    assert response.status_code == 302
    latest = body(client.get(url("published", team.inspection.pk)))
    assert "Published report: version 2" in latest
    assert "Corrected strength." in latest and "Typo" in latest
    first = body(client.get(url("published_version", team.inspection.pk, 1)))
    assert "Published strength." in first and "Corrected strength." not in first
    assert "This is an earlier version." in first
    assert client.get(url("published_version", team.inspection.pk, 9)).status_code == 404

    login(client, team.member)
    assert (
        client.post(url("published_correct", team.inspection.pk), {"reason": "x"}).status_code
        == 403
    )
    assert PublishedVersion.objects.count() == 2


# Overview and partnership page ---------------------------------------------------------------


def test_the_overview_shows_drafts_by_indicator_to_the_team(client, team):
    factories.FindingFactory(inspection=team.inspection, kind="strength")
    factories.FindingFactory(inspection=team.inspection, kind="recommendation")
    factories.final_evaluation(team.inspection, team.indicators[0], team.lead, value=5)
    login(client, team.member)
    text = body(client.get(url("detail", team.inspection.pk)))
    assert "Findings and evaluations by quality indicator" in text
    assert "5: Very good" in text
    assert "Not graded yet" in text
    assert url("finding_list", team.inspection.pk) in text
    assert url("evaluation_detail", team.inspection.pk, team.indicators[0].pk) in text


def test_the_partnership_page_shows_the_latest_published_evaluations(client, outsider):
    team, _ = published_team()
    login(client, outsider)
    text = body(client.get(reverse("partnerships:detail", args=[team.inspection.partnership_id])))
    assert "Latest published evaluations" in text
    assert "4: Good" in text
    assert url("published", team.inspection.pk) in text


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(team, size: int, question) -> None:
    activity = factories.EvidenceActivityFactory(inspection=team.inspection)
    for n in range(size):
        finding = factories.FindingFactory(
            inspection=team.inspection, quality_indicators=team.indicators[:2], text=f"F{n}"
        )
        finding.cited_questions.set([question])
        finding.evidence_activities.set([activity])
        finding.national_outcomes.set([1, 2])
    for qi in team.indicators[:size]:
        factories.final_evaluation(team.inspection, qi, team.lead)


@pytest.mark.parametrize("page", ["finding_list", "evaluation_list", "detail"])
def test_report_pages_run_a_fixed_number_of_queries(client, page):
    small, large = make_team(), make_team()
    question, _ = figures_for(small.inspection, yes=2, no=1)  # the programme's template
    _grow(small, 1, question)
    _grow(large, 5, question)
    viewer = factories.administrator()
    login(client, viewer)
    assert _queries(client, url(page, small.inspection.pk)) == _queries(
        client, url(page, large.inspection.pk)
    )


def test_the_partnership_page_runs_a_fixed_number_of_queries(client, outsider):
    login(client, outsider)
    plain = factories.PartnershipFactory()
    team, _ = published_team()
    before = _queries(client, reverse("partnerships:detail", args=[plain.pk]))
    after = _queries(client, reverse("partnerships:detail", args=[team.inspection.partnership_id]))
    # The latest published evaluations cost one query, however many findings and grades.
    assert after - before <= 2
    for _ in range(3):
        factories.FindingFactory(inspection=team.inspection)
    assert (
        _queries(client, reverse("partnerships:detail", args=[team.inspection.partnership_id]))
        == after
    )


def test_evaluation_page_needs_drafts(client, team, outsider):
    login(client, fresh(outsider))
    assert client.get(eval_url(team)).status_code == 404
