"""Asking for a report: once while it is being made, whoever asks; the failure paths; and what
may be asked for."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.models import TeamMember
from inspections.services import inspection_permissions_sync
from reports import content, services
from reports.models import Audience, GeneratedReport, ReportStatus
from tests import factories
from tests.cooperation import factories as coop

from .conftest import fresh, link_inspector_of

pytestmark = pytest.mark.django_db


def ask(by, inspection, **kwargs):
    return services.report_request(by=by, kind="inspection_report", inspection=inspection, **kwargs)


def test_asking_twice_while_it_is_queued_returns_the_same_report(
    team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:  # not run: the report stays queued
        first, created_first = ask(team.member, team.inspection)
        second, created_second = ask(fresh(team.lead), team.inspection)

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert second.requested_by == team.member  # who asked first
    assert GeneratedReport.objects.count() == 1
    assert len(queued) == 1  # one task queued
    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    assert report.task_id
    assert report.history.first().history_change_reason == "PDF asked for"
    assert report.history.first().history_user == team.member


def test_once_made_asking_again_makes_a_new_one(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = ask(team.member, team.inspection)
    with django_capture_on_commit_callbacks(execute=True):
        second, created = ask(team.member, team.inspection)

    assert created and second.pk != first.pk
    statuses = list(GeneratedReport.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["done", "done"]


def test_a_report_for_another_audience_is_made_separately(django_capture_on_commit_callbacks):
    from .conftest import graded_team

    team = graded_team()
    link = link_inspector_of(team.inspection.partnership)
    with django_capture_on_commit_callbacks():
        for_team, _ = ask(team.member, team.inspection)
        for_link, created = ask(link, team.inspection)

    assert created
    assert (for_team.audience, for_link.audience) == (Audience.EVIDENCE, Audience.UNPUBLISHED)


def test_a_report_lost_for_half_an_hour_is_failed_and_asked_for_again(
    team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        lost, _ = ask(team.member, team.inspection)
    GeneratedReport.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    with django_capture_on_commit_callbacks():
        again, created = ask(team.member, team.inspection)

    assert created and again.pk != lost.pk
    lost.refresh_from_db()
    assert lost.status == ReportStatus.FAILED
    assert lost.message == services.STALE_MESSAGE


def test_the_task_makes_the_pdf_and_records_each_step(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = ask(team.member, team.inspection)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.started_at <= report.finished_at
    assert report.size == report.file.size > 1000
    with report.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    reasons = list(
        report.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["PDF asked for", "PDF being made", "PDF made"]


def test_a_failure_shows_a_message_and_logs_the_traceback(
    team, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(document, report):
        raise RuntimeError("fonts on fire")

    monkeypatch.setattr(services.pdf, "render_pdf", broken)
    with (
        caplog.at_level(logging.ERROR, logger="reports.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _ = ask(team.member, team.inspection)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.message == services.FAILED_MESSAGE.format(pk=report.pk)
    assert "fonts on fire" not in report.message
    assert not report.file
    assert "fonts on fire" in caplog.text  # the traceback, for the administrator
    assert report.finished_at is not None


def test_a_member_removed_before_it_runs_gets_no_pdf(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        report, _ = ask(team.member, team.inspection)
    TeamMember.objects.filter(inspection=team.inspection, user=team.member).update(
        archived_at=timezone.now()
    )
    inspection_permissions_sync(inspection=team.inspection)
    queued[0]()  # the worker picks it up now

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.message == content.NO_LONGER_VISIBLE
    assert not report.file


def test_a_broker_that_does_not_answer_fails_the_report_not_the_page(
    team, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from reports import tasks

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.generate_report, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = ask(team.member, team.inspection)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.message == services.NOT_QUEUED_MESSAGE


def test_the_task_leaves_a_report_no_longer_queued_alone(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = ask(team.member, team.inspection)
    report.refresh_from_db()
    version = report.version

    assert services.report_generate(report_id=report.pk) == ReportStatus.DONE
    report.refresh_from_db()
    assert report.version == version


def test_an_outsider_may_not_ask_for_an_unpublished_inspection(team, outsider):
    with pytest.raises(PermissionDenied):
        ask(outsider, team.inspection)
    assert not GeneratedReport.objects.exists()


def test_a_cooperation_report_is_for_staff_of_either_body_and_whole_quarters():
    outsider = factories.UserFactory(roles=["inspector"], agency=factories.agency("HMICS"))
    director = coop.director("CI")

    with pytest.raises(PermissionDenied):
        services.report_request(
            by=outsider, kind="cooperation_quarter", quarter_starts_on=datetime.date(2025, 4, 1)
        )
    with pytest.raises(ValidationError) as not_a_start:
        services.report_request(
            by=director, kind="cooperation_quarter", quarter_starts_on=datetime.date(2025, 4, 2)
        )
    assert not_a_start.value.message_dict == {"quarter_starts_on": [services.NOT_A_QUARTER_START]}
    next_year = timezone.localdate().replace(month=4, day=1) + datetime.timedelta(days=366)
    with pytest.raises(ValidationError) as future:
        services.report_request(
            by=director, kind="cooperation_quarter", quarter_starts_on=next_year.replace(day=1)
        )
    assert future.value.messages == [services.QUARTER_NOT_STARTED]


def test_a_report_needs_its_record():
    with pytest.raises(ValidationError) as missing:
        services.report_request(by=coop.director("CI"), kind="inspection_report")
    assert missing.value.messages == [services.TARGET_MISSING]
