"""Who gets which audience of each report, and who sees which report: the list filter and the
one-record rule agree."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from reports.models import Audience, GeneratedReport
from reports.policies import audience_for, report_policy
from tests import factories
from tests.cooperation import factories as coop

from .conftest import graded_team, link_inspector_of, publish

pytestmark = pytest.mark.django_db


def row(kind="inspection_report", audience=Audience.GENERAL, **target):
    return GeneratedReport.objects.create(
        kind=kind,
        audience=audience,
        requested_by=factories.administrator(),
        status="done",
        file="reports/x.pdf",
        **target,
    )


def test_audiences_of_an_inspection_report_before_and_after_publication():
    team = graded_team(status="factual_accuracy")
    inspection = team.inspection
    link = link_inspector_of(inspection.partnership)
    outsider = factories.inspector()
    director = factories.senior(Role.DIRECTOR, code=inspection.lead_agency.code)

    def audiences():
        return [
            audience_for(user, "inspection_report", inspection=inspection)
            for user in (team.member, link, director, outsider)
        ]

    assert audiences() == [Audience.EVIDENCE, Audience.UNPUBLISHED, Audience.UNPUBLISHED, None]
    publish(team)
    inspection.refresh_from_db()
    assert audiences() == [
        Audience.UNPUBLISHED,
        Audience.UNPUBLISHED,
        Audience.UNPUBLISHED,
        Audience.GENERAL,
    ]


def test_who_sees_which_inspection_report():
    team = graded_team()
    link = link_inspector_of(team.inspection.partnership)
    outsider = factories.inspector()
    evidence = row(audience=Audience.EVIDENCE, inspection=team.inspection)
    unpublished = row(audience=Audience.UNPUBLISHED, inspection=team.inspection)

    for user, expected in [
        (team.member, {evidence, unpublished}),
        (link, {unpublished}),
        (outsider, set()),
        # Evidence is for cleared team members only, administrators included.
        (factories.administrator(), {unpublished}),
    ]:
        listed = set(report_policy.visible(user, GeneratedReport.objects.all()))
        one_by_one = {r for r in (evidence, unpublished) if report_policy.can_view(user, r)}
        assert listed == one_by_one == expected, user


def test_a_full_partnership_profile_is_for_those_who_read_everything_about_it():
    team = graded_team()  # in progress
    partnership = team.inspection.partnership
    link = link_inspector_of(partnership)
    member = team.member  # reads this inspection's drafts: everything, here
    reader = factories.inspector()
    general = row(kind="partnership_profile", partnership=partnership)
    full = row(kind="partnership_profile", audience=Audience.UNPUBLISHED, partnership=partnership)

    assert (
        audience_for(link, "partnership_profile", partnership=partnership) == Audience.UNPUBLISHED
    )
    assert audience_for(reader, "partnership_profile", partnership=partnership) == Audience.GENERAL
    # A second inspection in progress that the member's team does not hold.
    factories.InspectionFactory(partnership=partnership, status="fieldwork")
    assert audience_for(member, "partnership_profile", partnership=partnership) == Audience.GENERAL
    for user, expected in [(link, {general, full}), (member, {general}), (reader, {general})]:
        listed = set(report_policy.visible(user, GeneratedReport.objects.all()))
        one_by_one = {r for r in (general, full) if report_policy.can_view(user, r)}
        assert listed == one_by_one == expected


def test_the_cooperation_report_is_for_staff_of_either_body():
    import datetime

    quarter = row(kind="cooperation_quarter", quarter_starts_on=datetime.date(2025, 4, 1))
    ci, his = coop.staff("CI"), coop.staff("HIS")
    hmics = factories.UserFactory(roles=["inspector"], agency=factories.agency("HMICS"))

    for user, expected in [(ci, {quarter}), (his, {quarter}), (hmics, set())]:
        assert set(report_policy.visible(user, GeneratedReport.objects.all())) == expected
        assert report_policy.can_view(user, quarter) == bool(expected)
