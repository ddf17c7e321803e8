"""An improvement plan is agreed (date, who) and then changes only through numbered, audited
revisions; progress (status, updates) is reported without one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from improvement import services
from improvement.models import ActionStatus, PlanStatus
from inspections.models import Inspection
from scrutiny.services import ConflictError
from tests import factories


@pytest.fixture
def published(inspection):
    Inspection.objects.filter(pk=inspection.pk).update(status="published")
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def plan(published, partnership, lead):
    return services.plan_create(
        by=lead, partnership=partnership, inspection=published, title="Joint improvement plan"
    )


def add_action(plan, by, **extra):
    return services.action_create(
        by=by,
        plan=plan,
        description="Train staff in chronologies",
        owner_name="Ann Owner",
        owner_organisation="Council",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        **extra,
    )


def agree(plan, by):
    plan.refresh_from_db()
    return services.plan_agree(
        plan=plan,
        by=by,
        expected_version=plan.version,
        agreed_on=timezone.localdate(),
        agreed_by="Chief officer, Fife HSCP",
    )


def test_a_new_plan_is_a_draft_and_agreeing_it_needs_an_action(plan, lead):
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(ValidationError) as exc:
        agree(plan, lead)
    assert exc.value.messages == [services.PLAN_NO_ACTIONS_MESSAGE]


def test_agreeing_records_the_date_and_who(plan, lead):
    add_action(plan, lead)
    with pytest.raises(ValidationError) as exc:
        services.plan_agree(
            plan=plan,
            by=lead,
            expected_version=plan.version,
            agreed_on=timezone.localdate() + datetime.timedelta(days=1),
            agreed_by=" ",
        )
    assert exc.value.message_dict == {
        "agreed_on": [services.AGREED_ON_FUTURE_MESSAGE],
        "agreed_by": [services.AGREED_BY_MESSAGE],
    }
    plan = agree(plan, lead)
    assert plan.status == PlanStatus.AGREED
    assert plan.agreed_by == "Chief officer, Fife HSCP"
    assert plan.agreement_recorded_by == lead
    assert "Plan agreed by Chief officer" in plan.history.first().history_change_reason
    with pytest.raises(ValidationError) as exc:
        agree(plan, lead)
    assert exc.value.messages == [services.PLAN_AGREED_MESSAGE]


def test_changing_an_agreed_plan_needs_a_reason_and_is_numbered(plan, lead):
    action = add_action(plan, lead)
    plan = agree(plan, lead)
    with pytest.raises(ValidationError) as exc:
        add_action(plan, lead)
    assert exc.value.message_dict == {"revision_reason": [services.REVISION_REASON_MESSAGE]}
    second = add_action(plan, lead, revision_reason="The review asked for a second action.")
    with pytest.raises(ValidationError):
        services.action_update(
            action=action,
            by=lead,
            expected_version=action.version,
            changes={"due_on": action.due_on + datetime.timedelta(days=60)},
        )
    action = services.action_update(
        action=action,
        by=lead,
        expected_version=action.version,
        changes={"due_on": action.due_on + datetime.timedelta(days=60)},
        revision_reason="Training provider delayed.",
    )
    services.action_archive(action=second, by=lead, revision_reason="Merged into the first.")
    plan = services.plan_update(
        plan=plan,
        by=lead,
        expected_version=plan.version,
        title="Joint improvement plan 2026",
        revision_reason="Renamed for the new year.",
    )
    revisions = list(plan.revisions.values_list("number", "reason", "made_by"))
    assert revisions == [
        (1, "The review asked for a second action.", lead.pk),
        (2, "Training provider delayed.", lead.pk),
        (3, "Merged into the first.", lead.pk),
        (4, "Renamed for the new year.", lead.pk),
    ]
    assert "due date" in plan.revisions.get(number=2).summary
    assert "revision 2: Training provider delayed." in action.history.first().history_change_reason
    second.refresh_from_db()
    assert second.archived_at is not None


def test_progress_on_an_agreed_plan_needs_no_revision(plan, lead):
    action = add_action(plan, lead)
    plan = agree(plan, lead)
    action = services.action_update(
        action=action,
        by=lead,
        expected_version=action.version,
        changes={"status": ActionStatus.AT_RISK},
    )
    update = services.progress_add(
        by=lead, action=action, updated_on=timezone.localdate(), progress="Half trained."
    )
    assert action.status == ActionStatus.AT_RISK
    assert not plan.revisions.exists()
    changed = services.progress_update(
        update=update,
        by=lead,
        expected_version=update.version,
        updated_on=update.updated_on,
        progress="Half of the staff trained.",
        evidence="Attendance list",
    )
    assert changed.history.first().history_change_reason == "Progress update changed"
    with pytest.raises(ConflictError):
        services.progress_update(
            update=update,
            by=lead,
            expected_version=update.version,
            updated_on=update.updated_on,
            progress="Stale edit",
        )
    with pytest.raises(ValidationError) as exc:
        services.progress_add(
            by=lead,
            action=action,
            updated_on=timezone.localdate() + datetime.timedelta(days=2),
            progress="From the future",
        )
    assert exc.value.message_dict == {"updated_on": [services.UPDATED_ON_FUTURE_MESSAGE]}
    services.progress_archive(update=changed, by=lead)
    changed.refresh_from_db()
    assert changed.archived_at is not None


def test_an_archived_plan_cannot_be_changed(plan, lead):
    services.plan_archive(plan=plan, by=lead, reason="Created in error.")
    with pytest.raises(ValidationError) as exc:
        add_action(plan, lead)
    assert exc.value.messages == [services.PLAN_ARCHIVED_MESSAGE]


def test_support_from_a_provider(partnership, plan, lead):
    from improvement.models import SupportProvider, SupportStatus

    hub = SupportProvider.objects.get(name="Healthcare Improvement Scotland improvement hub")
    support = services.support_create(
        by=lead,
        partnership=partnership,
        provider=hub,
        plan=plan,
        description="Coaching on joint self-evaluation",
        starts_on=timezone.localdate(),
        status=SupportStatus.COMMISSIONED,
    )
    assert support.history.first().history_change_reason == "Support commissioned"
    with pytest.raises(ValidationError) as exc:  # complete needs an outcome (model constraint)
        services.support_update(
            support=support,
            by=lead,
            expected_version=support.version,
            changes={"status": SupportStatus.COMPLETE},
        )
    assert "Record the outcome" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.support_update(
            support=support,
            by=lead,
            expected_version=support.version,
            changes={"ends_on": timezone.localdate() - datetime.timedelta(days=1)},
        )
    assert "end date cannot be before" in exc.value.messages[0]
    SupportProvider.objects.filter(pk=hub.pk).update(active=False)
    hub.refresh_from_db()
    # support already with a retired provider can still be updated ...
    support = services.support_update(
        support=support,
        by=lead,
        expected_version=support.version,
        changes={"status": SupportStatus.COMPLETE, "outcome": "Self-evaluation in place."},
    )
    assert support.status == SupportStatus.COMPLETE
    # ... but new support cannot be commissioned from it, nor for another partnership's plan
    other = factories.PartnershipFactory()
    with pytest.raises(ValidationError) as exc:
        services.support_create(
            by=lead, partnership=other, provider=hub, plan=plan, description="More coaching"
        )
    assert exc.value.message_dict == {
        "provider": [services.PROVIDER_RETIRED_MESSAGE],
        "plan": [services.PLAN_PARTNERSHIP_MESSAGE],
    }
