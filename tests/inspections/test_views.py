"""Inspection pages as inspectors meet them during fieldwork: the list, planning, the overview,
the lifecycle, the team and its declared connections, milestones, evidence and attachments."""

from __future__ import annotations

import csv
import datetime
import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from accounts.roles import Role
from inspections import gates, services
from inspections.models import (
    Attachment,
    AttachmentDownload,
    EvidenceActivity,
    Inspection,
    Milestone,
    MilestoneTemplate,
    StatusChange,
    TeamMember,
)
from scrutiny import uploads
from scrutiny.services import CONFLICT_MESSAGE
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:list")
CREATE = reverse("inspections:create")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary directory that pytest removes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def lead(db):
    return factories.lead_inspector(full_name="Lesley Lead")


def login(client, user):
    client.force_login(user)
    return client


def body(response) -> str:
    return html.unescape(response.content.decode())


def detail(inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


def transition(inspection) -> str:
    return reverse("inspections:transition", args=[inspection.pk])


def his_inspector(**kwargs):
    return factories.UserFactory(roles=[Role.INSPECTOR], agency=factories.agency("HIS"), **kwargs)


def ready_inspection(**kwargs):
    """An inspection whose team meets the notification gate, with its lead."""
    return factories.inspection_with_team(**kwargs)


def notified(on=datetime.date(2026, 1, 5), **kwargs):
    inspection, lead = ready_inspection(**kwargs)
    inspection = services.inspection_transition(
        inspection=inspection, by=lead, to_status="notified", on=on
    )
    return inspection, lead


def evidence_with_file(inspection, by, name="report.pdf", content=PDF):
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    attachment = services.attachment_upload(
        activity=activity,
        by=by,
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )
    return activity, attachment


# The list ------------------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_list_shows_columns_and_filters_by_status_programme_and_search(admin_client, fife):
    planned = factories.InspectionFactory(
        title="Fife adult services", partnership=fife, planned_notification_on="2026-03-02"
    )
    factories.TeamMemberFactory(
        inspection=planned,
        user=factories.lead_inspector(full_name="Lee Lead"),
        role="lead_inspector",
    )
    published = factories.InspectionFactory(
        title="Elsewhere", status="published", programme=factories.programme("justice_cpo")
    )

    response = admin_client.get(LIST)
    text = body(response)
    assert response.status_code == 200
    for value in (
        "Fife adult services",
        "Fife Health and Social Care Partnership",
        "Joint inspections of adult services (themed)",
        "Planned",
        "Lee Lead",
        "2 Mar 2026",
        "planned",
    ):
        assert value in text

    by_status = admin_client.get(LIST, {"status": "published"})
    assert list(by_status.context["inspections"]) == [published]
    by_programme = admin_client.get(LIST, {"programme": factories.programme().pk})
    assert list(by_programme.context["inspections"]) == [planned]
    by_search = admin_client.get(LIST, {"q": "fife"})
    assert list(by_search.context["inspections"]) == [planned]
    by_partnership = admin_client.get(LIST, {"partnership": fife.pk})
    assert list(by_partnership.context["inspections"]) == [planned]
    lead = planned.team.get().user
    by_lead = admin_client.get(LIST, {"lead_inspector": lead.pk})
    assert list(by_lead.context["inspections"]) == [planned]
    by_year = admin_client.get(LIST, {"year": "2026"})
    assert list(by_year.context["inspections"]) == [planned]
    sorted_ = admin_client.get(LIST, {"sort": "title"})
    assert list(sorted_.context["inspections"]) == [published, planned]


def test_my_inspections_checkbox(client, lead):
    mine = factories.InspectionFactory(title="Mine", status="published")
    factories.TeamMemberFactory(inspection=mine, user=lead, role="lead_inspector")
    factories.InspectionFactory(title="Theirs", status="published")
    login(client, lead)
    assert client.get(LIST).context["pagination"].count == 2
    response = client.get(LIST, {"mine": "on"})
    assert [i.title for i in response.context["inspections"]] == ["Mine"]


def test_list_shows_only_what_the_user_may_see(inspector_client):
    factories.InspectionFactory(title="A draft")
    factories.InspectionFactory(title="Out in public", status="published")
    response = inspector_client.get(LIST)
    assert [i.title for i in response.context["inspections"]] == ["Out in public"]
    assert "Plan an inspection" not in body(response)  # inspectors do not plan


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"programme": "abc"},
        {"partnership": "999999"},
        {"lead_inspector": "x"},
        {"year": "twenty"},
        {"sort": "drop table"},
        {"page": "abc"},
    ],
)
def test_bad_filters_get_the_error_summary_not_a_server_error(admin_client, params):
    factories.InspectionFactory()
    response = admin_client.get(LIST, params)
    if "page" in params:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "There is a problem" in body(response)


def test_empty_state(admin_client):
    response = admin_client.get(LIST, {"q": "Atlantis"})
    assert "No inspections match these filters." in body(response)
    response = admin_client.get(LIST)
    assert "There are no inspections you can see yet." in body(response)


def test_csv_export_has_the_filtered_list(admin_client):
    factories.InspectionFactory(title="Wanted one", planned_notification_on="2026-02-02")
    factories.InspectionFactory(title="Other")
    response = admin_client.get(LIST, {"q": "Wanted", "format": "csv"})
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="inspections-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Title", "Partnership", "Programme", "Status"]
    assert [r[0] for r in rows[1:]] == ["Wanted one"]
    assert rows[1][5] == "2026-02-02"


@pytest.mark.parametrize("path", ["page", "csv"])
def test_list_runs_the_same_number_of_queries_at_5_and_100(client, path):
    viewer = factories.administrator()
    login(client, viewer)

    def queries_for(count: int) -> int:
        prefix = f"Scale{count}x"
        programme = factories.programme()
        partnership = factories.PartnershipFactory()
        for n in range(count):
            inspection = Inspection.objects.create(
                programme=programme,
                partnership=partnership,
                lead_agency=programme.lead_agency,
                title=f"{prefix} {n:03}",
            )
            TeamMember.objects.create(inspection=inspection, user=viewer, role="lead_inspector")
        params = {"q": prefix, "format": "csv"} if path == "csv" else {"q": prefix}
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, params)
            if path == "csv":
                assert b"".join(response.streaming_content).decode().count("\n") == count + 1
            else:
                assert response.context["pagination"].count == count
        return len(ctx.captured_queries)

    assert queries_for(5) == queries_for(100)


def test_navigation_has_inspections(inspector_client):
    response = inspector_client.get(LIST)
    nav = [item["label"] for item in response.context["navigation"]]
    assert nav == [
        "Home",
        "Partnerships",
        "Inspections",
        "Co-operation",
        "Good practice",
        "Your profile",
    ]


# Planning an inspection ----------------------------------------------------------------------


def _plan_data(fife, lead, **overrides) -> dict:
    programme = factories.programme()
    data = {
        "programme": programme.pk,
        "partnership": fife.pk,
        "title": "Joint inspection of adult services: Fife",
        "theme": "",
        "planned_notification_on": "2026-01-05",
        "fieldwork_starts_on": "",
        "fieldwork_ends_on": "",
        "lead_inspector": lead.pk,
        "quality_indicators": [qi.pk for qi in programme.quality_indicators.all()],
    }
    data.update(overrides)
    return data


def test_only_lead_inspectors_and_administrators_may_plan(client, inspector_client, lead, fife):
    assert inspector_client.get(CREATE).status_code == 403
    assert inspector_client.post(CREATE, _plan_data(fife, lead)).status_code == 403
    login(client, lead)
    response = client.get(CREATE)
    assert response.status_code == 200
    # A lead inspector is offered as the lead by default.
    assert response.context["form"].initial["lead_inspector"] == lead.pk
    partnerships = response.context["form"].fields["partnership"].queryset
    assert not partnerships.filter(archived_at__isnull=False).exists()
    leads = response.context["form"].fields["lead_inspector"].queryset
    assert list(leads) == [lead]  # only people with the Lead inspector role
    login(client, factories.administrator())
    response = client.get(CREATE)
    assert response.status_code == 200
    assert "lead_inspector" not in response.context["form"].initial  # not a lead themselves


def test_planning_an_inspection_makes_the_lead_a_team_member(client, lead, fife):
    login(client, lead)
    response = client.post(CREATE, _plan_data(fife, lead))
    assert response.status_code == 302
    inspection = Inspection.objects.get(title="Joint inspection of adult services: Fife")
    assert response.url == detail(inspection)
    assert inspection.theme == "Adults living with mental illness"  # from the programme
    assert inspection.team.get().user == lead
    assert inspection.quality_indicators.count() == 1
    overview = client.get(response.url)
    assert "has been planned" in body(overview)


def test_planning_with_bad_input_shows_every_error_and_keeps_input(client, lead, fife):
    login(client, lead)
    data = _plan_data(
        fife,
        lead,
        title="",
        theme="Kept theme",
        fieldwork_starts_on="2026-03-10",
        fieldwork_ends_on="2026-03-01",
    )
    response = client.post(CREATE, data)
    text = body(response)
    assert response.status_code == 400
    assert "There is a problem" in text
    assert "Enter a title." in text
    assert "Fieldwork cannot end before it starts." in text
    assert "Kept theme" in text
    assert not Inspection.objects.exists()


def test_indicators_from_another_programme_are_refused_on_the_field(client, lead, fife):
    login(client, lead)
    other = factories.programme("justice_cpo").quality_indicators.first()
    response = client.post(CREATE, _plan_data(fife, lead, quality_indicators=[other.pk]))
    assert response.status_code == 400
    assert f"{other} is not in the Joint inspections of adult services (themed) framework." in (
        body(response)
    )
    assert response.context["form"].errors["quality_indicators"]


# The lifecycle through the pages -------------------------------------------------------------


def test_an_inspection_from_planned_to_closed_through_the_pages(client, lead, fife):
    login(client, lead)
    his = his_inspector(full_name="Hamish Health")

    # Plan it.
    client.post(CREATE, _plan_data(fife, lead, title="Lifecycle"))
    inspection = Inspection.objects.get(title="Lifecycle")
    url = detail(inspection)

    # Add the partner agency's inspector, so the notification gate is met.
    response = client.post(
        reverse("inspections:team_add", args=[inspection.pk]),
        {"user": his.pk, "role": "health_inspector", "conflict": "none", "conflict_details": ""},
    )
    assert response.status_code == 302
    page = client.get(url)
    notify = next(s for s, _ in page.context["steps"].main if s.status == "notified")
    assert notify.ready

    def move(status, on="2026-01-05", expect=302, **extra):
        response = client.post(transition(inspection), {"status": status, "on": on, **extra})
        assert response.status_code == expect, body(response)
        return response

    move("notified", on="2026-01-05")
    inspection.refresh_from_db()
    assert inspection.status == "notified"
    assert inspection.notified_on == datetime.date(2026, 1, 5)
    assert inspection.milestones.count() == 11
    move("evidence_gathering", on="2026-01-12")

    # Evidence: recorded in progress, then marked complete on its edit page.
    response = client.post(
        reverse("inspections:evidence_create", args=[inspection.pk]),
        {
            "kind": "position_statement",
            "title": "Position statement",
            "starts_on": "2026-01-12",
            "ends_on": "2026-01-30",
            "carried_out_by": [lead.pk, his.pk],
            "notes": "",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    activity = EvidenceActivity.objects.get(title="Position statement")
    assert set(activity.carried_out_by.all()) == {lead, his}
    response = client.post(
        reverse("inspections:evidence_edit", args=[activity.pk]),
        {
            "kind": "position_statement",
            "title": "Position statement",
            "starts_on": "2026-01-12",
            "ends_on": "2026-01-30",
            "carried_out_by": [lead.pk, his.pk],
            "notes": "All 18 documents received.",
            "status": "complete",
            "version": activity.version,
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "complete"

    # Fieldwork needs its start date: refused until it is set on the edit page.
    refused = move("fieldwork", on="2026-03-02", expect=400)
    assert gates.NEEDS_FIELDWORK_DATES in body(refused)
    inspection.refresh_from_db()
    response = client.post(
        reverse("inspections:edit", args=[inspection.pk]),
        {
            "title": "Lifecycle",
            "theme": inspection.theme,
            "planned_notification_on": "2026-01-05",
            "fieldwork_starts_on": "2026-03-02",
            "fieldwork_ends_on": "2026-03-20",
            "summary": "",
            "quality_indicators": [qi.pk for qi in inspection.quality_indicators.all()],
            "version": inspection.version,
        },
    )
    assert response.status_code == 302

    factories.satisfy_report_gates(inspection, lead)
    for status, on in [
        ("fieldwork", "2026-03-02"),
        ("evaluation", "2026-03-23"),
        ("report_drafting", "2026-03-30"),
        ("factual_accuracy", "2026-04-27"),
        ("published", "2026-05-25"),
        ("improvement_plan_agreed", "2026-07-06"),
        ("closed", "2026-09-07"),
    ]:
        move(status, on=on)

    inspection.refresh_from_db()
    assert inspection.status == "closed"
    assert inspection.published_on == datetime.date(2026, 5, 25)
    changes = list(StatusChange.objects.filter(inspection=inspection))
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
    assert all(c.changed_by == lead for c in changes)

    page = client.get(url)
    text = body(page)
    assert "Closed" in text
    assert not page.context["steps"]  # nothing follows closed
    assert reverse("inspections:edit", args=[inspection.pk]) not in text
    # Planned against actual: published was planned for week 20 and reached in week 20.
    published = next(t for t in page.context["overview"].timings if t.status == "published")
    assert (published.planned_week, published.actual_week) == (20, 20)

    history = body(client.get(reverse("inspections:history", args=[inspection.pk])))
    assert "Moved to Closed" in history
    assert "Moved to Notified" in history
    assert "Changed by Lesley Lead" in history
    assert "Fieldwork starts" in history


def test_a_forbidden_transition_is_refused_with_its_message(admin_client):
    inspection, _ = ready_inspection()
    response = admin_client.post(transition(inspection), {"status": "published"})
    assert response.status_code == 400
    text = body(response)
    assert "There is a problem" in text
    assert "An inspection cannot move from Planned to Published." in text
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    assert not StatusChange.objects.exists()


def test_notifying_without_the_team_lists_every_unmet_condition(admin_client):
    inspection = factories.InspectionFactory()
    # The overview shows what is missing under the step, and still offers it.
    page = admin_client.get(detail(inspection))
    notify = next(s for s, _ in page.context["steps"].main if s.status == "notified")
    assert gates.NEEDS_LEAD in notify.unmet

    response = admin_client.post(transition(inspection), {"status": "notified"})
    text = body(response)
    assert response.status_code == 400
    for message in (
        gates.NEEDS_LEAD,
        gates.NEEDS_AGENCY_MEMBER.format(agency="Care Inspectorate"),
        gates.NEEDS_AGENCY_MEMBER.format(agency="Healthcare Improvement Scotland"),
    ):
        assert text.count(message) == 2  # in the error summary and under the step
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_suspending_needs_a_reason_and_resuming_goes_back(client):
    inspection, lead = notified()
    login(client, lead)
    response = client.post(transition(inspection), {"status": "suspended", "reason": ""})
    assert response.status_code == 400
    assert services.REASON_NEEDED in body(response)
    assert response.context["steps"].exceptional_open  # the folded-away step is shown open
    assert 'href="#id_suspended_reason"' in response.content.decode()

    response = client.post(
        transition(inspection), {"status": "suspended", "reason": "Partnership in crisis"}
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "suspended"
    page = client.get(detail(inspection))
    assert "Partnership in crisis" in body(page)
    assert "Resume: back to Notified" in body(page)

    client.post(transition(inspection), {"status": "notified"})
    inspection.refresh_from_db()
    assert inspection.status == "notified"


def test_only_the_lead_or_an_administrator_moves_the_inspection(client):
    inspection, _ = ready_inspection()
    member = inspection.team.exclude(role="lead_inspector").first().user
    login(client, member)
    page = client.get(detail(inspection))
    assert page.status_code == 200
    assert not page.context["steps"]
    assert client.post(transition(inspection), {"status": "notified"}).status_code == 403


def test_a_bad_step_gets_a_message_not_a_server_error(admin_client):
    inspection, _ = ready_inspection()
    response = admin_client.post(transition(inspection), {"status": "nonsense", "on": "x"})
    assert response.status_code == 400
    assert "Choose one of the next steps" in body(response)
    assert admin_client.get(transition(inspection)).status_code == 405


# Milestones ----------------------------------------------------------------------------------


def test_milestones_come_from_the_template_and_later_template_edits_leave_them(client):
    inspection, lead = notified(on=datetime.date(2026, 1, 5))
    templates = list(inspection.programme.milestone_templates.all())
    for template in templates:
        milestone = inspection.milestones.get(name=template.name)
        due = datetime.date(2026, 1, 5) + datetime.timedelta(weeks=template.offset_weeks)
        assert milestone.due_on == milestone.planned_due_on == due

    template = MilestoneTemplate.objects.get(
        programme=inspection.programme, name="Report published"
    )
    template.offset_weeks = 30
    template.save()

    milestone = inspection.milestones.get(name="Report published")
    assert milestone.due_on == datetime.date(2026, 5, 25)  # week 20, as when notified
    login(client, lead)
    assert "25 May 2026" in body(client.get(detail(inspection)))


def test_moving_a_milestone_needs_a_reason_which_shows_on_its_history(client):
    inspection, lead = notified()
    milestone = inspection.milestones.get(name="Staff survey closes")
    url = reverse("inspections:milestone_move", args=[inspection.pk, milestone.pk])
    login(client, lead)
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"due_on": "2026-02-20", "reason": "", "version": milestone.version}
    )
    assert response.status_code == 400
    assert services.MOVE_REASON_NEEDED in body(response)

    response = client.post(
        url,
        {
            "due_on": "2026-02-20",
            "reason": "The partnership asked for another week",
            "version": milestone.version,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == datetime.date(2026, 2, 20)
    assert milestone.planned_due_on == datetime.date(2026, 2, 9)

    history = body(
        client.get(reverse("inspections:milestone_history", args=[inspection.pk, milestone.pk]))
    )
    assert "The partnership asked for another week" in history
    assert f"Changed by {lead.full_name}" in history
    assert "20 February 2026" in history
    assert "Moved from 9 Feb 2026" in body(client.get(detail(inspection)))


def test_a_team_member_cannot_move_milestones_but_marks_them_done(client):
    inspection, _ = notified()
    member = inspection.team.exclude(role="lead_inspector").first().user
    milestone = inspection.milestones.get(name="Staff survey closes")
    login(client, member)
    move = reverse("inspections:milestone_move", args=[inspection.pk, milestone.pk])
    assert client.get(move).status_code == 403

    done = reverse("inspections:milestone_complete", args=[inspection.pk, milestone.pk])
    response = client.post(done, {"version": milestone.version, "done": "yes"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on is not None

    stale = client.post(done, {"version": 1, "done": "no"})
    assert stale.status_code == 400
    assert "Someone else changed this record" in body(stale)

    response = client.post(done, {"version": milestone.version, "done": "no"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on is None


@freeze_time("2026-03-01")
def test_overdue_milestones_are_marked_in_words(client):
    inspection, lead = notified(on=datetime.date(2026, 1, 5))
    done = inspection.milestones.get(name="Notification letters sent")
    services.milestone_complete(
        milestone=done, by=lead, completed_on=datetime.date(2026, 1, 5), expected_version=1
    )
    login(client, lead)
    page = client.get(detail(inspection))
    states = {row.milestone.name: row.state for row in page.context["overview"].milestones}
    assert states["Notification letters sent"] == "done"
    assert states["Staff survey closes"] == "overdue"  # due 9 February
    assert states["Report published"] == "due"
    assert '<strong class="ds_tag ds_tag--red">Overdue</strong>' in page.content.decode()


# Team and declared connections ---------------------------------------------------------------


def test_the_lead_adds_a_member_with_a_connection_who_cannot_see_evidence_until_cleared(
    client,
):
    inspection, lead = notified()
    activity, attachment = evidence_with_file(inspection, lead)
    newcomer = his_inspector(full_name="Nina Newcomer")

    login(client, lead)
    missing_details = client.post(
        reverse("inspections:team_add", args=[inspection.pk]),
        {"user": newcomer.pk, "role": "inspector", "conflict": "worked_there"},
    )
    assert missing_details.status_code == 400
    response = client.post(
        reverse("inspections:team_add", args=[inspection.pk]),
        {
            "user": newcomer.pk,
            "role": "inspector",
            "conflict": "worked_there",
            "conflict_details": "Social worker there until 2023",
        },
    )
    assert response.status_code == 302
    member = TeamMember.objects.get(inspection=inspection, user=newcomer)
    assert member.decision == "pending"

    evidence_url = reverse("inspections:evidence_detail", args=[activity.pk])
    download_url = reverse("inspections:attachment_download", args=[attachment.pk])
    login(client, newcomer)
    page = client.get(detail(inspection))
    assert page.status_code == 200  # they see the inspection
    assert "The evidence is closed to you" in body(page)
    assert not page.context["overview"].can_view_evidence
    assert client.get(evidence_url).status_code == 404
    assert client.get(download_url).status_code == 404
    assert not AttachmentDownload.objects.exists()

    # The lead's page lists the pending decision and links to it.
    login(client, lead)
    decide = reverse("inspections:team_decide", args=[inspection.pk, member.pk])
    assert decide in body(client.get(detail(inspection)))
    assert "Social worker there until 2023" in body(client.get(decide))
    response = client.post(decide, {"decision": "cleared", "notes": "Left two years ago"})
    assert response.status_code == 302

    login(client, newcomer)
    assert client.get(evidence_url).status_code == 200
    response = client.get(download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert AttachmentDownload.objects.filter(user=newcomer).count() == 1


def test_a_member_declares_their_own_connection(client):
    inspection, _ = notified()
    member = inspection.team.exclude(role="lead_inspector").first()
    url = reverse("inspections:team_declare", args=[inspection.pk, member.pk])
    login(client, member.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"conflict": "family", "conflict_details": "My sister works there"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.conflict, member.decision) == ("family", "pending")
    assert not client.get(detail(inspection)).context["overview"].can_view_evidence

    # Someone else on the team may not declare for them.
    other = factories.TeamMemberFactory(inspection=inspection)
    services.inspection_permissions_sync(inspection=inspection)
    login(client, other.user)
    assert client.get(url).status_code == 403


def test_only_the_lead_adds_decides_and_removes(client):
    inspection, _ = notified()
    member = inspection.team.exclude(role="lead_inspector").first()
    login(client, member.user)
    for url in (
        reverse("inspections:team_add", args=[inspection.pk]),
        reverse("inspections:team_decide", args=[inspection.pk, member.pk]),
        reverse("inspections:team_remove", args=[inspection.pk, member.pk]),
    ):
        assert client.get(url).status_code == 403


def test_removing_a_member_needs_a_reason_and_keeps_their_history(client):
    inspection, lead = notified()
    member = inspection.team.exclude(role="lead_inspector").first()
    url = reverse("inspections:team_remove", args=[inspection.pk, member.pk])
    login(client, lead)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Moved to another inspection"}).status_code == 302
    member.refresh_from_db()
    assert member.archived_at is not None
    history = body(client.get(reverse("inspections:team_history", args=[inspection.pk, member.pk])))
    assert f"Archived by {lead.full_name}" in history
    assert "Moved to another inspection" in history
    # They no longer see the unpublished inspection.
    login(client, member.user)
    assert client.get(detail(inspection)).status_code == 404


def test_adding_someone_twice_is_refused_on_the_page(client):
    inspection, lead = ready_inspection()
    login(client, lead)
    member = inspection.team.exclude(role="lead_inspector").first()
    response = client.post(
        reverse("inspections:team_add", args=[inspection.pk]),
        {"user": member.user.pk, "role": "inspector", "conflict": "none"},
    )
    assert response.status_code == 400
    assert "This person is already on the team." in body(response)


# Who sees what -------------------------------------------------------------------------------


def test_someone_outside_the_team_gets_404_on_the_draft_and_its_evidence(inspector_client):
    inspection, lead = notified()
    activity, attachment = evidence_with_file(inspection, lead)
    for url in (
        detail(inspection),
        reverse("inspections:history", args=[inspection.pk]),
        reverse("inspections:evidence_detail", args=[activity.pk]),
        reverse("inspections:evidence_history", args=[activity.pk]),
        reverse("inspections:attachment_download", args=[attachment.pk]),
        reverse("inspections:evidence_create", args=[inspection.pk]),
        reverse("inspections:edit", args=[inspection.pk]),
    ):
        assert inspector_client.get(url).status_code == 404, url
    assert not AttachmentDownload.objects.exists()


def test_once_published_outsiders_see_the_published_facts_but_never_the_evidence(
    inspector_client,
):
    inspection, lead = ready_inspection(
        title="Published inspection", fieldwork_starts_on=datetime.date(2026, 3, 2)
    )
    activity, attachment = evidence_with_file(inspection, lead)
    Inspection.objects.filter(pk=inspection.pk).update(
        status="published", published_on=datetime.date(2026, 5, 25), summary="Secret draft note"
    )

    page = inspector_client.get(detail(inspection))
    text = body(page)
    assert page.status_code == 200
    assert "Published inspection" in text
    assert str(inspection.partnership) in text
    assert inspection.programme.name in text
    assert "25 May 2026" in text
    assert "Unconfirmed number" in text  # the indicators in scope
    for section in ("team", "milestones", "status-history", "evidence", "next-steps"):
        assert f'id="{section}"' not in text
    assert "Secret draft note" not in text
    assert lead.full_name not in text
    assert reverse("inspections:history", args=[inspection.pk]) not in text
    for url in (
        reverse("inspections:history", args=[inspection.pk]),
        reverse("inspections:evidence_detail", args=[activity.pk]),
        reverse("inspections:attachment_download", args=[attachment.pk]),
    ):
        assert inspector_client.get(url).status_code == 404, url


def test_missing_inspection_is_404(admin_client):
    assert admin_client.get(reverse("inspections:detail", args=[999999])).status_code == 404


# Evidence and attachments --------------------------------------------------------------------


def upload(client, activity, name, content, **extra):
    return client.post(
        reverse("inspections:attachment_upload", args=[activity.pk]),
        {"file": SimpleUploadedFile(name, content), "description": "", **extra},
    )


def checker_says(name: str, content: bytes) -> str:
    """What the upload check says about this file (the page must show exactly that)."""
    with pytest.raises(ValidationError) as refused:
        uploads.inspect_upload(SimpleUploadedFile(name, content))
    return refused.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("report.pdf", b"This is not a PDF at all"),
        ("notes.txt", PDF + b"\x00\xff"),
    ],
)
def test_a_disallowed_file_is_refused_on_the_field(client, media, name, content):
    inspection, lead = ready_inspection()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    login(client, lead)
    response = upload(client, activity, name, content)
    assert response.status_code == 400
    expected = checker_says(name, content)
    assert name in expected
    assert expected in body(response)
    assert response.context["form"].errors["file"] == [expected]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'enctype="multipart/form-data"' in page
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    inspection, lead = ready_inspection()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    login(client, lead)
    response = upload(client, activity, "report.pdf", PDF)
    assert response.status_code == 400
    too_big = uploads.TOO_BIG.format(size=filesizeformat(len(PDF)), limit=filesizeformat(10))
    assert too_big in body(response)


def test_a_pdf_is_uploaded_listed_downloaded_and_the_download_recorded(client, media):
    inspection, lead = ready_inspection()
    activity = factories.EvidenceActivityFactory(inspection=inspection, title="Record reading")
    login(client, lead)
    url = reverse("inspections:attachment_upload", args=[activity.pk])
    assert client.get(url).status_code == 200
    response = upload(client, activity, "Record review.pdf", PDF, description="Totals")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == (
        "Record review.pdf",
        "application/pdf",
    )
    assert str(media) in attachment.file.path

    page = client.get(reverse("inspections:evidence_detail", args=[activity.pk]))
    assert "Record review.pdf" in body(page)
    assert "Record review.pdf" in body(client.get(detail(inspection)))

    response = client.get(reverse("inspections:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Record review.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    download = AttachmentDownload.objects.get()
    assert (download.attachment, download.user, download.via) == (attachment, lead, "page")


def test_no_file_chosen_is_a_message(client):
    inspection, lead = ready_inspection()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    login(client, lead)
    response = client.post(
        reverse("inspections:attachment_upload", args=[activity.pk]), {"description": ""}
    )
    assert response.status_code == 400
    assert "Choose a file to upload." in body(response)


def test_evidence_form_errors_keep_input(client):
    inspection, lead = ready_inspection()
    login(client, lead)
    response = client.post(
        reverse("inspections:evidence_create", args=[inspection.pk]),
        {
            "kind": "staff_survey",
            "title": "Staff survey",
            "starts_on": "2026-02-10",
            "ends_on": "2026-02-01",
            "notes": "Kept notes",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in body(response)
    assert "Kept notes" in body(response)


def test_recording_evidence_with_no_one_ticked_records_the_author(client):
    inspection, lead = ready_inspection()
    login(client, lead)
    client.post(
        reverse("inspections:evidence_create", args=[inspection.pk]),
        {"kind": "staff_survey", "title": "Survey", "status": "planned"},
    )
    assert list(EvidenceActivity.objects.get().carried_out_by.all()) == [lead]


def test_archiving_evidence_and_attachments_keeps_them_in_history(client):
    inspection, lead = ready_inspection()
    activity, attachment = evidence_with_file(inspection, lead)
    login(client, lead)
    response = client.post(
        reverse("inspections:attachment_archive", args=[attachment.pk]),
        {"reason": "Uploaded by mistake"},
    )
    assert response.status_code == 302
    page = client.get(reverse("inspections:evidence_detail", args=[activity.pk]))
    assert list(page.context["attachments"]) == []
    assert "No files have been uploaded" in body(page)

    url = reverse("inspections:evidence_archive", args=[activity.pk])
    assert client.post(url, {"reason": "", "version": activity.version}).status_code == 400
    response = client.post(url, {"reason": "Duplicate", "version": activity.version})
    assert response.status_code == 302
    assert client.get(detail(inspection)).context["overview"].evidence == []
    history = body(client.get(reverse("inspections:evidence_history", args=[activity.pk])))
    assert f"Archived by {lead.full_name}" in history
    assert "Duplicate" in history


# Editing -------------------------------------------------------------------------------------


def _edit_data(inspection, **overrides) -> dict:
    data = {
        "title": inspection.title,
        "theme": inspection.theme,
        "planned_notification_on": "",
        "fieldwork_starts_on": "",
        "fieldwork_ends_on": "",
        "summary": inspection.summary,
        "quality_indicators": [qi.pk for qi in inspection.quality_indicators.all()],
        "version": inspection.version,
    }
    data.update(overrides)
    return data


def test_a_stale_edit_shows_the_conflict_and_keeps_the_input(client):
    inspection, lead = ready_inspection(title="Original title")
    login(client, lead)
    url = reverse("inspections:edit", args=[inspection.pk])
    stale = _edit_data(inspection, summary="My careful summary")
    other = factories.administrator(full_name="Other Admin")
    services.inspection_update(
        inspection=inspection,
        by=other,
        expected_version=inspection.version,
        changes={"title": "Their title"},
    )
    response = client.post(url, stale)
    text = body(response)
    assert response.status_code == 400
    assert CONFLICT_MESSAGE.split(":")[0] in text
    assert "My careful summary" in text  # the user's input is still on the page
    assert "Their title" in text  # and what the other person saved
    inspection.refresh_from_db()
    assert inspection.title == "Their title"
    resubmit = dict(stale, version=response.context["form"].data["version"])
    assert client.post(url, resubmit).status_code == 302
    inspection.refresh_from_db()
    assert inspection.summary == "My careful summary"


def test_editing_is_for_the_team_and_administrators(client):
    inspection, _ = ready_inspection(status="published")
    url = reverse("inspections:edit", args=[inspection.pk])
    login(client, factories.inspector())
    assert client.get(url).status_code == 403  # they see it, but may not change it
    login(client, factories.administrator())
    assert client.get(url).status_code == 200
    login(client, inspection.team.exclude(role="lead_inspector").first().user)
    assert client.get(url).status_code == 200


# Query counts --------------------------------------------------------------------------------


def test_the_overview_runs_the_same_number_of_queries_however_big_the_inspection(client):
    viewer = factories.administrator()

    def build(size: int) -> Inspection:
        inspection, lead = notified()
        TeamMember.objects.filter(inspection=inspection, role="lead_inspector").update(user=viewer)
        for _ in range(size):
            factories.TeamMemberFactory(inspection=inspection)
        for n in range(size):
            Milestone.objects.create(
                inspection=inspection,
                stage="fieldwork",
                name=f"Extra {n}",
                offset_weeks=10,
                planned_due_on=datetime.date(2026, 3, 16),
                due_on=datetime.date(2026, 3, 16),
            )
            activity = factories.EvidenceActivityFactory(inspection=inspection)
            activity.carried_out_by.set([viewer, lead])
            for k in range(2):
                Attachment.objects.create(
                    evidence_activity=activity,
                    file=f"evidence/{n}-{k}.pdf",
                    original_name=f"{n}-{k}.pdf",
                    content_type="application/pdf",
                    size=10,
                    sha256="0" * 64,
                    uploaded_by=viewer,
                )
        services.inspection_permissions_sync(inspection=inspection)
        return inspection

    small, large = build(1), build(12)
    login(client, viewer)

    def queries_for(inspection) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(detail(inspection))
        assert response.status_code == 200
        assert response.context["overview"].can_view_evidence
        assert response.context["steps"]
        return len(ctx.captured_queries)

    assert queries_for(small) == queries_for(large)


# The partnership page ------------------------------------------------------------------------


def test_the_partnership_page_lists_its_inspections(admin_client, fife):
    factories.InspectionFactory(partnership=fife, title="Fife themed inspection")
    response = admin_client.get(reverse("partnerships:detail", args=[fife.pk]))
    text = body(response)
    assert "Fife themed inspection" in text
    assert f"{LIST}?partnership={fife.pk}" in text
