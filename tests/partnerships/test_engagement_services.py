"""Link-inspector engagement: recording engagements, the risks they find (followed until closed)
and good practice; who may write; audit and version checks; the database's own rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.roles import Role
from partnerships import engagement_services as services
from partnerships.models import (
    AreaRole,
    Engagement,
    GoodPracticeStatus,
    LinkActivityArea,
    LinkRisk,
    LinkRiskStatus,
)
from scrutiny.history import history_entries
from scrutiny.services import ConflictError
from tests import factories
from tests.partnerships import engagement_helpers as h

pytestmark = pytest.mark.django_db


def test_the_six_areas_of_link_inspector_activity_are_loaded_in_the_seed_wording():
    titles = list(LinkActivityArea.objects.order_by("number").values_list("title", flat=True))
    assert len(titles) == 6
    assert titles[0] == "Monitoring the performance and quality of social work services"
    assert titles[1].startswith("Monitoring the performance of partnership public protection")
    assert "good practice" in titles[4]
    assert titles[5].endswith("capacity for continuous improvement")


def test_the_link_inspector_records_an_engagement_with_their_area():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    engagement = h.engagement(link, local_authority=area, areas=h.activity_areas(1, 2, 6))

    engagement.refresh_from_db()
    assert engagement.subject == area
    assert engagement.recorded_by == link
    assert [a.number for a in engagement.areas.order_by("number")] == [1, 2, 6]
    entry = history_entries(engagement)[-1]
    assert entry.action == "Created" and entry.reason == "Engagement recorded"
    assert link.email in entry.who


def test_a_relationship_manager_records_engagement_with_a_partnership_covering_their_area():
    area, partnership = h.area_and_partnership()
    manager = h.follower(area, role=AreaRole.RELATIONSHIP_MANAGER_ELC)
    engagement = h.engagement(manager, partnership=partnership)
    assert engagement.subject == partnership


def test_someone_not_following_the_area_may_not_record_engagement_with_it():
    area, partnership = h.area_and_partnership()
    other_area, _ = h.area_and_partnership("Elsewhere")
    for user in (
        factories.inspector(),
        factories.senior(Role.DIRECTOR),  # reads every log, writes none
        h.follower(other_area),
    ):
        with pytest.raises(PermissionDenied):
            h.engagement(user, local_authority=area)
        with pytest.raises(PermissionDenied):
            h.engagement(user, partnership=partnership)


def test_an_ended_assignment_no_longer_lets_its_holder_record():
    area, _ = h.area_and_partnership()
    former = factories.inspector()
    factories.AreaAssignmentFactory(
        user=former, local_authority=area, started_on=h.days_ago(400), ended_on=h.days_ago(1)
    )
    with pytest.raises(PermissionDenied):
        h.engagement(former, local_authority=area)


def test_administrators_record_engagement_anywhere(admin_user):
    area, _ = h.area_and_partnership()
    assert h.engagement(admin_user, local_authority=area).pk


def test_an_engagement_is_with_exactly_one_council_area_or_partnership():
    area, partnership = h.area_and_partnership()
    link = h.follower(area)
    with pytest.raises(ValidationError) as both:
        h.engagement(link, local_authority=area, partnership=partnership)
    assert services.ONE_SUBJECT_MESSAGE in both.value.message_dict["subject"]
    with pytest.raises(ValidationError):
        h.engagement(link)
    # The database refuses it too, whatever the entry point.
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(
            local_authority=area,
            partnership=partnership,
            engaged_on=h.today(),
            kind="meeting",
            recorded_by=link,
        )


def test_an_engagement_covers_at_least_one_area_of_activity_and_is_not_in_the_future():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    with pytest.raises(ValidationError) as none:
        h.engagement(link, local_authority=area, areas=[])
    assert services.AREAS_NEEDED_MESSAGE in none.value.message_dict["areas"]
    with pytest.raises(ValidationError) as future:
        h.engagement(link, local_authority=area, engaged_on=h.days_ago(-1))
    assert services.FUTURE_DATE_MESSAGE in future.value.message_dict["engaged_on"]


def test_editing_an_engagement_is_version_checked_and_keeps_its_areas_in_history():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    engagement = h.engagement(link, local_authority=area)
    updated = services.engagement_update(
        engagement=engagement,
        by=link,
        expected_version=1,
        changes={"notes": "  Revised notes. ", "kind": "visit"},
        areas=h.activity_areas(2),
    )
    assert (updated.version, updated.notes, updated.kind) == (2, "Revised notes.", "visit")
    assert [a.number for a in updated.areas.all()] == [2]
    changed = [c.field for e in history_entries(updated) for c in e.changes]
    assert "Areas of link-inspector activity" in changed
    with pytest.raises(ConflictError):
        services.engagement_update(
            engagement=engagement, by=link, expected_version=1, changes={"notes": "Stale"}
        )


def test_a_risk_found_is_about_what_the_engagement_was_with_and_followed_until_closed():
    area, partnership = h.area_and_partnership()
    link = h.follower(area)
    visit = h.engagement(link, partnership=partnership, engaged_on=h.days_ago(30))
    risk = h.risk(link, visit)
    assert (risk.partnership, risk.identified_on, risk.status) == (
        partnership,
        h.days_ago(30),
        LinkRiskStatus.OPEN,
    )
    assert list(risk.engagements.all()) == [visit]

    # A later engagement with the council area follows it up.
    later = h.engagement(link, local_authority=area, engaged_on=h.days_ago(5))
    risk = services.link_risk_follow(risk=risk, engagement=later, by=link)
    assert set(risk.engagements.all()) == {visit, later}
    with pytest.raises(ValidationError):
        services.link_risk_follow(risk=risk, engagement=later, by=link)

    # Closing needs the date and a note.
    with pytest.raises(ValidationError) as missing:
        services.link_risk_close(
            risk=risk, by=link, expected_version=risk.version, closed_on=None, closing_note=" "
        )
    assert set(missing.value.message_dict) == {"closed_on", "closing_note"}
    with pytest.raises(ValidationError) as early:
        services.link_risk_close(
            risk=risk,
            by=link,
            expected_version=risk.version,
            closed_on=h.days_ago(31),
            closing_note="Resolved.",
        )
    assert "before it was found" in early.value.message_dict["closed_on"][0]
    closed = services.link_risk_close(
        risk=risk,
        by=link,
        expected_version=risk.version,
        closed_on=h.today(),
        closing_note="Waiting times back within target for three months.",
    )
    assert closed.status == LinkRiskStatus.CLOSED and closed.closed_on == h.today()
    assert history_entries(closed)[0].reason == "Risk closed"

    # A closed risk is read-only until it is reopened with a reason.
    with pytest.raises(PermissionDenied):
        services.link_risk_update(
            risk=closed, by=link, expected_version=closed.version, changes={"title": "New"}
        )
    with pytest.raises(ValidationError):
        services.link_risk_reopen(risk=closed, by=link, expected_version=closed.version, reason="")
    reopened = services.link_risk_reopen(
        risk=closed, by=link, expected_version=closed.version, reason="Figures slipped again."
    )
    assert (reopened.status, reopened.closed_on, reopened.closing_note) == ("open", None, "")
    assert history_entries(reopened)[0].reason == "Reopened: Figures slipped again."


def test_a_risk_cannot_be_closed_through_an_edit_nor_followed_from_another_area():
    area, _ = h.area_and_partnership()
    other, _ = h.area_and_partnership("Elsewhere")
    link = h.follower(area)
    risk = h.risk(link, h.engagement(link, local_authority=area))
    with pytest.raises(ValidationError) as edit:
        services.link_risk_update(
            risk=risk, by=link, expected_version=risk.version, changes={"status": "closed"}
        )
    assert services.CLOSE_WITH_ACTION_MESSAGE in edit.value.message_dict["status"]
    elsewhere = h.engagement(factories.administrator(), local_authority=other)
    admin = factories.administrator()
    with pytest.raises(ValidationError) as follow:
        services.link_risk_follow(risk=risk, engagement=elsewhere, by=admin)
    assert services.OTHER_AREA_MESSAGE in follow.value.message_dict["engagement"]


def test_the_database_refuses_a_closed_risk_without_its_date_and_note():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    risk = h.risk(link, h.engagement(link, local_authority=area))
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkRisk.objects.filter(pk=risk.pk).update(status="closed")


def test_good_practice_is_shared_with_a_date():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    item = h.good_practice(link, h.engagement(link, local_authority=area))
    assert (item.status, item.shared_on, item.local_authority) == ("identified", None, area)
    shared = services.good_practice_update(
        item=item,
        by=link,
        expected_version=item.version,
        changes={"status": GoodPracticeStatus.SHARED},
    )
    assert shared.shared_on == h.today()
    assert history_entries(shared)[0].reason == "Good practice shared"
    back = services.good_practice_update(
        item=shared,
        by=link,
        expected_version=shared.version,
        changes={"status": GoodPracticeStatus.IDENTIFIED},
    )
    assert back.shared_on is None


def test_archiving_is_for_the_area_s_people_and_administrators():
    area, _ = h.area_and_partnership()
    link = h.follower(area)
    engagement = h.engagement(link, local_authority=area)
    with pytest.raises(PermissionDenied):
        services.engagement_archive(engagement=engagement, by=factories.senior(Role.DIRECTOR))
    archived = services.engagement_archive(engagement=engagement, by=link, reason="Duplicate")
    assert archived.archived_by == link
    with pytest.raises(ValidationError):
        h.risk(link, archived)
