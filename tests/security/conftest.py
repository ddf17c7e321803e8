"""The world the permission matrix runs in: one of every record a route can name, built once
per module, and the people who look at it.

The people (ACTOR_NAMES; the matrix's columns):

- inspector: a Care Inspectorate inspector on the team of both inspections (and the reader of
  the record-reading record);
- lead: the lead inspector of both inspections;
- link: the current link inspector of the partnership's council area;
- rm: the current relationship manager of that council area;
- director, ceo: the Care Inspectorate's director and chief executive (the inspections' lead
  agency);
- admin: an administrator;
- outsider: a Care Inspectorate inspector on no team and following no council area.

Everything is built through the services where they exist, so permissions (django-guardian),
versions and History are what real use gives."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.roles import Role
from tests import factories
from tests.cooperation import factories as coop

# The people, in the matrix's column order; each but "anonymous" is an attribute of the world.
ACTOR_NAMES = [
    "anonymous",
    "inspector",
    "lead",
    "link",
    "rm",
    "director",
    "ceo",
    "admin",
    "outsider",
]
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _people(w: SimpleNamespace) -> None:
    from partnerships.models import AreaRole
    from partnerships.services import area_assignment_create

    ci = factories.agency("CI")
    w.inspector = factories.UserFactory(
        roles=[Role.INSPECTOR], agency=ci, full_name="Iona Inspector"
    )
    w.lead = factories.lead_inspector(agency=ci, full_name="Lewis Lead")
    w.link = factories.UserFactory(
        roles=[Role.INSPECTOR, Role.LINK_INSPECTOR], agency=ci, full_name="Lorna Link"
    )
    w.rm = factories.UserFactory(
        roles=[Role.RELATIONSHIP_MANAGER], agency=ci, full_name="Rory Relationship"
    )
    w.director = factories.senior(Role.DIRECTOR, "CI", full_name="Deirdre Director")
    w.ceo = factories.senior(Role.CHIEF_EXECUTIVE, "CI", full_name="Callum Chief")
    w.admin = factories.administrator(agency=ci, full_name="Ailsa Admin")
    w.outsider = factories.inspector(agency=ci, full_name="Olive Outsider")

    w.area = factories.LocalAuthorityFactory(name="Matrixshire Council")
    w.partnership = factories.PartnershipFactory(
        name="Matrixshire", kind="health_and_social_care", local_authorities=[w.area]
    )
    for user, role in [(w.link, AreaRole.LINK_INSPECTOR), (w.rm, AreaRole.RELATIONSHIP_MANAGER)]:
        area_assignment_create(
            by=None, user=user, local_authority=w.area, role=role, started_on=_days(-200)
        )
    w.contact = factories.ContactFactory(partnership=w.partnership)


def _inspection(w: SimpleNamespace, status: str, title: str):
    from inspections.services import inspection_permissions_sync

    inspection = factories.InspectionFactory(
        programme=factories.programme("justice_cpo"),
        partnership=w.partnership,
        title=title,
        status=status,
        fieldwork_starts_on=_days(-60),
    )
    factories.TeamMemberFactory(inspection=inspection, user=w.lead, role="lead_inspector")
    member = factories.TeamMemberFactory(inspection=inspection, user=w.inspector, role="inspector")
    inspection_permissions_sync(inspection=inspection)
    return inspection, member


def _inspections(w: SimpleNamespace) -> None:
    from inspections import services as inspection_services
    from inspections.record_reading import services as reading
    from inspections.report import services as report_services

    # The unpublished inspection: at the factual accuracy check, so every part of it is live.
    w.inspection, w.member = _inspection(
        w, "factual_accuracy", "Joint inspection of Matrixshire: unpublished"
    )
    w.indicator = w.inspection.quality_indicators.order_by("order", "pk").first()
    w.milestone = factories.MilestoneFactory(
        inspection=w.inspection, name="Matrixshire fieldwork ends", due_on=_days(7)
    )
    w.evidence = inspection_services.evidence_activity_create(
        inspection=w.inspection,
        by=w.lead,
        kind="position_statement",
        title="Matrixshire position statement",
    )
    w.attachment = inspection_services.attachment_upload(
        activity=w.evidence,
        by=w.lead,
        upload=SimpleUploadedFile(
            "matrixshire-focus-group.txt", b"Notes from the focus group.\n", "text/plain"
        ),
    )
    template, questions = factories.record_template(w.inspection.programme)
    w.record_template = template
    w.record = reading.record_add(
        inspection=w.inspection,
        by=w.lead,
        template=template,
        reference="SW/MATRIX/1",
        agency="social_work",
        reader=w.inspector,
    )
    w.record = reading.record_answers_save(
        record=w.record,
        by=w.inspector,
        expected_version=w.record.version,
        answers={questions["yes_no"].pk: "yes"},
        complete=False,
    )
    w.answer = w.record.answers.get(question=questions["yes_no"])
    w.finding = report_services.finding_create(
        inspection=w.inspection,
        by=w.inspector,
        kind="recommendation",
        text="Review every Matrixshire case plan within six weeks.",
        quality_indicators=[w.indicator],
    )
    w.evaluation = report_services.evaluation_propose(
        inspection=w.inspection,
        quality_indicator=w.indicator,
        by=w.inspector,
        level=factories.evaluation_level(w.inspection, 4),
        rationale="The Matrixshire records bore this out.",
    )
    w.fa_comment = report_services.fa_comment_create(
        inspection=w.inspection,
        by=w.inspector,
        report_reference="Page 3, paragraph 1",
        comment="The Matrixshire staff turnover figure is for the wrong year.",
    )

    # The published inspection of the same partnership, with its frozen version 1.
    w.published, _ = _inspection(w, "factual_accuracy", "Joint inspection of Matrixshire")
    report_services.finding_create(
        inspection=w.published,
        by=w.inspector,
        kind="recommendation",
        text="Audit risk assessments every quarter.",
        quality_indicators=list(w.published.quality_indicators.order_by("order", "pk")[:1]),
    )
    factories.satisfy_report_gates(w.published, by=w.lead)
    w.published = inspection_services.inspection_transition(
        inspection=w.published, by=w.lead, to_status="published", on=_days(-30)
    )


def _improvement(w: SimpleNamespace) -> None:
    from improvement import selectors, services
    from improvement.models import ImprovementCriterion, SupportLevel, SupportProvider

    judgements = {
        c.pk: (True, f"Seen in Matrixshire: {c.number}")
        for c in ImprovementCriterion.objects.order_by("pk")
    }
    w.assessment = services.assessment_create(
        by=w.lead,
        partnership=w.partnership,
        inspection=w.published,
        assessed_on=_days(-20),
        judgements=judgements,
    )
    w.decision = services.decision_create(
        by=w.lead,
        assessment=w.assessment,
        level=SupportLevel.objects.order_by("order").first(),
        rationale="Every Matrixshire condition is met.",
    )
    w.plan = services.plan_create(
        by=w.lead,
        partnership=w.partnership,
        inspection=w.published,
        title="Matrixshire improvement plan",
    )
    findings = list(selectors.answerable_findings(w.published))
    w.action = services.action_create(
        by=w.lead,
        plan=w.plan,
        description="Audit Matrixshire risk assessments every quarter.",
        owner_name="Ann Owner",
        owner_organisation="Matrixshire Council",
        due_on=_days(60),
        findings=findings[:1],
    )
    w.progress = services.progress_add(
        by=w.lead,
        action=w.action,
        updated_on=_days(-1),
        progress="The first Matrixshire audit started.",
    )
    w.review = services.review_schedule(
        by=w.link,
        partnership=w.partnership,
        kind="monitoring",
        due_on=_days(30),
        decision=w.decision,
    )
    w.support = services.support_create(
        by=w.link,
        partnership=w.partnership,
        provider=SupportProvider.objects.filter(active=True).order_by("pk").first(),
        plan=w.plan,
        description="An improvement adviser for Matrixshire quality assurance.",
    )


def _engagement(w: SimpleNamespace) -> None:
    from partnerships import engagement_services, msg
    from partnerships.models import LinkActivityArea

    w.engagement = engagement_services.engagement_create(
        by=w.link,
        partnership=w.partnership,
        engaged_on=_days(-10),
        kind="meeting",
        areas=list(LinkActivityArea.objects.order_by("number")[:2]),
        notes="Met the Matrixshire chief officer.",
    )
    w.link_risk = engagement_services.link_risk_create(
        by=w.link,
        engagement=w.engagement,
        title="Matrixshire waiting lists growing",
        likely_impact="People wait longer for support.",
    )
    # Not shared: only those following the area (and seniors, administrators) find it.
    w.good_practice = engagement_services.good_practice_create(
        by=w.link,
        engagement=w.engagement,
        title="Matrixshire peer mentoring",
        description="Experienced workers mentor new staff through their first year.",
        service_area="children",
    )

    # MSG self-evaluation: a submitted round (whose rating is validated) and a draft round.
    proposals = list(msg.current_proposals())
    submitted = msg.msg_round_create(partnership=w.partnership, by=w.link, evaluated_on=_days(-60))
    submitted = msg.msg_ratings_save(
        self_evaluation=submitted,
        by=w.link,
        expected_version=submitted.version,
        ratings={p.pk: msg.RatingInput(rating="established") for p in proposals},
    )
    submitted = msg.msg_round_submit(
        self_evaluation=submitted, by=w.link, expected_version=submitted.version
    )
    w.msg_submitted = submitted
    w.msg_rating = submitted.ratings.order_by("pk").first()
    w.msg_round = msg.msg_round_create(partnership=w.partnership, by=w.link, evaluated_on=_days(-5))


def _cooperation(w: SimpleNamespace) -> None:
    from cooperation import services

    ci, his = coop.body("CI"), coop.body("HIS")
    w.shared_risk = services.risk_create(
        by=w.director,
        title="Inspection capacity for the joint programme",
        description="Vacancies in both bodies may delay joint inspections.",
        raised_by=ci,
        owner_body=his,
        likelihood=3,
        impact=4,
        review_on=_days(60),
    )
    w.mitigation = services.mitigation_create(
        risk=w.shared_risk,
        by=w.director,
        description="Share inspectors between the programmes.",
        owner=w.director,
        agreed_on=_days(-5),
    )
    w.meeting = services.meeting_create(
        by=w.director,
        meeting_type=coop.meeting_type("senior_executive_teams"),
        held_on=_days(-14),
        status="held",
        raised_by=his,
        title="Senior executive teams",
        risks=[w.shared_risk],
    )
    w.meeting_file = services.meeting_attachment_upload(
        meeting=w.meeting,
        by=w.director,
        upload=SimpleUploadedFile("minutes.txt", b"Minutes of the meeting.\n", "text/plain"),
    )
    w.meeting_action = services.action_create(
        meeting=w.meeting,
        by=w.director,
        description="Agree next year's timetable",
        owner=w.director,
        due_on=_days(21),
    )
    w.notice = services.notice_create(
        by=w.director,
        raised_by=ci,
        kind="announcement",
        subject="Publication of a national overview report",
        planned_on=_days(10),
        told_on=_days(-2),
        told_whom="HIS director of quality assurance",
    )
    w.escalation = services.escalation_raise(
        by=w.director,
        subject="Lead agency for a themed inspection",
        raised_by=his,
        raised_on=_days(-40),
        raising_body_position="HIS proposes to lead.",
        held_by="Heads of service of both bodies",
        target_on=_days(10),
    )
    w.step = w.escalation.steps.get()


def _reports_and_notifications(w: SimpleNamespace) -> None:
    from django.core.files.base import ContentFile

    from accounts import services as account_services
    from notifications import services as notification_services
    from notifications.models import Notification
    from reports.models import GeneratedReport

    report = GeneratedReport(
        kind="inspection_report",
        audience="unpublished",
        inspection=w.inspection,
        requested_by=w.lead,
        status="done",
        filename="matrixshire-draft-report.pdf",
        size=len(PDF_BYTES),
        finished_at=timezone.now(),
    )
    report.file.save("matrix.pdf", ContentFile(PDF_BYTES), save=False)
    report.save()
    w.report = report
    w.notification = Notification.objects.create(
        user=w.lead,
        kind="milestone",
        subject="Matrixshire fieldwork ends soon",
        url="/",
        due_on=_days(7),
    )
    w.calendar_token = notification_services.calendar_feed_reset(by=w.lead)
    token, _secret = account_services.api_token_create(user=w.lead, by=w.lead)
    w.token_key = token.token_key
    # A password reset link for the lead whose token is not valid: the page says so.
    w.reset_uid = urlsafe_base64_encode(force_bytes(w.lead.pk))
    w.reset_token = "0-invalid"
    w.one = 1  # the first published version


def _hidden(w: SimpleNamespace) -> list[tuple[str, str]]:
    """What the outsider (and anyone not signed in) must find on no page and in no answer:
    (what it is, a text or address that shows it). Their pages and API lists leave it out."""
    from django.urls import reverse

    def at(name: str, *args) -> str:
        return reverse(name, args=[getattr(a, "pk", a) for a in args])

    texts = [
        ("the unpublished inspection", w.inspection.title),
        ("its milestone", w.milestone.name),
        ("its evidence", w.evidence.title),
        ("its attachment", w.attachment.original_name),
        ("its record", w.record.reference),
        ("its finding", w.finding.text),
        ("its evaluation", w.evaluation.rationale),
        ("its factual accuracy comment", w.fa_comment.comment),
        ("the assessment's evidence notes", "Seen in Matrixshire"),
        ("the support decision", w.decision.rationale),
        ("the improvement plan", w.plan.title),
        ("the improvement action", w.action.description),
        ("the progress update", w.progress.progress),
        ("the improvement support", w.support.description),
        ("the engagement", w.engagement.notes),
        ("the risk to outcomes", w.link_risk.title),
        ("good practice not yet shared", w.good_practice.title),
        ("the lead's notification", w.notification.subject),
    ]
    addresses = [
        ("the unpublished inspection", at("inspections:detail", w.inspection)),
        ("the unpublished inspection", at("inspections-detail", w.inspection)),
        ("its evidence", at("inspections:evidence_detail", w.evidence)),
        ("its evidence", at("evidence-activities-detail", w.evidence)),
        ("its attachment", at("attachments-detail", w.attachment)),
        ("its record", at("inspections:record_reading_record", w.record)),
        ("its record", at("record-reading-records-detail", w.record)),
        ("its finding", at("findings-detail", w.finding)),
        ("its factual accuracy comment", at("factual-accuracy-comments-detail", w.fa_comment)),
        ("the assessment", at("improvement:assessment_detail", w.assessment)),
        ("the assessment", at("support-assessments-detail", w.assessment)),
        ("the support decision", at("support-decisions-detail", w.decision)),
        ("the improvement plan", at("improvement:plan_detail", w.plan)),
        ("the improvement plan", at("improvement-plans-detail", w.plan)),
        ("the improvement action", at("improvement-actions-detail", w.action)),
        ("the progress review", at("improvement:review_detail", w.review)),
        ("the progress review", at("progress-reviews-detail", w.review)),
        ("the improvement support", at("improvement:support_detail", w.support)),
        ("the improvement support", at("improvement-support-detail", w.support)),
        ("the engagement", at("partnerships:engagement_detail", w.engagement)),
        ("the engagement", at("engagements-detail", w.engagement)),
        ("the risk to outcomes", at("partnerships:link_risk_detail", w.link_risk)),
        ("the risk to outcomes", at("link-risks-detail", w.link_risk)),
        ("good practice not yet shared", at("partnerships:good_practice_detail", w.good_practice)),
        ("good practice not yet shared", at("good-practice-detail", w.good_practice)),
        ("the draft report", at("reports:download", w.report)),
        ("the draft report", at("reports-detail", w.report)),
    ]
    return texts + addresses


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    _people(w)
    _inspections(w)
    _improvement(w)
    _engagement(w)
    _cooperation(w)
    _reports_and_notifications(w)
    w.hidden = _hidden(w)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end (tests
    and their requests run in savepoints within it), with one test client and each person's
    session cookie."""
    # /healthz reports the broker: with no REDIS_URL it is "not configured" (200), whatever
    # Redis is doing while the matrix runs. Sessions in signed cookies spare each of some three
    # thousand requests a query (permissions do not depend on where the session is kept).
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        REDIS_URL="",
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    )
    overrides.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            w = build_world()
            w.client = Client()
            w.sessions = {}
            for name in ACTOR_NAMES[1:]:
                signing_in = Client()
                signing_in.force_login(getattr(w, name))
                w.sessions[name] = signing_in.cookies
            yield w
            transaction.set_rollback(True)
    finally:
        overrides.disable()
