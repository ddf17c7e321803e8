"""Who sees and does what with an inspection: the team (through django-guardian), the current
link inspector, directors and chief executives of the agencies involved, everyone else once it
is published, and administrators. Evidence only to cleared team members."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from freezegun import freeze_time

from accounts.roles import Role
from inspections import services
from inspections.models import (
    PUBLISHED_STATUSES,
    Attachment,
    EvidenceActivity,
    Inspection,
    InspectionStatus,
    Milestone,
)
from inspections.policies import (
    attachment_policy,
    evidence_policy,
    inspection_policy,
    milestone_policy,
)
from tests import factories

pytestmark = pytest.mark.django_db

S = InspectionStatus
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _same_day_throughout():
    """Dates here are relative to TODAY, fixed at import: a run that crosses midnight must not
    move "today" under them."""
    with freeze_time(datetime.datetime.combine(TODAY, datetime.time(12, 0))):
        yield


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def case():
    """A planned adult services inspection (CI leads, HIS partners) with its full team, one
    evidence activity with an attachment, and a milestone."""
    inspection, lead = factories.inspection_with_team()
    activity = factories.EvidenceActivityFactory(inspection=inspection)
    factories.AttachmentFactory(evidence_activity=activity)
    factories.MilestoneFactory(inspection=inspection)
    return inspection, lead


def access(user, inspection: Inspection) -> dict[str, bool]:
    """Everything a user would notice about their access to this inspection."""
    user = fresh(user) if getattr(user, "pk", None) else user
    return {
        "listed": inspection_policy.visible(user, Inspection.objects.all())
        .filter(pk=inspection.pk)
        .exists(),
        "drafts": inspection_policy.can_see_drafts(user, inspection),
        "milestones": milestone_policy.visible(
            user, Milestone.objects.filter(inspection=inspection)
        ).exists(),
        "evidence": inspection_policy.can_view_evidence(user, inspection),
        "evidence listed": evidence_policy.visible(
            user, EvidenceActivity.objects.filter(inspection=inspection)
        ).exists(),
        "attachments listed": attachment_policy.visible(
            user, Attachment.objects.filter(evidence_activity__inspection=inspection)
        ).exists(),
    }


EVERYTHING = dict.fromkeys(
    ["listed", "drafts", "milestones", "evidence", "evidence listed", "attachments listed"], True
)
READS = {**EVERYTHING, "evidence": False, "evidence listed": False, "attachments listed": False}
NOTHING = dict.fromkeys(EVERYTHING, False)
PUBLIC = {**NOTHING, "listed": True}


def area_of(inspection: Inspection):
    return inspection.partnership.local_authorities.first()


def link_inspector(inspection: Inspection, **kwargs):
    return factories.AreaAssignmentFactory(local_authority=area_of(inspection), **kwargs).user


# Team members -----------------------------------------------------------------------------------


def test_the_lead_and_team_see_everything(case):
    inspection, lead = case
    assert access(lead, inspection) == EVERYTHING
    for member in inspection.team.all():
        assert access(member.user, inspection) == EVERYTHING


def test_members_with_an_undecided_connection_read_but_see_no_evidence(case):
    inspection, lead = case
    pending = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(),
        role="record_reader",
        conflict="family",
    )
    assert access(pending.user, inspection) == READS
    assert not inspection_policy.can_change(fresh(pending.user), inspection)


def test_excluded_members_see_nothing_unpublished(case):
    inspection, lead = case
    member = services.team_member_add(
        inspection=inspection,
        by=lead,
        user=factories.inspector(),
        role="inspector",
        conflict="other",
    )
    services.conflict_decide(member=member, by=lead, decision="excluded", notes="Too close")
    assert access(member.user, inspection) == NOTHING


def test_former_members_see_nothing_unpublished(case):
    inspection, lead = case
    member = inspection.team.exclude(role="lead_inspector").first()
    services.team_member_remove(member=member, by=lead)
    assert access(member.user, inspection) == NOTHING


def test_an_inactive_member_sees_nothing(case):
    inspection, _ = case
    member = inspection.team.exclude(role="lead_inspector").first().user
    member.is_active = False
    member.save()
    assert access(member, inspection) == NOTHING
    assert not inspection_policy.can_change(fresh(member), inspection)


def test_a_team_member_of_another_inspection_sees_nothing_here(case):
    inspection, _ = case
    _, other_lead = factories.inspection_with_team()
    assert access(other_lead, inspection) == NOTHING


# Link inspectors, directors and chief executives -----------------------------------------------


def test_the_current_link_inspector_reads_but_sees_no_evidence(case):
    inspection, _ = case
    user = link_inspector(inspection, started_on=TODAY - 30 * DAY)
    assert access(user, inspection) == READS
    assert not inspection_policy.can_change(fresh(user), inspection)
    assert not inspection_policy.can_lead(fresh(user), inspection)


@pytest.mark.parametrize(
    ("started", "ended", "reads"),
    [
        (-400, -1, False),  # handed over yesterday
        (-400, 0, True),  # last day today
        (-400, 30, True),  # ends next month
        (1, None, False),  # starts tomorrow
        (0, None, True),  # starts today
    ],
)
def test_only_a_current_assignment_gives_the_link_inspector_access(case, started, ended, reads):
    inspection, _ = case
    user = link_inspector(
        inspection,
        started_on=TODAY + started * DAY,
        ended_on=None if ended is None else TODAY + ended * DAY,
    )
    assert access(user, inspection) == (READS if reads else NOTHING)


def test_an_archived_assignment_gives_nothing(case, admin_user):
    inspection, _ = case
    assignment = factories.AreaAssignmentFactory(local_authority=area_of(inspection))
    services.archive(assignment, by=admin_user, reason="Entered in error")
    assert access(assignment.user, inspection) == NOTHING


def test_relationship_managers_and_other_areas_link_inspectors_get_nothing(case):
    inspection, _ = case
    manager = factories.AreaAssignmentFactory(
        local_authority=area_of(inspection), role="relationship_manager"
    ).user
    elsewhere = factories.AreaAssignmentFactory().user
    assert access(manager, inspection) == NOTHING
    assert access(elsewhere, inspection) == NOTHING


def test_the_link_inspector_of_any_council_area_of_the_partnership_reads():
    first, second = factories.LocalAuthorityFactory(), factories.LocalAuthorityFactory()
    partnership = factories.PartnershipFactory(local_authorities=[first, second])
    inspection, _ = factories.inspection_with_team(partnership=partnership)
    factories.MilestoneFactory(inspection=inspection)
    user = factories.AreaAssignmentFactory(local_authority=second).user
    assert access(user, inspection) == READS


@pytest.mark.parametrize(
    ("programme", "role", "code", "reads"),
    [
        ("adult_services_themed", Role.DIRECTOR, "CI", True),  # lead agency
        ("adult_services_themed", Role.CHIEF_EXECUTIVE, "CI", True),
        ("adult_services_themed", Role.DIRECTOR, "HIS", True),  # partner agency
        ("adult_services_themed", Role.CHIEF_EXECUTIVE, "HIS", True),
        ("adult_services_themed", Role.DIRECTOR, "HMICS", False),  # not involved
        ("adult_services_themed", Role.DIRECTOR, "AS", False),
        ("asp_phase_1", Role.CHIEF_EXECUTIVE, "HMICS", True),  # ASP involves the police
        ("justice_cpo", Role.DIRECTOR, "HIS", False),  # CI alone
        ("adult_services_themed", Role.INSPECTOR, "CI", False),  # not senior
        ("adult_services_themed", Role.RELATIONSHIP_MANAGER, "HIS", False),
    ],
)
def test_directors_and_chief_executives_of_agencies_involved_read(programme, role, code, reads):
    inspection, _ = factories.inspection_with_team(programme=factories.programme(programme))
    factories.EvidenceActivityFactory(inspection=inspection)
    factories.MilestoneFactory(inspection=inspection)
    user = factories.senior(role=role, code=code)
    expected = {**(READS if reads else NOTHING), "attachments listed": False}
    assert access(user, inspection) == expected


# Everyone else, and administrators -------------------------------------------------------------


@pytest.mark.parametrize("status", [s for s in S.values if s not in PUBLISHED_STATUSES])
def test_other_users_do_not_see_unpublished_inspections(case, status):
    inspection, _ = case
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    assert access(factories.inspector(), inspection) == NOTHING
    assert access(factories.lead_inspector(), inspection) == NOTHING


@pytest.mark.parametrize("status", PUBLISHED_STATUSES)
def test_everyone_signed_in_sees_published_inspections_but_not_the_work_behind_them(case, status):
    inspection, lead = case
    Inspection.objects.filter(pk=inspection.pk).update(status=status)
    inspection.refresh_from_db()
    assert access(factories.inspector(), inspection) == PUBLIC
    assert access(factories.senior(code="HMICS"), inspection) == PUBLIC
    assert access(lead, inspection) == EVERYTHING  # the team keeps its access


def test_administrators_see_every_inspection_but_not_its_evidence(case, admin_user):
    inspection, _ = case
    assert access(admin_user, inspection) == READS
    assert inspection_policy.can_change(admin_user, inspection)
    assert inspection_policy.can_lead(admin_user, inspection)
    assert inspection_policy.can_add(admin_user)


def test_anonymous_users_see_nothing(case):
    inspection, _ = case
    anonymous = AnonymousUser()
    assert access(anonymous, inspection) == NOTHING
    assert not inspection_policy.can_change(anonymous, inspection)
    assert not inspection_policy.inspections_with_evidence(anonymous).exists()
    assert not inspection_policy.with_drafts(anonymous).exists()


# Acting ------------------------------------------------------------------------------------------


def test_who_leads(case, admin_user):
    inspection, lead = case
    member = inspection.team.exclude(role="lead_inspector").first().user
    assert inspection_policy.is_lead(lead, inspection)
    assert inspection_policy.can_lead(lead, inspection)
    assert inspection_policy.can_lead(admin_user, inspection)
    assert not inspection_policy.is_lead(admin_user, inspection)
    assert not inspection_policy.can_lead(member, inspection)
    assert not inspection_policy.can_lead(factories.lead_inspector(), inspection)

    services.team_member_remove(member=inspection.team.get(user=lead), by=admin_user)
    assert not inspection_policy.can_lead(fresh(lead), inspection)


def test_an_inactive_lead_cannot_lead(case):
    inspection, lead = case
    lead.is_active = False
    lead.save()
    assert not inspection_policy.can_lead(fresh(lead), inspection)


def test_who_plans_inspections(admin_user):
    assert inspection_policy.can_add(factories.lead_inspector())
    assert inspection_policy.can_add(admin_user)
    assert not inspection_policy.can_add(factories.inspector())
    assert not inspection_policy.can_add(factories.senior())


def test_who_changes(case, admin_user):
    inspection, lead = case
    member = inspection.team.exclude(role="lead_inspector").first().user
    assert inspection_policy.can_change(fresh(member), inspection)
    assert inspection_policy.can_change(fresh(lead), inspection)
    assert not inspection_policy.can_change(factories.inspector(), inspection)
    assert not inspection_policy.can_change(link_inspector(inspection), inspection)

    services.inspection_archive(inspection=inspection, by=admin_user, reason="Duplicate")
    inspection.refresh_from_db()
    assert not inspection_policy.can_change(fresh(lead), inspection)
    assert not inspection_policy.can_change(admin_user, inspection)


def test_who_changes_evidence(case, admin_user):
    inspection, _ = case
    activity = inspection.evidence_activities.get()
    member = inspection.team.exclude(role="lead_inspector").first()
    assert evidence_policy.can_change(fresh(member.user), activity)
    assert not evidence_policy.can_change(admin_user, activity)
    assert not evidence_policy.can_change(fresh(member.user))  # no object, nothing to change
    member = services.team_member_declare(member=member, by=member.user, conflict="other")
    assert not evidence_policy.can_change(fresh(member.user), activity)


def test_inspections_with_evidence_are_exactly_the_cleared_members(case):
    inspection, lead = case
    other, _ = factories.inspection_with_team()
    assert list(inspection_policy.inspections_with_evidence(fresh(lead))) == [inspection]
    member = inspection.team.exclude(role="lead_inspector").first()
    services.team_member_declare(member=member, by=member.user, conflict="worked_there")
    assert not inspection_policy.inspections_with_evidence(fresh(member.user)).exists()
    assert other not in inspection_policy.inspections_with_evidence(fresh(lead))


def test_permissions_follow_the_team_not_the_role(case):
    """A lead inspector by role is not the lead of every inspection: access comes from the
    team, through object permissions granted by the services."""
    inspection, _ = case
    lead_by_role = factories.lead_inspector()
    assert access(lead_by_role, inspection) == NOTHING
    assert not lead_by_role.has_perm("inspections.view_inspection", inspection)
