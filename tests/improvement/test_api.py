"""/api/v1/support-assessments/ and /api/v1/support-decisions/."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from improvement import services
from improvement.models import SupportLevel


def test_assessment_with_recommendation_and_reasons(api_client, lead, record_assessment):
    assessment = record_assessment((2, 2, 0, 0, 0))
    api_client.force_authenticate(lead)
    data = api_client.get(f"/api/v1/support-assessments/{assessment.pk}/").json()
    rec = data["recommendation"]
    assert rec["level"]["name"] == "Assisted improvement support"
    assert rec["conditions_met"] == 2
    assert [c["met"] for c in rec["conditions"]] == [True, True, False, False, False]
    assert rec["reasons"][0].startswith("2 of 5 conditions met")
    assert len(data["judgements"]) == 15


def test_lists_in_fixed_queries_and_hidden_from_outsiders(
    api_client, lead, outsider, record_assessment
):
    api_client.force_authenticate(lead)
    first = record_assessment()
    services.decision_create(by=lead, assessment=first, level=SupportLevel.objects.get(order=1))
    for url in ["/api/v1/support-assessments/", "/api/v1/support-decisions/"]:
        api_client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert api_client.get(url).status_code == 200
        for _ in range(3):
            extra = record_assessment()
            services.decision_create(
                by=lead, assessment=extra, level=SupportLevel.objects.get(order=1)
            )
        with CaptureQueriesContext(connection) as more:
            response = api_client.get(url)
        assert len(more) == len(one), url
        assert response.json()["count"] >= 4
    api_client.force_authenticate(outsider)
    assert api_client.get("/api/v1/support-assessments/").json()["count"] == 0
    assert api_client.get("/api/v1/support-decisions/").json()["count"] == 0
    assert api_client.get(f"/api/v1/support-assessments/{first.pk}/").status_code == 404
