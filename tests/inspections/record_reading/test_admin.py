"""Administrators edit record review templates in the admin site: a template with its sections
inline, a section with its numbered questions, a question with its choices."""

import pytest
from django.urls import reverse

from inspections.models import TemplateQuestion
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = ["recordreviewtemplate", "templatesection", "templatequestion", "questionchoice"]


@pytest.mark.parametrize("model", MODELS)
def test_administrators_search_and_filter_template_parts(admin_client, model):
    factories.record_template()
    response = admin_client.get(reverse(f"admin:inspections_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_each_part_is_edited_with_its_children_inline(admin_client):
    template, questions = factories.record_template()
    pages = [
        (reverse("admin:inspections_recordreviewtemplate_change", args=[template.pk]), "Risk"),
        (
            reverse(
                "admin:inspections_templatesection_change", args=[questions["yes_no"].section_id]
            ),
            "Was a chronology in place?",
        ),
        (
            reverse("admin:inspections_templatequestion_change", args=[questions["choice"].pk]),
            "Within a week",
        ),
    ]
    for url, child in pages:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert child in response.content.decode()


def test_an_administrator_renumbers_a_question_and_it_is_audited(admin_client, admin_user):
    _, questions = factories.record_template()
    question = questions["yes_no"]
    url = reverse("admin:inspections_templatequestion_change", args=[question.pk])
    response = admin_client.post(
        url,
        {
            "section": question.section_id,
            "number": "1.1a",
            "text": question.text,
            "help_text": "",
            "answer_type": "yes_no",
            "allow_not_applicable": "on",
            "order": 1,
            "seen_version": question.version,
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = TemplateQuestion.objects.get(pk=question.pk)
    assert question.number == "1.1a"
    assert question.history.first().history_user == admin_user


def test_inspectors_cannot_edit_templates(inspector_client):
    response = inspector_client.get(reverse("admin:inspections_recordreviewtemplate_changelist"))
    assert response.status_code == 302
