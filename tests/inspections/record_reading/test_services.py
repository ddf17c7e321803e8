"""Record reading services: the sample (one record, many at once, readers), and saving a record's
answers: checked per answer type, complete only when every counted question is answered, one
version step per save, nothing written on an error or a stale version, and who may do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import services as inspection_services
from inspections.models import (
    ReadingStatus,
    RecordAnswer,
    ReviewedRecord,
)
from inspections.record_reading import services
from inspections.record_reading.services import answer_field
from scrutiny.services import ConflictError
from tests import factories

from .conftest import fresh

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.value.message_dict


# The sample ----------------------------------------------------------------------------------


def test_lead_adds_a_record_with_its_agency_and_reader_and_it_is_audited(setting):
    record = setting.add_record("SW/2025/0412", agency="health")

    assert record.reference == "SW/2025/0412"
    assert record.agency == "health"
    assert record.reader == setting.reader
    assert record.status == ReadingStatus.NOT_STARTED
    row = record.history.get()
    assert row.history_user == setting.lead
    assert row.history_change_reason == "Added to the sample"


def test_an_administrator_adds_records_too(setting):
    record = services.record_add(
        inspection=setting.inspection,
        by=factories.administrator(),
        template=setting.template,
        reference="P/1",
        agency="police",
    )
    assert record.reader is None


@pytest.mark.parametrize("who", ["reader", "other_member", "outsider"])
def test_only_the_lead_or_an_administrator_adds_records(setting, who):
    with pytest.raises(PermissionDenied):
        services.record_add(
            inspection=setting.inspection,
            by=getattr(setting, who),
            template=setting.template,
            reference="SW/1",
            agency="social_work",
        )
    assert not ReviewedRecord.objects.exists()


@pytest.mark.parametrize("reference", ["Jane Smith", "Smith", "SW 1", ""])
def test_a_reference_is_never_a_name(setting, reference):
    with pytest.raises(ValidationError) as exc:
        setting.add_record(reference)
    assert "reference" in messages_of(exc)


def test_a_reference_is_in_the_sample_once(setting):
    setting.add_record("SW/1")
    with pytest.raises(ValidationError) as exc:
        setting.add_record("SW/1")
    assert services.ALREADY_IN_SAMPLE in str(exc.value)


def test_the_reader_must_be_a_cleared_team_member(setting):
    with pytest.raises(ValidationError) as exc:
        setting.add_record("SW/1", reader=setting.outsider)
    assert messages_of(exc) == {"reader": [services.READER_NOT_CLEARED]}

    member = setting.inspection.team.get(user=setting.other_member)
    inspection_services.team_member_declare(
        member=member, by=setting.other_member, conflict="family", conflict_details="Sister"
    )
    with pytest.raises(ValidationError):
        setting.add_record("SW/2", reader=setting.other_member)


def test_the_template_must_be_the_programmes(setting):
    other, _ = factories.record_template(factories.programme("justice_cpo"), name="CPO")
    with pytest.raises(ValidationError) as exc:
        services.record_add(
            inspection=setting.inspection,
            by=setting.lead,
            template=other,
            reference="SW/1",
            agency="social_work",
        )
    assert "template" in messages_of(exc)


def test_nothing_is_added_to_a_withdrawn_inspection(setting):
    inspection_services.inspection_transition(
        inspection=setting.inspection, by=setting.lead, to_status="withdrawn", reason="Stopped"
    )
    setting.inspection.refresh_from_db()
    with pytest.raises(ValidationError):
        setting.add_record("SW/1")


def test_many_records_are_added_at_once_ignoring_blank_lines(setting):
    records = services.records_add_bulk(
        inspection=setting.inspection,
        by=setting.lead,
        template=setting.template,
        references="H/001\n\n  H/002  \nH/003\n",
        agency="health",
    )
    assert [r.reference for r in records] == ["H/001", "H/002", "H/003"]
    assert set(ReviewedRecord.objects.values_list("agency", flat=True)) == {"health"}


def test_a_wrong_line_adds_nothing_and_every_fault_is_listed(setting):
    setting.add_record("H/001")
    with pytest.raises(ValidationError) as exc:
        services.records_add_bulk(
            inspection=setting.inspection,
            by=setting.lead,
            template=setting.template,
            references="H/001\nH/002\nMary Jones\nH/002",
            agency="health",
        )
    faults = messages_of(exc)["references"]
    assert faults[0] == "Line 1 (H/001): This record is already in the sample."
    assert faults[1].startswith("Line 3 (Mary Jones): Use the record's case reference")
    assert faults[2] == "Line 4 (H/002): it appears more than once in the list."
    assert ReviewedRecord.objects.count() == 1


def test_lead_gives_a_record_to_a_reader_with_a_version_check(setting):
    record = setting.add_record(reader=setting.reader)
    updated = services.record_assign(
        record=record, by=setting.lead, reader=setting.other_member, expected_version=1
    )
    assert updated.reader == setting.other_member
    assert updated.version == 2
    with pytest.raises(ConflictError):
        services.record_assign(record=record, by=setting.lead, reader=None, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.record_assign(
            record=updated, by=setting.reader, reader=setting.reader, expected_version=2
        )


# Answers -------------------------------------------------------------------------------------


def test_a_draft_keeps_what_is_answered_and_steps_the_version_once(setting):
    record = setting.add_record()
    q = setting.questions
    saved = services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers={q["yes_no"].pk: "yes", q["six_point"].pk: "4", q["choice"].pk: ""},
    )

    assert saved.version == 2
    assert saved.status == ReadingStatus.DRAFT
    assert saved.read_on is None
    answers = {a.question_id: a for a in RecordAnswer.objects.filter(record=record)}
    assert set(answers) == {q["yes_no"].pk, q["six_point"].pk}  # a blank one is not stored
    assert answers[q["yes_no"].pk].value == "yes"
    assert answers[q["six_point"].pk].grade == 4
    # History: the record's save and each answer, by the reader.
    assert saved.history.first().history_user == setting.reader
    assert saved.history.first().history_change_reason == (
        "Answers saved as a draft (2 answers changed)"
    )
    for answer in answers.values():
        assert answer.history.get().history_user == setting.reader


def test_every_answer_type_is_stored_in_its_place(setting):
    record = setting.add_record()
    choice = setting.choices[1]
    services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(yes_no="NA", choice=1, grade=6, text="  Good chronology "),
    )
    q = setting.questions
    stored = {a.question_id: a for a in RecordAnswer.objects.filter(record=record)}
    assert (stored[q["yes_no"].pk].value, stored[q["yes_no"].pk].choice_id) == ("na", None)
    assert (stored[q["choice"].pk].choice_id, stored[q["choice"].pk].value) == (choice.pk, "")
    assert stored[q["six_point"].pk].grade == 6
    assert stored[q["text"].pk].text == "Good chronology"


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("yes_no", "maybe", services.ANSWER_YES_NO),
        ("yes_no", "1", services.ANSWER_YES_NO),
        ("choice", "999999", services.ANSWER_CHOICE),
        ("choice", "yes", services.ANSWER_CHOICE),
        ("six_point", "7", services.ANSWER_GRADE),
        ("six_point", "0", services.ANSWER_GRADE),
        ("six_point", "good", services.ANSWER_GRADE),
        ("text", "x" * (services.TEXT_LIMIT + 1), services.ANSWER_TOO_LONG),
        ("text", "na", None),  # on free text, "na" is just text
    ],
)
def test_each_answer_is_checked_against_its_type_and_nothing_is_written(
    setting, kind, raw, message
):
    record = setting.add_record()
    question = setting.questions[kind]
    answers = {setting.questions["yes_no"].pk: "yes", question.pk: raw}
    if message is None:
        services.record_answers_save(
            record=record, by=setting.reader, expected_version=1, answers=answers
        )
        assert RecordAnswer.objects.get(record=record, question=question).text == "na"
        return
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record, by=setting.reader, expected_version=1, answers=answers
        )
    expected = message.format(number=question.number, limit=services.TEXT_LIMIT)
    assert messages_of(exc) == {answer_field(question.pk): [expected]}
    assert not RecordAnswer.objects.exists()
    assert ReviewedRecord.objects.get(pk=record.pk).version == 1


def test_a_choice_must_be_one_of_that_questions_choices(setting):
    record = setting.add_record()
    elsewhere = factories.QuestionChoiceFactory()  # a choice of another question
    q = setting.questions["choice"]
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record,
            by=setting.reader,
            expected_version=1,
            answers={q.pk: str(elsewhere.pk)},
        )
    assert messages_of(exc) == {
        answer_field(q.pk): ["Question 1.2: choose one of the answers listed."]
    }


def test_not_applicable_only_where_the_question_offers_it(setting):
    record = setting.add_record()
    q = setting.questions["six_point"]
    q.allow_not_applicable = False
    q.save()
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record, by=setting.reader, expected_version=1, answers={q.pk: "na"}
        )
    assert messages_of(exc) == {
        answer_field(q.pk): [services.NOT_APPLICABLE_REFUSED.format(number="2.1")]
    }
    # Yes/no questions always offer it.
    yes_no = setting.questions["yes_no"]
    yes_no.allow_not_applicable = False
    yes_no.save()
    services.record_answers_save(
        record=record, by=setting.reader, expected_version=1, answers={yes_no.pk: "na"}
    )


def test_a_question_of_another_template_is_refused(setting):
    record = setting.add_record()
    stranger = factories.TemplateQuestionFactory()
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record, by=setting.reader, expected_version=1, answers={stranger.pk: "yes"}
        )
    assert messages_of(exc) == {answer_field(stranger.pk): [services.NOT_A_QUESTION]}


def test_complete_needs_every_counted_question_and_lists_each_missing_one(setting):
    record = setting.add_record()
    q = setting.questions
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record,
            by=setting.reader,
            expected_version=1,
            answers={q["yes_no"].pk: "no"},
            complete=True,
        )
    assert messages_of(exc) == {
        answer_field(q["choice"].pk): [
            "Question 1.2: answer it before marking the record complete."
        ],
        answer_field(q["six_point"].pk): [
            "Question 2.1: answer it before marking the record complete."
        ],
    }
    assert not RecordAnswer.objects.exists()

    # Earlier answers count: a draft, then completing with the rest.
    draft = services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers={q["yes_no"].pk: "no", q["choice"].pk: str(setting.choices[0].pk)},
    )
    done = services.record_answers_save(
        record=draft,
        by=setting.reader,
        expected_version=draft.version,
        answers={q["six_point"].pk: "na"},  # free text may stay blank
        complete=True,
    )
    assert done.status == ReadingStatus.COMPLETE
    assert done.read_on is not None
    assert done.version == 3


def test_a_blank_answer_clears_a_saved_one(setting):
    record = setting.add_record()
    q = setting.questions["yes_no"]
    saved = services.record_answers_save(
        record=record, by=setting.reader, expected_version=1, answers={q.pk: "yes"}
    )
    services.record_answers_save(
        record=saved, by=setting.reader, expected_version=2, answers={q.pk: ""}
    )
    answer = RecordAnswer.objects.get(record=record, question=q)
    assert answer.value == ""
    assert [h.value for h in answer.history.order_by("history_date")] == ["yes", ""]


def test_a_stale_save_writes_nothing_and_says_what_version_is_current(setting):
    record = setting.add_record()
    first = services.record_answers_save(
        record=record,
        by=setting.reader,
        expected_version=1,
        answers=setting.full_answers(yes_no="yes", grade=5),
    )
    with pytest.raises(ConflictError) as exc:
        services.record_answers_save(
            record=record,  # the lead still has version 1 open
            by=setting.lead,
            expected_version=1,
            answers=setting.full_answers(yes_no="no", grade=1, text="Overwritten?"),
            complete=True,
        )
    assert exc.value.current_version == first.version == 2
    stored = {a.question_id: a for a in RecordAnswer.objects.filter(record=record)}
    assert stored[setting.questions["yes_no"].pk].value == "yes"
    assert stored[setting.questions["six_point"].pk].grade == 5
    current = ReviewedRecord.objects.get(pk=record.pk)
    assert (current.version, current.status) == (2, ReadingStatus.DRAFT)


def test_the_lead_may_enter_answers_but_other_members_and_outsiders_may_not(setting):
    record = setting.add_record()
    answers = {setting.questions["yes_no"].pk: "yes"}
    for who in (setting.other_member, setting.outsider):
        with pytest.raises(PermissionDenied):
            services.record_answers_save(record=record, by=who, expected_version=1, answers=answers)
    saved = services.record_answers_save(
        record=record, by=setting.lead, expected_version=1, answers=answers
    )
    assert saved.version == 2


def test_a_reader_no_longer_cleared_may_not_enter_answers(setting):
    record = setting.add_record()
    member = setting.inspection.team.get(user=setting.reader)
    inspection_services.team_member_declare(
        member=member, by=setting.reader, conflict="worked_there", conflict_details="Until 2024"
    )
    with pytest.raises(PermissionDenied):
        services.record_answers_save(
            record=record,
            by=fresh(setting.reader),
            expected_version=1,
            answers={setting.questions["yes_no"].pk: "yes"},
        )


def test_no_answers_on_a_closed_inspection_or_a_record_out_of_the_sample(setting):
    record = setting.add_record()
    services.record_archive(record=record, by=setting.lead, reason="Wrong record")
    record.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.record_answers_save(
            record=record,
            by=setting.reader,
            expected_version=record.version,
            answers={setting.questions["yes_no"].pk: "yes"},
        )
    assert exc.value.messages == [services.RECORD_ARCHIVED]

    other = setting.add_record("SW/2")
    inspection_services.inspection_transition(
        inspection=setting.inspection, by=setting.lead, to_status="withdrawn", reason="Stopped"
    )
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        services.record_answers_save(
            record=other,
            by=setting.reader,
            expected_version=1,
            answers={setting.questions["yes_no"].pk: "yes"},
        )


def test_template_create_builds_sections_questions_and_choices_for_administrators(setting):
    admin = factories.administrator()
    template = services.template_create(
        by=admin,
        programme=setting.inspection.programme,
        name="Another",
        sections=[
            {
                "number": "A",
                "title": "First",
                "questions": [
                    {"number": "A1", "text": "Yes?", "answer_type": "yes_no"},
                    {
                        "number": "A2",
                        "text": "Which?",
                        "answer_type": "choice",
                        "choices": ["One", "Two"],
                    },
                ],
            }
        ],
    )
    questions = services.template_questions(template.pk)
    assert [q.number for q in questions] == ["A1", "A2"]
    assert [c.label for c in questions[1].choices.all()] == ["One", "Two"]
    assert template.history.get().history_user == admin
    with pytest.raises(PermissionDenied):
        services.template_create(by=setting.lead, programme=template.programme, name="No")
