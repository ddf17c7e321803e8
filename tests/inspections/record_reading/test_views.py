"""Record reading pages: the sample (filters, CSV, adding records, choosing readers), the entry
page for one record (drafts, completing, errors and conflicts that lose nothing typed), the
record's History and the results (by agency, CSV). Anyone not cleared for the evidence: 404."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.urls import reverse

from inspections import services as inspection_services
from inspections.models import ReadingStatus, RecordAnswer, ReviewedRecord
from inspections.record_reading import services
from inspections.record_reading.services import answer_field
from scrutiny.services import CONFLICT_MESSAGE
from tests import factories

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def body(response) -> str:
    return html.unescape(response.content.decode())


def sample_url(setting) -> str:
    return reverse("inspections:record_reading_sample", args=[setting.inspection.pk])


def results_url(setting) -> str:
    return reverse("inspections:record_reading_results", args=[setting.inspection.pk])


def entry_url(record) -> str:
    return reverse("inspections:record_reading_record", args=[record.pk])


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def checked(text: str, question, value: str) -> bool:
    """Whether the radio for `value` of `question` is checked in the page."""
    name = answer_field(question.pk)
    for tag in re.findall(r"<input[^>]*>", text):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no radio {name}={value}")


def post_answers(client, record, answers: dict, *, version: int, action: str = "draft"):
    data = {"version": version, "action": action}
    data.update({answer_field(k): v for k, v in answers.items()})
    return client.post(entry_url(record), data)


# Who sees what -------------------------------------------------------------------------------


def test_record_reading_pages_are_404_for_anyone_not_cleared_for_the_evidence(client, setting):
    record = setting.add_record()
    pending = setting.inspection.team.get(user=setting.other_member)
    inspection_services.team_member_declare(
        member=pending, by=setting.other_member, conflict="family", conflict_details="Cousin"
    )
    urls = [
        sample_url(setting),
        results_url(setting),
        reverse("inspections:record_reading_add", args=[setting.inspection.pk]),
        reverse("inspections:record_reading_add_bulk", args=[setting.inspection.pk]),
        entry_url(record),
        reverse("inspections:record_reading_history", args=[record.pk]),
        reverse("inspections:record_reading_assign", args=[record.pk]),
    ]
    for user in (setting.outsider, setting.other_member, factories.administrator()):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    assert client.post(entry_url(record), {"version": 1}).status_code == 404


def test_the_overview_shows_record_reading_only_to_those_cleared(client, setting):
    record = setting.add_record()
    services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(),
        complete=True,
    )
    setting.add_record("SW/0002")
    detail = reverse("inspections:detail", args=[setting.inspection.pk])

    text = body(login(client, setting.reader).get(detail))
    assert 'id="record-reading"' in text
    assert re.search(r"Records in the sample</dt><dd[^>]*>2<", text)
    assert re.search(r"Complete</dt><dd[^>]*>1<", text)
    assert sample_url(setting) in text and results_url(setting) in text

    director = factories.senior()  # reads the inspection, never its evidence
    text = body(login(client, director).get(detail))
    assert 'id="record-reading"' not in text


# The sample ----------------------------------------------------------------------------------


def test_the_sample_lists_filters_sorts_and_exports(client, setting):
    setting.add_record("SW/0001")
    setting.add_record("H/0001", agency="health", reader=setting.other_member)
    setting.add_record("P/0001", agency="police")
    login(client, setting.reader)

    response = client.get(sample_url(setting))
    assert response.status_code == 200
    text = body(response)
    assert "3 records" in text
    assert [r.reference for r in response.context["records"]] == ["H/0001", "P/0001", "SW/0001"]
    assert "Rhona Reader (you)" in text
    assert "0 of 4" in text
    assert "Add a record" not in text  # the reader is not the lead

    health = client.get(sample_url(setting), {"agency": "health"})
    assert [r.reference for r in health.context["records"]] == ["H/0001"]
    mine = client.get(sample_url(setting), {"mine": "on", "sort": "-reference"})
    assert [r.reference for r in mine.context["records"]] == ["SW/0001", "P/0001"]
    by_reader = client.get(sample_url(setting), {"reader": setting.other_member.pk})
    assert [r.reference for r in by_reader.context["records"]] == ["H/0001"]

    rows = csv_rows(client.get(sample_url(setting), {"agency": "police", "format": "csv"}))
    assert rows[0][0] == "Reference"
    assert rows[1][:4] == ["P/0001", "Police", "Rhona Reader", "Not started"]


def test_the_lead_adds_a_record_and_a_name_is_refused(client, setting):
    login(client, setting.lead)
    add = reverse("inspections:record_reading_add", args=[setting.inspection.pk])
    page = client.get(add)
    assert page.status_code == 200
    assert "Never a person's name" in body(page)

    refused = client.post(add, {"reference": "Jane Smith", "agency": "health"})
    assert refused.status_code == 400
    assert "never a person's name" in body(refused)
    assert not ReviewedRecord.objects.exists()

    response = client.post(
        add, {"reference": "NHS/123", "agency": "health", "reader": setting.reader.pk}
    )
    assert response.status_code == 302
    record = ReviewedRecord.objects.get()
    assert (record.reference, record.agency, record.reader) == ("NHS/123", "health", setting.reader)
    assert record.template == setting.template  # the programme's only template


def test_bulk_add_lists_every_wrong_line_and_keeps_the_paste(client, setting):
    login(client, setting.lead)
    url = reverse("inspections:record_reading_add_bulk", args=[setting.inspection.pk])
    pasted = "SW/1\nJohn Brown\nSW/2\nSW/1"
    response = client.post(url, {"references": pasted, "agency": "social_work"})
    assert response.status_code == 400
    text = body(response)
    assert "Line 2 (John Brown)" in text
    assert "Line 4 (SW/1): it appears more than once in the list." in text
    assert pasted in text
    assert not ReviewedRecord.objects.exists()

    response = client.post(url, {"references": "SW/1\nSW/2\n", "agency": "social_work"})
    assert response.status_code == 302
    assert ReviewedRecord.objects.count() == 2


def test_only_the_lead_adds_records_or_chooses_readers(client, setting):
    record = setting.add_record()
    login(client, setting.reader)
    assert (
        client.get(
            reverse("inspections:record_reading_add", args=[setting.inspection.pk])
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("inspections:record_reading_assign", args=[record.pk])).status_code
        == 403
    )


def test_the_lead_chooses_a_reader_and_a_stale_form_is_refused(client, setting):
    record = setting.add_record()
    login(client, setting.lead)
    url = reverse("inspections:record_reading_assign", args=[record.pk])
    response = client.post(url, {"version": 1, "reader": setting.other_member.pk})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.reader, record.version) == (setting.other_member, 2)

    stale = client.post(url, {"version": 1, "reader": ""})
    assert stale.status_code == 400
    assert CONFLICT_MESSAGE in body(stale)
    record.refresh_from_db()
    assert record.reader == setting.other_member


# Entering answers ----------------------------------------------------------------------------


def test_the_entry_page_shows_every_question_grouped_by_section(client, setting):
    record = setting.add_record()
    response = login(client, setting.reader).get(entry_url(record))
    assert response.status_code == 200
    text = body(response)
    assert "<h2" in text and "1 Risk" in text and "2 Outcomes" in text
    for number in ("1.1", "1.2", "2.1", "2.2"):
        assert f"{number} " in text
    assert text.count('type="radio"') == 3 + 4 + 7  # yes/no/na; 3 choices + na; 6 grades + na
    assert "<legend" in text
    assert "Within a week" in text and "6 Excellent" in text
    assert 'name="action" value="draft"' in text and 'value="complete"' in text


def test_a_draft_is_saved_and_shown_again(client, setting):
    record = setting.add_record()
    login(client, setting.reader)
    q = setting.questions
    response = post_answers(
        client, record, {q["yes_no"].pk: "no", q["text"].pk: "Chronology missing"}, version=1
    )
    assert response.status_code == 302
    assert response.url == entry_url(record)

    text = body(client.get(entry_url(record)))
    assert "saved as a draft" in text
    assert checked(text, q["yes_no"], "no")
    assert not checked(text, q["yes_no"], "yes")
    assert "Chronology missing" in text
    record.refresh_from_db()
    assert (record.status, record.version) == (ReadingStatus.DRAFT, 2)


def test_marking_complete_with_questions_missing_keeps_every_answer_typed(client, setting):
    record = setting.add_record()
    login(client, setting.reader)
    q = setting.questions
    response = post_answers(
        client,
        record,
        {q["yes_no"].pk: "yes", q["six_point"].pk: "3", q["text"].pk: "Typed notes"},
        version=1,
        action="complete",
    )
    assert response.status_code == 400
    text = body(response)
    assert 'id="error-summary"' in text
    message = "Question 1.2: answer it before marking the record complete."
    assert f'<a href="#id_{answer_field(q["choice"].pk)}_0">{message}</a>' in text
    assert checked(text, q["yes_no"], "yes")
    assert checked(text, q["six_point"], "3")
    assert "Typed notes" in text
    assert not RecordAnswer.objects.exists()


def test_a_tampered_answer_is_an_error_not_a_crash(client, setting):
    record = setting.add_record()
    login(client, setting.reader)
    q = setting.questions
    response = post_answers(client, record, {q["six_point"].pk: "9"}, version=1)
    assert response.status_code == 400
    assert services.ANSWER_GRADE.format(number="2.1") in body(response)


def test_a_complete_save_then_shows_the_next_record_to_read(client, setting):
    record = setting.add_record("SW/0001")
    later = setting.add_record("SW/0002")
    login(client, setting.reader)
    response = post_answers(client, record, setting.full_answers(), version=1, action="complete")
    assert response.status_code == 302
    text = body(client.get(entry_url(record)))
    assert "is marked complete" in text
    assert "Your next record to read" in text
    assert entry_url(later) in text


def test_a_stale_save_shows_the_conflict_and_keeps_the_readers_answers(client, setting):
    record = setting.add_record()
    q = setting.questions
    # The lead saves first, while the reader still has version 1 open.
    services.record_answers_save(
        record=record,
        by=setting.lead,
        expected_version=1,
        answers={q["yes_no"].pk: "no", q["six_point"].pk: "2"},
    )
    login(client, setting.reader)
    mine = {
        q["yes_no"].pk: "yes",
        q["choice"].pk: str(setting.choices[1].pk),
        q["six_point"].pk: "2",
        q["text"].pk: "My notes",
    }
    response = post_answers(client, record, mine, version=1, action="complete")

    assert response.status_code == 400
    text = body(response)
    assert CONFLICT_MESSAGE in text
    assert checked(text, q["yes_no"], "yes")  # the reader's answers are kept
    assert checked(text, q["choice"], str(setting.choices[1].pk))
    assert "My notes" in text
    assert 'name="version" value="2"' in text  # saving again is deliberate
    # What the other person saved, where it differs from the reader's.
    conflict = response.context["form"].conflict_rows
    assert ("1.1 Was a chronology in place?", "No") in conflict
    assert ("1.2 How soon was the risk assessed?", "(not answered)") in conflict
    assert all(not label.startswith("2.1") for label, _ in conflict)
    stored = RecordAnswer.objects.get(record=record, question=q["yes_no"])
    assert stored.value == "no"  # nothing of the stale save was written

    again = post_answers(client, record, mine, version=2, action="complete")
    assert again.status_code == 302
    stored.refresh_from_db()
    assert stored.value == "yes"


def test_another_member_reads_the_answers_but_cannot_change_them(client, setting):
    record = setting.add_record()
    services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(yes_no="na", text="Seen"),
    )
    login(client, setting.other_member)
    response = client.get(entry_url(record))
    assert response.status_code == 200
    text = body(response)
    assert 'type="radio"' not in text
    assert "Not applicable" in text and "Seen" in text
    assert post_answers(client, record, {}, version=2).status_code == 403


def test_history_lists_the_record_and_each_answer_change(client, setting):
    record = setting.add_record()
    q = setting.questions["yes_no"]
    saved = services.record_answers_save(
        record=record, by=setting.reader, expected_version=1, answers={q.pk: "yes"}
    )
    services.record_answers_save(
        record=saved, by=setting.lead, expected_version=2, answers={q.pk: "no"}, complete=False
    )
    response = login(client, setting.reader).get(
        reverse("inspections:record_reading_history", args=[record.pk])
    )
    assert response.status_code == 200
    changes = response.context["answer_changes"]
    assert [(c.question[:3], c.old, c.new) for c in changes] == [
        ("1.1", "Yes", "No"),
        ("1.1", "", "Yes"),
    ]
    assert changes[0].who.startswith(setting.lead.full_name)
    text = body(response)
    assert "Answers saved as a draft (1 answer changed)" in text
    assert "Added to the sample" in text


# Results -------------------------------------------------------------------------------------


def _read(setting, reference, agency, **answers):
    record = setting.add_record(reference, agency=agency)
    return services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(**answers),
        complete=True,
    )


def test_results_page_shows_totals_percentages_and_not_applicable_by_agency(client, setting):
    _read(setting, "SW/1", "social_work", yes_no="yes", choice=0)
    _read(setting, "SW/2", "social_work", yes_no="no", choice=1)
    _read(setting, "H/1", "health", yes_no="na", choice="na")
    login(client, setting.reader)

    response = client.get(results_url(setting))
    assert response.status_code == 200
    text = body(response)
    assert "Over 3 records marked complete, of 3 in the sample" in text
    assert "50% yes (1 of 2 applicable; 1 not applicable)" in text
    assert "50.0%" in text
    assert "Notes" not in text  # free text is not counted

    health = client.get(results_url(setting), {"agency": "health"})
    assert "No applicable answers (1 not applicable)" in body(health)

    rows = csv_rows(client.get(results_url(setting), {"format": "csv"}))
    assert rows[0][:6] == [
        "Section",
        "Question number",
        "Question",
        "Answer type",
        "Answer",
        "Count",
    ]
    assert [
        "1 Risk",
        "1.1",
        "Was a chronology in place?",
        "Yes / no",
        "Yes",
        "1",
        "50.0",
        "2",
        "1",
        "3",
    ] in rows
    assert [
        "1 Risk",
        "1.1",
        "Was a chronology in place?",
        "Yes / no",
        "Not applicable",
        "1",
        "",
        "2",
        "1",
        "3",
    ] in rows


def test_results_page_with_an_unknown_agency_is_an_error_not_a_crash(client, setting):
    login(client, setting.reader)
    response = client.get(results_url(setting), {"agency": "fire"})
    assert response.status_code == 400
