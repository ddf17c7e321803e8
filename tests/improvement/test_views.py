"""Pages: the assessment form and detail, decisions, agree and reopen, permissions, the
partnership page and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from improvement import services
from improvement.models import CriterionJudgement, RecordStatus, SupportDecision, SupportLevel
from improvement.services import RATIONALE_REQUIRED_MESSAGE


def level(order):
    return SupportLevel.objects.get(order=order)


def _form_data(inspection, met_per_condition=(3, 3, 3, 0, 0)):
    from improvement.models import ImprovementCriterion

    data = {"assessed_on": "2026-11-20", "inspection": inspection.pk, "status": "draft"}
    for criterion in ImprovementCriterion.objects.all():
        number = criterion.condition.number
        met = criterion.order <= met_per_condition[number - 1]
        data[f"met_{criterion.pk}"] = "yes" if met else "no"
        data[f"evidence_{criterion.pk}"] = f"Seen in {criterion.number}"
    return data


def test_team_member_records_an_assessment(client, team_member, partnership, inspection):
    client.force_login(team_member)
    url = reverse("improvement:assessment_create", args=[partnership.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "1.1 The partnership position statement" in response.content.decode()
    response = client.post(url, _form_data(inspection))
    assert response.status_code == 302
    assert CriterionJudgement.objects.filter(met=True).count() == 9
    detail = client.get(response["Location"])
    body = detail.content.decode()
    assert "Commissioned improvement support" in body
    assert "3 of 5 conditions met" in body


def test_every_criterion_must_be_judged(client, team_member, partnership, inspection):
    client.force_login(team_member)
    data = _form_data(inspection)
    data.pop(next(k for k in data if k.startswith("met_")))
    response = client.post(reverse("improvement:assessment_create", args=[partnership.pk]), data)
    assert response.status_code == 400
    assert "Say whether this criterion is met." in response.content.decode()


def test_outsider_gets_404_and_403(client, outsider, record_assessment, partnership):
    assessment = record_assessment()
    decision = services.decision_create(
        by=assessment.created_by, assessment=assessment, level=level(1)
    )
    client.force_login(outsider)
    for url in [
        reverse("improvement:assessment_detail", args=[assessment.pk]),
        reverse("improvement:assessment_edit", args=[assessment.pk]),
        reverse("improvement:assessment_history", args=[assessment.pk]),
        reverse("improvement:decision_create", args=[assessment.pk]),
        reverse("improvement:decision_agree", args=[decision.pk]),
        reverse("improvement:decision_history", args=[decision.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.get(reverse("improvement:assessment_create", args=[partnership.pk])).status_code
        == 403
    )


def test_director_reads_but_does_not_write(client, director, record_assessment):
    assessment = record_assessment()
    client.force_login(director)
    assert (
        client.get(reverse("improvement:assessment_detail", args=[assessment.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("improvement:assessment_edit", args=[assessment.pk])).status_code == 403
    )


def test_link_inspector_writes(client, link_inspector, record_assessment):
    assessment = record_assessment()
    client.force_login(link_inspector)
    response = client.get(reverse("improvement:assessment_edit", args=[assessment.pk]))
    assert response.status_code == 200


def test_decision_with_rationale_agree_and_reopen(client, lead, team_member, record_assessment):
    assessment = record_assessment((3, 3, 3, 0, 0))
    client.force_login(team_member)
    url = reverse("improvement:decision_create", args=[assessment.pk])
    response = client.post(url, {"level": level(3).pk})
    assert response.status_code == 400
    assert RATIONALE_REQUIRED_MESSAGE in response.content.decode()
    formal_review_on = timezone.localdate() + datetime.timedelta(days=180)
    response = client.post(
        url,
        {
            "level": level(3).pk,
            "rationale": "Weak leadership.",
            "formal_review_on": formal_review_on.isoformat(),
        },
    )
    assert response.status_code == 302
    decision = SupportDecision.objects.get()
    # Only the lead inspector agrees.
    agree = reverse("improvement:decision_agree", args=[decision.pk])
    assert client.get(agree).status_code == 403
    client.force_login(lead)
    assert client.post(agree, {"version": decision.version}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == RecordStatus.AGREED
    # Read-only now.
    edit = reverse("improvement:decision_edit", args=[decision.pk])
    assert client.get(edit).status_code == 403
    reopen = reverse("improvement:decision_reopen", args=[decision.pk])
    response = client.post(reopen, {"version": decision.version, "reason": "New evidence."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == RecordStatus.DRAFT
    history = client.get(reverse("improvement:decision_history", args=[decision.pk]))
    assert "Reopened: New evidence." in history.content.decode()
    assert client.get(edit).status_code == 200


def _agreed(assessment, lead, order=1):
    decision = services.decision_create(
        by=lead,
        assessment=assessment,
        level=level(order),
        rationale="Reason.",
        formal_review_on=timezone.localdate() + datetime.timedelta(days=200),
        monitoring_interval_months=2,
    )
    return services.decision_agree(decision=decision, by=lead, expected_version=1)


def test_partnership_page_shows_current_level_in_fixed_queries(
    client, lead, record_assessment, partnership
):
    client.force_login(lead)
    url = reverse("partnerships:detail", args=[partnership.pk])
    _agreed(record_assessment(), lead, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    body = response.content.decode()
    assert "Commissioned improvement support" in body
    assert "Provide baseline analysis of both strengths and weaknesses/risks" in body
    assert 'Coming soon</strong></p></div>\n\n<h2 id="improvement-plan"' not in body
    for order in (3, 1):
        _agreed(record_assessment(), lead, order)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(three) == len(one)
    body = response.content.decode()
    assert "Local partnership led improvement" in body
    assert "Decisions agreed before" in body


def test_assessment_list_fixed_queries(client, lead, record_assessment):
    client.force_login(lead)
    url = reverse("improvement:assessment_list")
    record_assessment()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        record_assessment((1, 2, 3, 0, 0))
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(four) == len(one)
    assert response.content.decode().count("Assisted improvement support") == 3


@pytest.mark.parametrize("who", ["outsider"])
def test_list_leaves_out_what_the_user_may_not_see(client, request, who, record_assessment):
    record_assessment()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("improvement:assessment_list"))
    assert "There are no support assessments you can see." in response.content.decode()
