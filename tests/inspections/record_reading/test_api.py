"""/api/v1/record-reading/ (templates, records, answers) and
/api/v1/inspections/{id}/record-reading-results/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from inspections.models import ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import services
from scrutiny.api import VERSION_REQUIRED_MESSAGE
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATES = "/api/v1/record-reading/templates/"
RECORDS = "/api/v1/record-reading/records/"
ANSWERS = "/api/v1/record-reading/answers/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def results_url(inspection) -> str:
    return f"/api/v1/inspections/{inspection.pk}/record-reading-results/"


def batch(setting, record, answers: dict, *, version: int, complete: bool = False) -> dict:
    return {
        "record": record.pk,
        "version": version,
        "answers": [{"question": q, "value": v} for q, v in answers.items()],
        "complete": complete,
    }


# Templates -----------------------------------------------------------------------------------


def test_templates_come_with_sections_questions_and_choices(setting):
    response = api(setting.outsider).get(TEMPLATES, {"programme": setting.inspection.programme_id})
    assert response.status_code == 200
    (template,) = response.data["results"]
    assert template["name"] == "Test record review template"
    assert [s["number"] for s in template["sections"]] == ["1", "2"]
    first = template["sections"][0]["questions"]
    assert [(q["number"], q["answer_type"], q["counted"]) for q in first] == [
        ("1.1", "yes_no", True),
        ("1.2", "choice", True),
    ]
    assert [c["label"] for c in first[1]["choices"]] == ["Within a day", "Within a week", "Later"]
    notes = template["sections"][1]["questions"][1]
    assert (notes["counted"], notes["offers_not_applicable"]) == (False, False)

    detail = api(setting.outsider).get(f"{TEMPLATES}{template['id']}/")
    assert detail.status_code == 200
    assert api(setting.outsider).post(TEMPLATES, {}).status_code == 405


# Records -------------------------------------------------------------------------------------


def test_records_are_listed_only_to_those_cleared_and_filter(setting):
    setting.add_record("SW/1")
    setting.add_record("H/1", agency="health", reader=setting.other_member)

    rows = api(setting.reader).get(RECORDS, {"inspection": setting.inspection.pk}).data
    assert [r["reference"] for r in rows["results"]] == ["H/1", "SW/1"]
    health = api(setting.reader).get(RECORDS, {"agency": "health"}).data["results"]
    assert [(r["reference"], r["reader_details"]["full_name"]) for r in health] == [
        ("H/1", "Olly Other")
    ]
    mine = api(setting.reader).get(RECORDS, {"reader": setting.reader.pk}).data["results"]
    assert [r["reference"] for r in mine] == ["SW/1"]
    assert api(setting.reader).get(RECORDS, {"agency": "fire"}).status_code == 400

    assert api(setting.outsider).get(RECORDS).data["results"] == []
    record = ReviewedRecord.objects.get(reference="SW/1")
    assert api(setting.outsider).get(f"{RECORDS}{record.pk}/").status_code == 404


def test_the_lead_adds_a_record_and_others_may_not(setting):
    data = {
        "inspection": setting.inspection.pk,
        "reference": "P/2025/77",
        "agency": "police",
        "reader": setting.reader.pk,
    }
    assert api(setting.reader).post(RECORDS, data).status_code == 403
    response = api(setting.lead).post(RECORDS, data)
    assert response.status_code == 201, response.data
    assert response.data["reference"] == "P/2025/77"
    assert response.data["template"] == setting.template.pk
    assert response.data["status"] == "not_started"

    again = api(setting.lead).post(RECORDS, data)
    assert again.status_code == 400
    assert again.data == {"reference": [services.ALREADY_IN_SAMPLE]}
    named = api(setting.lead).post(RECORDS, {**data, "reference": "Peter Pan"})
    assert named.status_code == 400 and "reference" in named.data
    # An inspection whose evidence the caller may not see does not exist for them.
    assert api(setting.outsider).post(RECORDS, data).status_code == 400


def test_the_lead_changes_the_reader_with_the_version(setting):
    record = setting.add_record()
    url = f"{RECORDS}{record.pk}/"
    lead = api(setting.lead)
    assert lead.patch(url, {"reader": None}).data == {"version": [VERSION_REQUIRED_MESSAGE]}
    response = lead.patch(url, {"version": 1, "reader": setting.other_member.pk})
    assert response.status_code == 200
    assert response.data["reader"] == setting.other_member.pk
    stale = lead.patch(url, {"version": 1, "reader": None})
    assert stale.status_code == 409
    assert stale.data["current_version"] == 2
    refused = lead.patch(url, {"version": 2, "reader": setting.outsider.pk})
    assert refused.status_code == 400
    assert refused.data == {"reader": [services.READER_NOT_CLEARED]}
    fixed = lead.patch(url, {"version": 2, "reader": None, "reference": "X/1"})
    assert fixed.status_code == 400 and "reference" in fixed.data
    assert api(setting.reader).patch(url, {"version": 2, "reader": None}).status_code == 403


def test_delete_takes_a_record_out_of_the_sample(setting):
    record = setting.add_record()
    response = api(setting.lead).delete(f"{RECORDS}{record.pk}/?version=1&reason=Duplicate")
    assert response.status_code == 200
    assert response.data["archived_at"] is not None
    assert ReviewedRecord.objects.filter(pk=record.pk).exists()
    assert api(setting.reader).get(RECORDS).data["results"] == []


# Answers -------------------------------------------------------------------------------------


def test_a_batch_of_answers_is_saved_together(setting):
    record = setting.add_record()
    q = setting.questions
    reader = api(setting.reader)
    response = reader.post(
        ANSWERS,
        batch(
            setting,
            record,
            {
                q["yes_no"].pk: "yes",
                q["choice"].pk: setting.choices[2].pk,  # a number is fine too
                q["six_point"].pk: 4,
                q["text"].pk: "Clear plan",
            },
            version=1,
            complete=True,
        ),
    )
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["version"]) == ("complete", 2)
    answers = {a["question_number"]: a for a in response.data["answers"]}
    assert answers["1.1"]["value"] == "yes"
    assert answers["1.2"]["value"] == str(setting.choices[2].pk)
    assert answers["1.2"]["display"] == "Later"
    assert (answers["2.1"]["value"], answers["2.1"]["display"]) == ("4", "4 Good")
    assert answers["2.2"]["text"] == "Clear plan"

    listed = reader.get(ANSWERS, {"record": record.pk}).data
    assert listed["count"] == 4
    one = listed["results"][0]
    assert reader.get(f"{ANSWERS}{one['id']}/").data["id"] == one["id"]
    assert api(setting.outsider).get(ANSWERS).data["results"] == []
    assert api(setting.outsider).get(f"{ANSWERS}{one['id']}/").status_code == 404


def test_wrong_answers_are_a_400_per_question_and_nothing_is_saved(setting):
    record = setting.add_record()
    q = setting.questions
    response = api(setting.reader).post(
        ANSWERS,
        batch(setting, record, {q["yes_no"].pk: "perhaps", q["six_point"].pk: "8"}, version=1),
    )
    assert response.status_code == 400
    assert response.data == {
        f"question_{q['yes_no'].pk}": ["Question 1.1: choose yes, no or not applicable."],
        f"question_{q['six_point'].pk}": [
            "Question 2.1: choose a grade from 6 (excellent) to 1 (unsatisfactory)."
        ],
    }
    incomplete = api(setting.reader).post(
        ANSWERS, batch(setting, record, {q["yes_no"].pk: "yes"}, version=1, complete=True)
    )
    assert incomplete.status_code == 400
    assert set(incomplete.data) == {f"question_{q['choice'].pk}", f"question_{q['six_point'].pk}"}
    twice = api(setting.reader).post(
        ANSWERS,
        batch(setting, record, {q["yes_no"].pk: "yes"}, version=1)
        | {"answers": [{"question": q["yes_no"].pk, "value": "yes"}] * 2},
    )
    assert twice.status_code == 400 and "answers" in twice.data
    assert not RecordAnswer.objects.exists()


def test_a_stale_batch_is_a_409_and_nothing_is_saved(setting):
    record = setting.add_record()
    q = setting.questions["yes_no"]
    assert (
        api(setting.reader).post(ANSWERS, batch(setting, record, {q.pk: "yes"}, version=1))
    ).status_code == 200
    stale = api(setting.lead).post(ANSWERS, batch(setting, record, {q.pk: "no"}, version=1))
    assert stale.status_code == 409
    assert stale.data["current_version"] == 2
    assert RecordAnswer.objects.get().value == "yes"


def test_only_the_reader_or_lead_saves_answers(setting):
    record = setting.add_record()
    q = setting.questions["yes_no"]
    data = batch(setting, record, {q.pk: "yes"}, version=1)
    assert api(setting.other_member).post(ANSWERS, data).status_code == 403
    assert api(setting.outsider).post(ANSWERS, data).status_code == 400  # no such record
    assert api(setting.lead).post(ANSWERS, data).status_code == 200


# Results -------------------------------------------------------------------------------------


def test_results_endpoint_with_agency_and_drafts(setting):
    for reference, agency, yes_no in [
        ("SW/1", "social_work", "yes"),
        ("SW/2", "social_work", "no"),
        ("H/1", "health", "yes"),
    ]:
        record = setting.add_record(reference, agency=agency)
        services.record_answers_save(
            record=record,
            by=setting.reader,
            expected_version=1,
            answers=setting.full_answers(yes_no=yes_no),
            complete=True,
        )
    draft = setting.add_record("SW/3")
    services.record_answers_save(
        record=draft,
        by=setting.reader,
        expected_version=1,
        answers={setting.questions["yes_no"].pk: "na"},
    )
    reader = api(setting.reader)

    data = reader.get(results_url(setting.inspection)).data
    assert (data["records_counted"], data["complete_only"], data["agency"]) == (3, True, None)
    first = data["questions"][0]
    assert first["number"] == "1.1"
    assert first["figure"] == "67% yes (2 of 3 applicable; 0 not applicable)"
    assert first["values"][0] == {"value": "yes", "label": "Yes", "count": 2, "percent": 66.7}
    assert [q["number"] for q in data["questions"]] == ["1.1", "1.2", "2.1"]

    social = reader.get(results_url(setting.inspection), {"agency": "social_work"}).data
    assert social["questions"][0]["figure"] == "50% yes (1 of 2 applicable; 0 not applicable)"
    drafts = reader.get(results_url(setting.inspection), {"drafts": "true"}).data
    assert drafts["records_counted"] == 4
    assert drafts["questions"][0]["not_applicable"] == 1

    assert reader.get(results_url(setting.inspection), {"agency": "fire"}).status_code == 400
    assert api(setting.outsider).get(results_url(setting.inspection)).status_code == 404
    assert api(factories.senior()).get(results_url(setting.inspection)).status_code == 404
    assert ReviewedRecord.objects.filter(status=ReadingStatus.COMPLETE).count() == 3
