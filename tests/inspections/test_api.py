"""/api/v1/ for inspections: programmes, quality indicators, inspections and their lifecycle,
milestones, evidence activities and attachments."""

import datetime

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from inspections import gates, services
from inspections.models import (
    Attachment,
    AttachmentDownload,
    EvidenceActivity,
    Inspection,
    Milestone,
    StatusChange,
)
from scrutiny.api import VERSION_REQUIRED_MESSAGE
from scrutiny.uploads import NOT_ALLOWED_TYPE
from tests import factories

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
QUALITY_INDICATORS = "/api/v1/quality-indicators/"
INSPECTIONS = "/api/v1/inspections/"
EVIDENCE = "/api/v1/evidence-activities/"
ATTACHMENTS = "/api/v1/attachments/"

NOTIFIED_ON = datetime.date(2026, 1, 5)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TO_PUBLISHED = [
    "notified",
    "evidence_gathering",
    "fieldwork",
    "evaluation",
    "report_drafting",
    "factual_accuracy",
    "published",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads go to a temporary folder, so tests leave no files behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def detail(pk) -> str:
    return f"{INSPECTIONS}{pk}/"


def transition_url(pk) -> str:
    return f"{INSPECTIONS}{pk}/transition/"


def milestones_url(pk) -> str:
    return f"{INSPECTIONS}{pk}/milestones/"


def all_rows(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, {"page_size": 200, **params})
    assert response.status_code == 200, response.data
    assert response.data["next"] is None
    return response.data["results"]


def other_member(inspection: Inspection):
    """The team member from the partner agency (not the lead)."""
    return inspection.team.exclude(role="lead_inspector").get().user


def publish(inspection: Inspection, lead) -> Inspection:
    """Take a ready inspection to published through the services."""
    factories.EvidenceActivityFactory(inspection=inspection, status="complete")
    Inspection.objects.filter(pk=inspection.pk).update(fieldwork_starts_on=NOTIFIED_ON)
    factories.satisfy_report_gates(inspection, lead)
    for status in TO_PUBLISHED:
        inspection = services.inspection_transition(
            inspection=inspection, by=lead, to_status=status, on=NOTIFIED_ON
        )
    return inspection


def upload(client: APIClient, activity: EvidenceActivity, name: str, content: bytes, **extra):
    return client.post(
        ATTACHMENTS,
        {
            "evidence_activity": activity.pk,
            "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
            **extra,
        },
        format="multipart",
    )


@pytest.fixture
def ready():
    """A planned inspection whose team meets the notification gate: (inspection, lead)."""
    return factories.inspection_with_team()


@pytest.fixture
def outsider():
    return factories.inspector(full_name="Olive Outsider")


# Programmes and quality indicators -----------------------------------------------------------


def test_programmes_show_agencies_scale_levels_and_milestone_template(inspector_user):
    rows = all_rows(api(inspector_user), PROGRAMMES)

    themed = next(r for r in rows if r["code"] == "adult_services_themed")
    assert themed["family"] == "adult_services"
    assert themed["family_display"] == "Joint inspections of adult services"
    assert themed["theme"] == "Adults living with mental illness"
    assert themed["lead_agency"] == {"code": "CI", "name": "Care Inspectorate"}
    assert themed["partner_agencies"] == [
        {"code": "HIS", "name": "Healthcare Improvement Scotland"}
    ]
    scale = themed["evaluation_scale"]
    assert scale["name"] == "Six-point scale"
    assert [(lvl["value"], lvl["label"]) for lvl in scale["levels"]] == [
        (6, "Excellent"),
        (5, "Very good"),
        (4, "Good"),
        (3, "Adequate"),
        (2, "Weak"),
        (1, "Unsatisfactory"),
    ]
    templates = themed["milestone_templates"]
    assert len(templates) == 11
    assert templates[0]["stage"] == "notified"
    assert templates[0]["offset_weeks"] == 0
    assert templates[-1]["stage_display"] == "Published"
    assert themed["quality_indicators_url"].endswith(
        f"{QUALITY_INDICATORS}?programme={themed['id']}"
    )
    asp = next(r for r in rows if r["code"] == "asp_2017_18")
    assert {a["code"] for a in asp["partner_agencies"]} == {"HIS", "HMICS"}


def test_programme_list_queries_do_not_depend_on_the_number_of_programmes(inspector_user):
    client = api(inspector_user)
    with CaptureQueriesContext(connection) as one_family:
        client.get(PROGRAMMES, {"family": "adult_services"})
    with CaptureQueriesContext(connection) as all_families:
        response = client.get(PROGRAMMES)

    assert response.data["count"] > 1
    assert len(all_families) == len(one_family)


def test_programmes_are_read_only_even_for_administrators(admin_user):
    programme = factories.programme()
    client = api(admin_user)

    assert client.patch(f"{PROGRAMMES}{programme.pk}/", {"name": "X"}).status_code == 405
    assert client.post(PROGRAMMES, {"name": "X"}).status_code == 405
    assert client.delete(f"{PROGRAMMES}{programme.pk}/").status_code == 405
    programme.refresh_from_db()
    assert programme.name == "Joint inspections of adult services (themed)"


def test_quality_indicators_filter_by_programme(inspector_user):
    programme = factories.programme()
    client = api(inspector_user)

    rows = all_rows(client, QUALITY_INDICATORS, programme=programme.pk)

    expected = list(programme.quality_indicators.order_by("order", "number"))
    assert [r["id"] for r in rows] == [qi.pk for qi in expected]
    assert set(rows[0]) >= {
        "number",
        "title",
        "parent",
        "order",
        "confirmed",
        "source_note",
        "programme",
    }
    assert {r["programme"] for r in rows} == {programme.pk}
    assert len(all_rows(client, QUALITY_INDICATORS)) > len(rows)
    one = client.get(f"{QUALITY_INDICATORS}{expected[0].pk}/")
    assert one.status_code == 200
    assert one.data["title"] == expected[0].title


@pytest.mark.parametrize(
    ("url", "param"), [(QUALITY_INDICATORS, "programme"), (PROGRAMMES, "family")]
)
def test_reference_lists_refuse_a_bad_filter_value(inspector_user, url, param):
    response = api(inspector_user).get(url, {param: "abc"})

    assert response.status_code == 400
    assert list(response.data) == [param]


# Planning and reading inspections ------------------------------------------------------------


def test_anonymous_is_refused(api_client, ready):
    inspection, _ = ready
    for url in (INSPECTIONS, detail(inspection.pk), PROGRAMMES, EVIDENCE, ATTACHMENTS):
        assert api_client.get(url).status_code == 401


def test_an_inspector_without_the_lead_role_cannot_plan_an_inspection(inspector_user, fife):
    before = Inspection.objects.count()

    response = api(inspector_user).post(
        INSPECTIONS,
        {"programme": factories.programme().pk, "partnership": fife.pk, "title": "Fife 2026"},
    )

    assert response.status_code == 403
    assert Inspection.objects.count() == before


def test_a_lead_who_plans_for_another_lead_gets_the_published_facts_back(fife):
    planner = factories.lead_inspector()
    other = factories.lead_inspector()

    response = api(planner).post(
        INSPECTIONS,
        {
            "programme": factories.programme().pk,
            "partnership": fife.pk,
            "title": "Fife 2027",
            "lead_inspector": other.pk,
        },
    )

    assert response.status_code == 201, response.data
    assert response.data["lead_inspector"]["id"] == other.pk
    assert response.data["can_see_drafts"] is False
    assert response.data["team"] is None
    assert api(planner).get(detail(response.data["id"])).status_code == 404
    assert api(other).get(detail(response.data["id"])).data["can_lead"] is True


def test_planning_with_bad_input_is_a_400_on_each_field(fife):
    lead = factories.lead_inspector()
    other = factories.programme("asp_phase_1").quality_indicators.first()

    response = api(lead).post(
        INSPECTIONS,
        {
            "programme": factories.programme().pk,
            "partnership": 99999999,
            "title": "",
            "planned_notification_on": "next week",
        },
    )
    wrong_framework = api(lead).post(
        INSPECTIONS,
        {
            "programme": factories.programme().pk,
            "partnership": fife.pk,
            "title": "Fife",
            "quality_indicators": [other.pk],
        },
    )

    assert response.status_code == 400
    assert set(response.data) == {"partnership", "title", "planned_notification_on"}
    assert wrong_framework.status_code == 400
    assert list(wrong_framework.data) == ["quality_indicators"]
    assert not Inspection.objects.filter(partnership=fife).exists()


def test_a_bad_id_in_the_address_is_a_404(inspector_user):
    client = api(inspector_user)

    for url in (
        detail("abc"),
        detail(99999999),
        detail("99999999999999999999999"),
        f"{EVIDENCE}abc/",
        f"{ATTACHMENTS}99999999/download/",
        f"{PROGRAMMES}abc/",
        f"{QUALITY_INDICATORS}abc/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_lead_sees_team_next_statuses_and_history(ready):
    inspection, lead = ready
    member = other_member(inspection)

    response = api(lead).get(detail(inspection.pk))

    assert response.status_code == 200
    data = response.data
    assert data["status"] == "planned"
    assert data["status_display"] == "Planned"
    assert data["lead_inspector"] == {"id": lead.pk, "full_name": lead.full_name}
    assert data["can_see_drafts"] is True
    assert data["can_lead"] is True
    assert {m["user"]["id"] for m in data["team"]} == {lead.pk, member.pk}
    assert [(s["status"], s["ready"], s["unmet"]) for s in data["next_statuses"]] == [
        ("notified", True, []),
        ("withdrawn", True, []),
    ]
    assert data["status_changes"] == []
    assert data["milestones_url"].endswith(milestones_url(inspection.pk))
    assert {qi["id"] for qi in data["quality_indicator_details"]} == set(
        inspection.quality_indicators.values_list("pk", flat=True)
    )
    assert data["version"] == inspection.version


def test_a_team_member_sees_the_team_but_not_next_statuses(ready):
    inspection, _ = ready

    data = api(other_member(inspection)).get(detail(inspection.pk)).data

    assert data["can_see_drafts"] is True
    assert data["can_lead"] is False
    assert len(data["team"]) == 2
    assert data["next_statuses"] is None


# The lifecycle -------------------------------------------------------------------------------


def test_an_inspection_goes_from_planned_to_closed_through_the_api(fife):
    lead = factories.lead_inspector(full_name="Lena Lead")
    health = factories.inspector(agency=factories.agency("HIS"), full_name="Hamish Health")
    programme = factories.programme()
    client = api(lead)

    # Plan, with the lead inspector and the framework's indicators.
    created = client.post(
        INSPECTIONS,
        {
            "programme": programme.pk,
            "partnership": fife.pk,
            "title": "Fife: adults living with mental illness",
            "lead_inspector": lead.pk,
            "planned_notification_on": "2026-01-05",
            "quality_indicators": list(programme.quality_indicators.values_list("pk", flat=True)),
        },
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["status"] == "planned"
    assert created.data["theme"] == "Adults living with mental illness"
    assert created.data["lead_agency"]["code"] == "CI"
    assert [m["user"]["id"] for m in created.data["team"]] == [lead.pk]
    notify = next(s for s in created.data["next_statuses"] if s["status"] == "notified")
    assert notify["unmet"] == [
        gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland")
    ]

    # The team: a health inspector from HIS joins.
    inspection = Inspection.objects.get(pk=pk)
    services.team_member_add(inspection=inspection, by=lead, user=health, role="health_inspector")

    notified = client.post(
        transition_url(pk), {"status": "notified", "on": NOTIFIED_ON.isoformat()}
    )
    assert notified.status_code == 200, notified.data
    assert notified.data["status"] == "notified"
    assert notified.data["notified_on"] == "2026-01-05"
    assert Milestone.objects.filter(inspection_id=pk).count() == 11

    gathering = {"status": "evidence_gathering", "on": "2026-01-19"}
    assert client.post(transition_url(pk), gathering).status_code == 200

    # Evidence: recorded, then marked complete with its version.
    recorded = client.post(
        EVIDENCE,
        {"inspection": pk, "kind": "position_statement", "title": "Position statement"},
    )
    assert recorded.status_code == 201, recorded.data
    assert recorded.data["carried_out_by"] == [lead.pk]
    completed = client.patch(
        f"{EVIDENCE}{recorded.data['id']}/",
        {"status": "complete", "version": recorded.data["version"]},
    )
    assert completed.status_code == 200, completed.data
    assert completed.data["status"] == "complete"

    # Fieldwork needs its start date; set it with the version last read.
    refused = client.post(transition_url(pk), {"status": "fieldwork"})
    assert refused.status_code == 400
    assert refused.data == {"status": [gates.NEEDS_FIELDWORK_DATES]}
    current = client.get(detail(pk)).data
    dated = client.patch(
        detail(pk),
        {
            "fieldwork_starts_on": "2026-03-09",
            "fieldwork_ends_on": "2026-03-27",
            "version": current["version"],
        },
    )
    assert dated.status_code == 200, dated.data
    assert dated.data["fieldwork_starts_on"] == "2026-03-09"
    assert dated.data["version"] == current["version"] + 1

    factories.satisfy_report_gates(inspection, lead)
    for status in (
        "fieldwork",
        "evaluation",
        "report_drafting",
        "factual_accuracy",
        "published",
        "improvement_plan_agreed",
        "closed",
    ):
        moved = client.post(transition_url(pk), {"status": status, "on": "2026-06-01"})
        assert moved.status_code == 200, (status, moved.data)
        assert moved.data["status"] == status

    closed = client.get(detail(pk)).data
    assert closed["status"] == "closed"
    assert closed["published_on"] == "2026-06-01"
    assert closed["next_statuses"] == []
    changes = list(StatusChange.objects.filter(inspection_id=pk))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("planned", "notified"),
        ("notified", "evidence_gathering"),
        ("evidence_gathering", "fieldwork"),
        ("fieldwork", "evaluation"),
        ("evaluation", "report_drafting"),
        ("report_drafting", "factual_accuracy"),
        ("factual_accuracy", "published"),
        ("published", "improvement_plan_agreed"),
        ("improvement_plan_agreed", "closed"),
    ]
    assert {c.changed_by for c in changes} == {lead}
    assert changes[0].changed_on == NOTIFIED_ON
    assert [c["to_status"] for c in closed["status_changes"]] == [c.to_status for c in changes]
    inspection.refresh_from_db()
    assert inspection.history.first().history_user == lead

    # Closed is closed: no more changes.
    late = client.patch(detail(pk), {"summary": "Late", "version": closed["version"]})
    assert late.status_code == 400


def test_a_move_the_lifecycle_does_not_allow_is_refused(ready):
    inspection, lead = ready

    response = api(lead).post(transition_url(inspection.pk), {"status": "published"})

    assert response.status_code == 400
    assert response.data == {
        "status": [services.NOT_ALLOWED_TRANSITION.format(current="Planned", target="Published")]
    }
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert not StatusChange.objects.filter(inspection=inspection).exists()


def test_notifying_with_no_team_lists_every_unmet_condition(admin_user):
    inspection = factories.InspectionFactory(quality_indicators=[])

    response = api(admin_user).post(transition_url(inspection.pk), {"status": "notified"})

    assert response.status_code == 400
    assert response.data == {
        "status": [
            gates.NEEDS_LEAD,
            gates.NEEDS_AGENCY_MEMBER.format(agency="Care Inspectorate"),
            gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland"),
            gates.NEEDS_INDICATORS,
        ]
    }
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert not inspection.milestones.exists()


def test_notifying_with_no_his_member_is_refused(admin_user):
    inspection = factories.InspectionFactory()
    lead = factories.lead_inspector()
    services.team_member_add(inspection=inspection, by=admin_user, user=lead, role="lead_inspector")

    response = api(lead).post(transition_url(inspection.pk), {"status": "notified"})

    assert response.status_code == 400
    assert response.data == {
        "status": [gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland")]
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "nonsense"}, "status"),
        ({}, "status"),
        ({"status": "notified", "on": "soon"}, "on"),
        ({"status": "notified", "version": "x"}, "version"),
    ],
)
def test_a_bad_transition_request_is_a_400_on_its_field(ready, body, field):
    inspection, lead = ready

    response = api(lead).post(transition_url(inspection.pk), body)

    assert response.status_code == 400
    assert field in response.data
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_suspending_needs_a_reason_and_resumes_where_it_was(ready):
    inspection, lead = ready
    client = api(lead)
    client.post(transition_url(inspection.pk), {"status": "notified"})

    refused = client.post(transition_url(inspection.pk), {"status": "suspended"})
    suspended = client.post(
        transition_url(inspection.pk), {"status": "suspended", "reason": "Flooding"}
    )

    assert refused.status_code == 400
    assert refused.data == {"status": [services.REASON_NEEDED]}
    assert suspended.status_code == 200
    assert suspended.data["suspended_from"] == "notified"
    assert suspended.data["status_reason"] == "Flooding"
    assert [s["status"] for s in suspended.data["next_statuses"]] == ["notified", "withdrawn"]


def test_a_stale_version_on_a_transition_is_a_409(ready):
    inspection, lead = ready

    response = api(lead).post(
        transition_url(inspection.pk), {"status": "notified", "version": inspection.version + 5}
    )

    assert response.status_code == 409
    assert response.data["current_version"] == inspection.version


def test_only_the_lead_or_an_administrator_moves_an_inspection(ready, outsider, admin_user):
    inspection, lead = ready

    member = api(other_member(inspection)).post(
        transition_url(inspection.pk), {"status": "notified"}
    )
    stranger = api(outsider).post(transition_url(inspection.pk), {"status": "notified"})

    assert member.status_code == 403
    assert stranger.status_code == 404
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert not StatusChange.objects.filter(inspection=inspection).exists()

    by_admin = api(admin_user).post(transition_url(inspection.pk), {"status": "notified"})
    by_lead = api(lead).post(transition_url(inspection.pk), {"status": "evidence_gathering"})

    assert by_admin.status_code == 200, by_admin.data
    assert by_lead.status_code == 200, by_lead.data
    assert [c.changed_by for c in StatusChange.objects.filter(inspection=inspection)] == [
        admin_user,
        lead,
    ]


def test_a_lead_by_token_is_recorded_on_the_status_history(ready):
    inspection, lead = ready
    _, token = AuthToken.objects.create(lead)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.post(transition_url(inspection.pk), {"status": "notified"})

    assert response.status_code == 200, response.data
    assert StatusChange.objects.get(inspection=inspection).changed_by == lead
    inspection.refresh_from_db()
    assert inspection.history.first().history_user == lead


# Changing and archiving ----------------------------------------------------------------------


def test_a_stale_patch_is_a_409_with_the_current_version(ready):
    inspection, lead = ready
    client = api(lead)
    first = client.patch(detail(inspection.pk), {"summary": "First", "version": 1})

    second = client.patch(detail(inspection.pk), {"summary": "Second", "version": 1})

    assert first.status_code == 200, first.data
    assert second.status_code == 409
    assert second.data["current_version"] == 2
    inspection.refresh_from_db()
    assert inspection.summary == "First"
    assert inspection.version == 2


def test_a_patch_without_a_version_or_with_a_status_is_a_400(ready):
    inspection, lead = ready
    client = api(lead)

    no_version = client.patch(detail(inspection.pk), {"summary": "x"})
    status = client.patch(detail(inspection.pk), {"status": "published", "version": 1})
    dates = client.patch(
        detail(inspection.pk),
        {"fieldwork_starts_on": "2026-03-09", "fieldwork_ends_on": "2026-03-01", "version": 1},
    )

    assert no_version.status_code == 400
    assert no_version.data == {"version": [VERSION_REQUIRED_MESSAGE]}
    assert status.status_code == 400
    assert "status" in status.data
    assert dates.status_code == 400
    inspection.refresh_from_db()
    assert (inspection.status, inspection.summary, inspection.version) == ("planned", "", 1)


def test_who_may_change_an_inspection(ready, outsider):
    inspection, _ = ready
    published = factories.InspectionFactory(status="published")

    member = api(other_member(inspection)).patch(
        detail(inspection.pk), {"summary": "Member", "version": 1}
    )
    stranger = api(outsider).patch(detail(inspection.pk), {"summary": "x", "version": 1})
    reader = api(outsider).patch(detail(published.pk), {"summary": "x", "version": 1})

    assert member.status_code == 200, member.data
    assert stranger.status_code == 404
    assert reader.status_code == 403


def test_the_lead_archives_an_inspection(ready):
    inspection, lead = ready
    member = api(other_member(inspection))

    refused = member.delete(detail(inspection.pk))
    stale = api(lead).delete(f"{detail(inspection.pk)}?version=7")
    archived = api(lead).delete(f"{detail(inspection.pk)}?reason=Planned+twice")

    assert refused.status_code == 403
    assert stale.status_code == 409
    assert stale.data["current_version"] == 1
    assert archived.status_code == 200, archived.data
    assert archived.data["archived_at"] is not None
    inspection.refresh_from_db()
    assert inspection.archived_by == lead
    assert inspection.history.first().history_change_reason == "Planned twice"
    client = api(lead)
    assert inspection.pk not in [r["id"] for r in all_rows(client, INSPECTIONS)]
    assert inspection.pk in [r["id"] for r in all_rows(client, INSPECTIONS, archived="true")]


# Who sees what -------------------------------------------------------------------------------


def test_an_outsider_sees_no_draft_inspection_evidence_or_file(ready, outsider):
    inspection, lead = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    uploaded = upload(api(lead), activity, "report.pdf", PDF)
    assert uploaded.status_code == 201, uploaded.data
    attachment_id = uploaded.data["id"]
    client = api(outsider)

    assert client.get(detail(inspection.pk)).status_code == 404
    assert client.get(milestones_url(inspection.pk)).status_code == 404
    assert inspection.pk not in [r["id"] for r in all_rows(client, INSPECTIONS)]
    assert client.get(f"{EVIDENCE}{activity.pk}/").status_code == 404
    assert all_rows(client, EVIDENCE) == []
    assert client.get(f"{ATTACHMENTS}{attachment_id}/").status_code == 404
    assert client.get(f"{ATTACHMENTS}{attachment_id}/download/").status_code == 404
    assert all_rows(client, ATTACHMENTS) == []
    assert not AttachmentDownload.objects.exists()


def test_once_published_an_outsider_sees_the_published_facts_only(ready, outsider):
    inspection, lead = ready
    inspection = publish(inspection, lead)
    Inspection.objects.filter(pk=inspection.pk).update(summary="Internal planning notes")
    activity = inspection.evidence_activities.get()
    client = api(outsider)

    response = client.get(detail(inspection.pk))

    assert response.status_code == 200
    data = response.data
    assert data["status"] == "published"
    assert data["published_on"] == NOTIFIED_ON.isoformat()
    assert data["partnership_details"]["name"] == inspection.partnership.name
    assert data["quality_indicator_details"]
    assert data["can_see_drafts"] is False
    for unpublished in (
        "team",
        "next_statuses",
        "status_changes",
        "milestones_url",
        "summary",
        "status_reason",
    ):
        assert data[unpublished] is None, unpublished
    assert inspection.pk in [r["id"] for r in all_rows(client, INSPECTIONS)]
    assert client.get(milestones_url(inspection.pk)).status_code == 404
    first = inspection.milestones.first()
    assert client.get(f"{milestones_url(inspection.pk)}{first.pk}/").status_code == 404
    assert client.get(f"{EVIDENCE}{activity.pk}/").status_code == 404
    assert all_rows(client, EVIDENCE, inspection=inspection.pk) == []


def test_a_member_with_an_undecided_connection_sees_no_evidence_until_cleared(ready):
    inspection, lead = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    declared = factories.inspector(full_name="Dee Clared")
    member = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=declared,
        role="inspector",
        conflict="worked_there",
        conflict_details="Social worker there until 2022.",
    )
    client = api(declared)

    assert client.get(f"{EVIDENCE}{activity.pk}/").status_code == 404
    assert all_rows(client, EVIDENCE) == []
    team = client.get(detail(inspection.pk)).data["team"]
    assert next(m for m in team if m["user"]["id"] == declared.pk)["decision"] == "pending"
    refused = client.post(
        EVIDENCE, {"inspection": inspection.pk, "kind": "staff_survey", "title": "Survey"}
    )
    assert refused.status_code == 400
    assert "inspection" in refused.data

    services.conflict_decide(member=member, by=lead, decision="cleared", notes="Long ago")

    assert client.get(f"{EVIDENCE}{activity.pk}/").status_code == 200
    assert [r["id"] for r in all_rows(client, EVIDENCE)] == [activity.pk]


def test_the_list_shows_drafts_only_to_those_who_may_see_them(ready, outsider):
    inspection, lead = ready
    published = factories.InspectionFactory(status="published", title="Published one")

    outsider_ids = [r["id"] for r in all_rows(api(outsider), INSPECTIONS)]
    lead_ids = [r["id"] for r in all_rows(api(lead), INSPECTIONS)]
    mine = [r["id"] for r in all_rows(api(lead), INSPECTIONS, mine="true")]

    assert outsider_ids == [published.pk]
    assert set(lead_ids) == {inspection.pk, published.pk}
    assert mine == [inspection.pk]


# Milestones ----------------------------------------------------------------------------------


def test_milestones_come_from_the_template_and_move_only_with_a_reason(ready):
    inspection, lead = ready
    client = api(lead)
    client.post(transition_url(inspection.pk), {"status": "notified", "on": "2026-01-05"})

    rows = all_rows(client, milestones_url(inspection.pk))

    templates = list(inspection.programme.milestone_templates.all())
    assert len(rows) == len(templates) == 11
    assert sorted((r["name"], r["due_on"]) for r in rows) == sorted(
        (t.name, (NOTIFIED_ON + datetime.timedelta(weeks=t.offset_weeks)).isoformat())
        for t in templates
    )
    assert all(r["planned_due_on"] == r["due_on"] for r in rows)
    panel = next(r for r in rows if r["name"] == "Quality and consistency panel")
    assert panel["due_on"] == "2026-04-06"  # 13 weeks after 5 January
    url = f"{milestones_url(inspection.pk)}{panel['id']}/"

    no_reason = client.patch(url, {"due_on": "2026-04-13", "version": panel["version"]})
    assert no_reason.status_code == 400
    assert no_reason.data == {"reason": [services.MOVE_REASON_NEEDED]}

    moved = client.patch(
        url, {"due_on": "2026-04-13", "reason": "Panel chair away", "version": panel["version"]}
    )
    assert moved.status_code == 200, moved.data
    assert moved.data["due_on"] == "2026-04-13"
    assert moved.data["planned_due_on"] == "2026-04-06"
    assert moved.data["version"] == panel["version"] + 1
    milestone = Milestone.objects.get(pk=panel["id"])
    assert milestone.history.first().history_change_reason == "Panel chair away"
    assert milestone.history.first().history_user == lead

    stale = client.patch(url, {"completed_on": "2026-04-13", "version": panel["version"]})
    assert stale.status_code == 409
    assert stale.data["current_version"] == panel["version"] + 1


def test_a_team_member_marks_a_milestone_done_but_cannot_move_it(ready):
    inspection, lead = ready
    services.inspection_transition(
        inspection=inspection, by=lead, to_status="notified", on=NOTIFIED_ON
    )
    milestone = inspection.milestones.order_by("due_on").first()
    url = f"{milestones_url(inspection.pk)}{milestone.pk}/"
    client = api(other_member(inspection))

    move = client.patch(url, {"due_on": "2026-02-01", "reason": "Why not", "version": 1})
    done = client.patch(url, {"completed_on": "2026-01-05", "version": 1})
    both = client.patch(url, {"completed_on": "2026-01-05", "due_on": "2026-02-01", "version": 2})
    neither = client.patch(url, {"version": 2})

    assert move.status_code == 403
    assert done.status_code == 200, done.data
    assert done.data["completed_on"] == "2026-01-05"
    assert done.data["state"] == "done"
    assert both.status_code == neither.status_code == 400
    assert client.get(url).data["version"] == 2


def test_a_milestone_of_another_inspection_is_a_404(ready):
    inspection, lead = ready
    other, other_lead = factories.inspection_with_team()
    services.inspection_transition(inspection=other, by=other_lead, to_status="notified")
    foreign = other.milestones.first()

    response = api(lead).get(f"{milestones_url(inspection.pk)}{foreign.pk}/")

    assert response.status_code == 404
    assert api(lead).get(f"{milestones_url(inspection.pk)}abc/").status_code == 404


# Evidence and attachments --------------------------------------------------------------------


def test_evidence_filters_and_archive(ready):
    inspection, lead = ready
    survey = factories.EvidenceActivityFactory(
        inspection=inspection, kind="staff_survey", status="in_progress"
    )
    reading = factories.EvidenceActivityFactory(inspection=inspection, kind="record_reading")
    client = api(lead)

    assert [r["id"] for r in all_rows(client, EVIDENCE, kind="staff_survey")] == [survey.pk]
    assert [r["id"] for r in all_rows(client, EVIDENCE, status="planned")] == [reading.pk]
    assert len(all_rows(client, EVIDENCE, inspection=inspection.pk)) == 2
    titles = [r["title"] for r in all_rows(client, EVIDENCE, ordering="-title")]
    assert titles == sorted([survey.title, reading.title], reverse=True)
    for param, value in (("kind", "nonsense"), ("status", "done"), ("inspection", "abc")):
        response = client.get(EVIDENCE, {param: value})
        assert response.status_code == 400
        assert list(response.data) == [param]

    archived = client.delete(f"{EVIDENCE}{reading.pk}/?version=1")

    assert archived.status_code == 200, archived.data
    assert archived.data["archived_at"] is not None
    assert [r["id"] for r in all_rows(client, EVIDENCE)] == [survey.pk]
    reading.refresh_from_db()
    assert reading.archived_by == lead


def test_a_disallowed_file_is_a_400_on_file(ready, media_root):
    inspection, lead = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)

    response = upload(api(lead), activity, "notes.exe", b"MZ\x90\x00 not a document")

    assert response.status_code == 400
    assert response.data == {"file": [NOT_ALLOWED_TYPE.format(name="notes.exe")]}
    assert not Attachment.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_pdf_round_trips_through_download_and_is_recorded(ready):
    inspection, lead = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    client = api(lead)

    uploaded = upload(client, activity, "Position statement.pdf", PDF, description="As sent")

    assert uploaded.status_code == 201, uploaded.data
    data = uploaded.data
    assert data["original_name"] == "Position statement.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(PDF)
    assert data["inspection"] == inspection.pk
    assert data["uploaded_by"]["id"] == lead.pk
    assert "file" not in data
    listed = all_rows(client, ATTACHMENTS, evidence_activity=activity.pk)
    assert [r["id"] for r in listed] == [data["id"]]
    on_activity = client.get(f"{EVIDENCE}{activity.pk}/").data["attachments"]
    assert [a["id"] for a in on_activity] == [data["id"]]

    response = client.get(data["download_url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # reading it to the end closes it
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Position statement.pdf"' in response["Content-Disposition"]
    download = AttachmentDownload.objects.get()
    assert (download.attachment_id, download.user, download.via) == (data["id"], lead, "api")


def test_a_team_member_archives_an_attachment(ready):
    inspection, lead = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    client = api(lead)
    attachment_id = upload(client, activity, "report.pdf", PDF).data["id"]

    archived = client.delete(f"{ATTACHMENTS}{attachment_id}/")

    assert archived.status_code == 200
    assert archived.data["archived_at"] is not None
    assert all_rows(client, ATTACHMENTS) == []
    assert client.get(f"{EVIDENCE}{activity.pk}/").data["attachments"] == []


def test_an_upload_to_evidence_you_cannot_see_is_a_400(ready, outsider):
    inspection, _ = ready
    activity = factories.EvidenceActivityFactory(inspection=inspection)

    response = upload(api(outsider), activity, "report.pdf", PDF)

    assert response.status_code == 400
    assert list(response.data) == ["evidence_activity"]
    assert not Attachment.objects.exists()


# Lists: filters and queries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "nonsense"),
        ("programme", "abc"),
        ("programme", "99999999"),
        ("partnership", "abc"),
        ("lead_inspector", "99999999999999999999999"),
        ("year", "abc"),
        ("year", "99999"),
        ("mine", "yes"),
        ("archived", "maybe"),
        ("ordering", "password"),
        ("page", "abc"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(inspector_user, param, value):
    response = api(inspector_user).get(INSPECTIONS, {param: value})

    assert response.status_code == 400
    assert list(response.data) == [param]


def test_inspection_filters_and_ordering(admin_user, fife):
    programme = factories.programme()
    lead = factories.lead_inspector()
    early = factories.InspectionFactory(
        title="Alpha", partnership=fife, planned_notification_on=datetime.date(2025, 3, 1)
    )
    late = factories.InspectionFactory(
        title="Bravo", status="notified", planned_notification_on=datetime.date(2026, 3, 1)
    )
    factories.TeamMemberFactory(inspection=late, user=lead, role="lead_inspector")
    asp = factories.InspectionFactory(
        programme=factories.programme("asp_phase_1"), title="Charlie", quality_indicators=[]
    )
    client = api(admin_user)

    def ids(**params):
        return [r["id"] for r in all_rows(client, INSPECTIONS, **params)]

    assert ids(programme=programme.pk, ordering="title") == [early.pk, late.pk]
    assert ids(programme=asp.programme_id) == [asp.pk]
    assert ids(partnership=fife.pk) == [early.pk]
    assert ids(status="notified") == [late.pk]
    assert ids(lead_inspector=lead.pk) == [late.pk]
    assert ids(year=2025) == [early.pk]
    assert ids(search="bravo") == [late.pk]
    assert ids(search=fife.name) == [early.pk]
    assert ids(ordering="-title") == [asp.pk, late.pk, early.pk]
    assert ids(ordering="notification")[:2] == [early.pk, late.pk]
    row = next(r for r in all_rows(client, INSPECTIONS) if r["id"] == late.pk)
    assert row["lead_inspector"]["id"] == lead.pk
    assert row["status_display"] == "Notified"
    assert row["programme_details"]["code"] == "adult_services_themed"


def test_the_list_runs_the_same_queries_for_5_and_100_inspections(inspector_user, fife):
    factories.InspectionFactory(partnership=fife)  # a draft the inspector may not see
    client = api(inspector_user)

    def add_published(count: int) -> None:
        for _ in range(count):
            inspection = factories.InspectionFactory(
                status="published", partnership=fife, quality_indicators=[]
            )
            factories.TeamMemberFactory(inspection=inspection, role="lead_inspector")

    def list_all() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INSPECTIONS, {"page_size": 200})
        assert response.status_code == 200
        assert all(r["lead_inspector"] for r in response.data["results"])
        return len(response.data["results"]), len(queries)

    add_published(5)
    few_rows, few_queries = list_all()
    add_published(95)
    many_rows, many_queries = list_all()

    assert (few_rows, many_rows) == (5, 100)
    assert many_queries == few_queries
    assert few_queries <= 10


# Schema --------------------------------------------------------------------------------------


def test_the_schema_describes_the_inspections_api(tmp_path):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    paths = yaml.safe_load(out.read_text())["paths"]
    for path in [
        "/api/v1/programmes/",
        "/api/v1/quality-indicators/",
        "/api/v1/inspections/",
        "/api/v1/inspections/{id}/",
        "/api/v1/inspections/{id}/transition/",
        "/api/v1/inspections/{id}/milestones/",
        "/api/v1/inspections/{id}/milestones/{milestone_id}/",
        "/api/v1/evidence-activities/",
        "/api/v1/attachments/",
        "/api/v1/attachments/{id}/download/",
    ]:
        assert path in paths, path
    params = {p["name"] for p in paths["/api/v1/inspections/"]["get"]["parameters"]}
    assert params >= {
        "programme",
        "partnership",
        "status",
        "lead_inspector",
        "year",
        "mine",
        "search",
        "ordering",
        "page",
        "page_size",
    }
    assert set(paths["/api/v1/inspections/{id}/"]) >= {"get", "patch", "delete"}
    assert "multipart/form-data" in paths["/api/v1/attachments/"]["post"]["requestBody"]["content"]
