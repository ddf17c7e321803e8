"""Fixtures for the PDF reports: PDFs stored in a temporary directory, tasks run in this
process (the worker is exercised in tests/infra), an inspection with a team and findings, and
reading a PDF's text back page by page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import User
from inspections import services as inspection_services
from inspections.report import services as report_services
from reports.models import GeneratedReport
from tests import factories
from tests.inspections.report.conftest import Team, figures_for, fresh, make_team

PUBLISHED_ON = datetime.date(2026, 5, 25)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def eager(settings):
    """Tasks run at once in this process, as they do with no REDIS_URL."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def pdf_pages(report: GeneratedReport) -> list[str]:
    """The text of each page of a report's stored PDF."""
    from pypdf import PdfReader

    report.refresh_from_db()
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def pdf_reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def graded_team(status: str = "evaluation") -> Team:
    """A team whose first indicator is graded 5 (very good) and the others 4 (good), with a
    strength citing a record-reading question (3 of 4 yes) and a recommendation."""
    team = make_team(status=status, fieldwork_starts_on=datetime.date(2026, 3, 2))
    question, _ = figures_for(team.inspection, yes=3, no=1)
    for n, indicator in enumerate(team.indicators):
        factories.final_evaluation(
            team.inspection, indicator, team.lead, value=5 if n == 0 else 4, rationale="Borne out."
        )
    strength = report_services.finding_create(
        inspection=team.inspection,
        by=team.member,
        kind="strength",
        text="Staff knew the people they supervised well.",
        quality_indicators=[team.indicators[0]],
        cited_questions=[question],
    )
    report_services.finding_create(
        inspection=team.inspection,
        by=team.member,
        kind="recommendation",
        text="Review every case plan within six weeks.",
        quality_indicators=[team.indicators[1]],
    )
    team.strength = strength
    team.question = question
    return team


def publish(team: Team, on: datetime.date = PUBLISHED_ON):
    """Agree everything and publish (freezing version 1)."""
    inspection = team.reload()
    if inspection.status != "factual_accuracy":
        type(inspection).objects.filter(pk=inspection.pk).update(status="factual_accuracy")
    factories.satisfy_report_gates(team.reload(), by=team.lead)
    inspection_services.inspection_transition(
        inspection=team.reload(), by=team.lead, to_status="published", on=on
    )
    team.reload()
    return team


def link_inspector_of(partnership) -> User:
    """The current link inspector of the partnership's first council area."""
    user = factories.inspector(full_name="Linda Link")
    factories.AreaAssignmentFactory(
        user=user,
        local_authority=partnership.local_authorities.first(),
        started_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    return fresh(user)


@pytest.fixture
def team(db) -> Team:
    return graded_team()


@pytest.fixture
def outsider(db) -> User:
    return factories.inspector(full_name="Olive Outsider")
