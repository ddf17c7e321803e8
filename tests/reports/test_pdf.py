"""The PDFs themselves, read back with pypdf: what each holds for whom, the status on every
page, and the tagged structure."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cooperation import rules
from reports import services
from reports.models import Audience, GeneratedReport, ReportStatus
from tests import factories
from tests.cooperation import factories as coop

from .conftest import fresh, graded_team, link_inspector_of, pdf_pages, pdf_reader, publish

pytestmark = pytest.mark.django_db


def flat(pages: list[str]) -> str:
    """The PDF's text with its line breaks and runs of spaces as single spaces."""
    return " ".join(" ".join(pages).split())


def ask(django_capture_on_commit_callbacks, by, kind="inspection_report", **target):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = services.report_request(by=by, kind=kind, **target)
    report.refresh_from_db()
    assert created
    assert report.status == ReportStatus.DONE, report.message
    return report


def test_a_draft_inspection_report_for_the_team(team, django_capture_on_commit_callbacks):
    report = ask(django_capture_on_commit_callbacks, team.member, inspection=team.inspection)

    assert report.audience == Audience.EVIDENCE
    assert report.document_status == "draft"
    assert report.filename.startswith("inspection-report-joint-inspection-")
    assert report.filename.endswith(f"{timezone.localdate():%Y-%m-%d}.pdf")
    pages = pdf_pages(report)
    text = flat(pages)
    for heading in [
        f"Inspection report: {team.inspection.title}",
        "The partnership",
        "The inspection team",
        "Evaluations by quality indicator",
        "Findings",
        "Strengths (1)",
        "Recommendations (1)",
        "Areas for improvement (0)",
        "Record reading",
    ]:
        assert heading in text, heading
    assert str(team.inspection.partnership) in pages[0]
    assert "Lesley Lead" in text and "Morven Member" in text
    # The grades in the six-point scale's words, and the scale itself.
    assert "5: Very good" in text
    assert "4: Good" in text
    assert "6 excellent, 5 very good, 4 good, 3 adequate, 2 weak, 1 unsatisfactory" in text
    assert "Staff knew the people they supervised well." in text
    assert "75% yes (3 of 4 applicable; 0 not applicable)" in text
    assert "Yes: 3 (75%); No: 1 (25%)" in text
    for number, page in enumerate(pages, start=1):
        assert "Status: Draft" in page, f"page {number}"
        assert f"Page {number} of {len(pages)}" in page
        assert f"Inspection report: {team.inspection.title}" in page


def test_the_pdf_is_tagged_with_its_language_and_title(team, django_capture_on_commit_callbacks):
    report = ask(django_capture_on_commit_callbacks, team.member, inspection=team.inspection)
    with report.file.open("rb") as handle:
        reader = pdf_reader(handle.read())

    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == f"Inspection report: {team.inspection.title}"


def test_a_link_inspector_gets_the_draft_without_the_record_reading_results(
    django_capture_on_commit_callbacks,
):
    team = graded_team()
    link = link_inspector_of(team.inspection.partnership)

    report = ask(django_capture_on_commit_callbacks, link, inspection=team.inspection)

    assert report.audience == Audience.UNPUBLISHED
    text = flat(pdf_pages(report))
    assert "Record-reading results are shown only to team members cleared to see" in text
    assert "Yes: 3 (75%)" not in text
    # The figure a finding cites is with the finding, as the finding's page shows it.
    assert "75% yes" in text
    assert "Morven Member" in text


def test_a_published_report_is_final_and_an_outsider_gets_it_without_the_team(
    django_capture_on_commit_callbacks,
):
    team = publish(graded_team(status="factual_accuracy"))
    outsider = factories.inspector(full_name="Olive Outsider")

    report = ask(django_capture_on_commit_callbacks, outsider, inspection=team.inspection)

    assert report.audience == Audience.GENERAL
    assert report.document_status == "final"
    pages = pdf_pages(report)
    text = flat(pages)
    assert all("Status: Final" in page for page in pages)
    assert "Status: Draft" not in text
    assert "Published 25 May 2026" in text
    assert "The inspection team" not in text
    assert "Morven Member" not in text
    assert "5: Very good" in text
    assert "Staff knew the people they supervised well." in text
    assert "Yes: 3 (75%); No: 1 (25%)" in text  # the figures as published


def test_the_team_gets_the_published_report_with_the_team(django_capture_on_commit_callbacks):
    team = publish(graded_team(status="factual_accuracy"))

    report = ask(django_capture_on_commit_callbacks, team.member, inspection=team.inspection)

    assert report.audience == Audience.UNPUBLISHED  # the evidence adds nothing once published
    text = flat(pdf_pages(report))
    assert "Status: Final" in text
    assert "The inspection team" in text and "Morven Member" in text


def test_a_partnership_profile_for_everyone_and_in_full(django_capture_on_commit_callbacks):
    published = publish(graded_team(status="factual_accuracy"))
    partnership = published.inspection.partnership
    in_progress = factories.InspectionFactory(
        partnership=partnership, title="Joint inspection still in fieldwork", status="fieldwork"
    )
    factories.ContactFactory(partnership=partnership, name="Chris Chief", role="chief_officer")
    link = link_inspector_of(partnership)
    reader = factories.inspector(full_name="Rhona Reader")

    general = ask(
        django_capture_on_commit_callbacks,
        reader,
        kind="partnership_profile",
        partnership=partnership,
    )
    full = ask(
        django_capture_on_commit_callbacks,
        link,
        kind="partnership_profile",
        partnership=partnership,
    )

    assert (general.audience, full.audience) == (Audience.GENERAL, Audience.UNPUBLISHED)
    general_text = flat(pdf_pages(general))
    full_text = flat(pdf_pages(full))
    for text in (general_text, full_text):
        assert f"Partnership profile: {partnership}" in text
        assert partnership.local_authorities.first().name in text
        assert "Chris Chief" in text
        assert "Linda Link" in text
        assert published.inspection.title in text
        assert "Latest published evaluations" in text
        assert "5: Very good" in text
        assert "Status: Final" in text
    assert in_progress.title not in general_text
    assert "Published inspections only." in general_text
    assert "The level of support is shown in the profiles made for" in general_text
    assert in_progress.title in full_text
    assert "No level of support has been agreed yet." in full_text


def test_a_quarterly_cooperation_report(django_capture_on_commit_callbacks):
    director = coop.director("CI", full_name="Dana Director")
    quarter = rules.quarter(2025, 1)  # April to June 2025
    coop.MeetingFactory(title="Chairs and chief executives, spring", held_on=quarter.starts_on)
    coop.MeetingFactory(title="Outside the quarter", held_on=datetime.date(2025, 7, 2))
    coop.NoticeFactory(
        subject="Annual report launch",
        planned_on=datetime.date(2025, 5, 20),
        told_on=datetime.date(2025, 5, 16),
    )
    coop.escalation(subject="Shared inspection dates", raised_on=datetime.date(2025, 6, 2))
    risk = coop.SharedRiskFactory(title="Workforce pressure", likelihood=4, impact=4)
    meeting = coop.MeetingFactory(title="Directors, June", held_on=datetime.date(2025, 6, 10))
    meeting.risks.add(risk)

    report = ask(
        django_capture_on_commit_callbacks,
        director,
        kind="cooperation_quarter",
        quarter_starts_on=quarter.starts_on,
    )

    assert report.document_status == "final"
    pages = pdf_pages(report)
    text = flat(pages)
    assert "Duty of co-operation: Q1 2025/26" in text
    assert "Care Inspectorate" in text and "Healthcare Improvement Scotland" in text
    assert "Chairs and chief executives, spring" in text
    assert "Outside the quarter" not in text
    assert "Annual report launch" in text
    assert "Late" in text  # told 2 working days before
    assert "Shared inspection dates" in text
    assert "Workforce pressure" in text and "16: Very high" in text
    assert all("Status: Final" in page for page in pages)


def test_the_current_quarter_is_a_draft(django_capture_on_commit_callbacks):
    director = coop.director("CI")
    current = rules.period_containing(timezone.localdate(), "quarter")

    report = ask(
        django_capture_on_commit_callbacks,
        director,
        kind="cooperation_quarter",
        quarter_starts_on=current.starts_on,
    )

    assert report.document_status == "draft"
    assert all("Status: Draft" in page for page in pdf_pages(report))


def test_the_person_who_asked_is_named_on_the_cover(team, django_capture_on_commit_callbacks):
    report = ask(django_capture_on_commit_callbacks, fresh(team.lead), inspection=team.inspection)
    assert "for Lesley Lead" in pdf_pages(report)[0]
    assert GeneratedReport.objects.count() == 1
