"""Who may see and change support assessments and decisions (object permissions as in
inspections).

- For an assessment tied to an inspection, that inspection's team (inspection_policy.can_change)
  and the partnership's current link inspector write; without an inspection, the link inspector.
- Directors and chief executives, and those who may see the inspection's unpublished work, read.
- Administrators (model-wide permissions) see and change everything.
- Everyone else: the record does not exist for them (404), and lists leave it out.
- A decision is agreed (then read-only) or reopened by the lead inspector of the linked
  inspection, or an administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.roles import Role
from inspections.policies import inspection_policy
from partnerships.models import Partnership
from partnerships.policies import link_area_ids, link_areas
from scrutiny.permissions import Policy, per_request, remembering

from .models import (
    ImprovementAction,
    ImprovementPlan,
    ImprovementSupport,
    ProgressReview,
    ProgressUpdate,
    RecordStatus,
    SupportAssessment,
    SupportDecision,
)

if TYPE_CHECKING:
    from accounts.models import User
    from inspections.models import Inspection

VIEW = "improvement.view_supportassessment"
CHANGE = "improvement.change_supportassessment"


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _senior(user: User) -> bool:
    return user.has_role(Role.DIRECTOR) or user.has_role(Role.CHIEF_EXECUTIVE)


def link_partnerships(user: User) -> QuerySet[Partnership]:
    """Partnerships covering a council area the user is currently link inspector of."""
    return Partnership.objects.filter(local_authorities__in=link_areas(user))


def link_partnership_ids(user: User) -> frozenset[int]:
    """Ids of link_partnerships(user), once per request (no query for someone who is link
    inspector of no council area)."""

    def read() -> frozenset[int]:
        areas = link_area_ids(user)
        if not areas:
            return frozenset()
        covering = Partnership.objects.filter(local_authorities__in=sorted(areas))
        return frozenset(covering.order_by().values_list("pk", flat=True))

    return per_request(user, "improvement.link_partnerships", read)


def _link_filter(user: User, field: str = "partnership") -> Q:
    """Rows whose partnership (through `field`) the user is currently link inspector of: the ids
    read once per request, or a subquery outside one."""
    if remembering():
        return Q(**{f"{field}__in": sorted(link_partnership_ids(user))})
    return Q(**{f"{field}__in": link_partnerships(user).values("pk")})


def is_link_inspector(user: User, partnership: Partnership) -> bool:
    if remembering():
        return partnership.pk in link_partnership_ids(user)
    return link_partnerships(user).filter(pk=partnership.pk).exists()


def may_write(user: User, partnership: Partnership, inspection: Inspection | None) -> bool:
    """May this user record an assessment of this partnership (after this inspection)?"""
    if not _active(user):
        return False
    if user.has_perm(CHANGE):
        return True
    if inspection is not None and inspection_policy.can_change(user, inspection):
        return True
    return is_link_inspector(user, partnership)


def may_assess(user: User, partnership: Partnership) -> bool:
    """May this user record an assessment of this partnership (after one of its inspections,
    or as its link inspector)?"""
    if may_write(user, partnership, None):
        return True
    if not _active(user):
        return False
    from guardian.shortcuts import get_objects_for_user

    from inspections.models import Inspection

    inspections = Inspection.objects.filter(partnership=partnership, archived_at__isnull=True)
    if remembering():
        changed = inspection_policy.change_ids(user)
        return per_request(
            user,
            f"improvement.changes_an_inspection_of.{partnership.pk}",
            lambda: bool(changed) and inspections.filter(pk__in=sorted(changed)).exists(),
        )
    return get_objects_for_user(
        user,
        "inspections.change_inspection",
        klass=inspections,
        accept_global_perms=False,
        with_superuser=False,
    ).exists()


class SupportAssessmentPolicy(Policy[SupportAssessment]):
    model = SupportAssessment

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        if not _active(user) or user.has_perm(VIEW) or _senior(user):
            return queryset
        return queryset.filter(inspection_policy.drafts_filter(user) | _link_filter(user))

    def can_add(self, user, partnership: Partnership | None = None, inspection=None) -> bool:
        return partnership is not None and may_write(user, partnership, inspection)

    def can_change(self, user, obj: SupportAssessment | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return may_write(user, obj.partnership, obj.inspection)

    def can_archive(self, user, obj=None) -> bool:
        return self.can_change(user, obj) and user.has_perm("improvement.delete_supportassessment")


class SupportDecisionPolicy(Policy[SupportDecision]):
    model = SupportDecision

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        visible = assessment_policy.visible(user, SupportAssessment.objects.all())
        return queryset.filter(assessment__in=visible.values("pk"))

    def can_add(self, user, assessment: SupportAssessment | None = None) -> bool:
        return assessment is not None and assessment_policy.can_change(user, assessment)

    def can_change(self, user, obj: SupportDecision | None = None) -> bool:
        """Drafts only: an agreed decision is read-only until it is reopened."""
        if obj is None or obj.archived_at is not None or obj.status != RecordStatus.DRAFT:
            return False
        return assessment_policy.can_change(user, obj.assessment)

    def can_lead(self, user, obj: SupportDecision) -> bool:
        """Agree or reopen: the linked inspection's lead inspector, or an administrator."""
        if not _active(user) or obj.archived_at is not None:
            return False
        if user.has_perm("improvement.change_supportdecision"):
            return True
        inspection = obj.assessment.inspection
        return inspection is not None and inspection_policy.is_lead(user, inspection)

    def can_agree(self, user, obj: SupportDecision) -> bool:
        return obj.status == RecordStatus.DRAFT and self.can_lead(user, obj)

    def can_reopen(self, user, obj: SupportDecision) -> bool:
        return obj.status == RecordStatus.AGREED and self.can_lead(user, obj)

    def can_archive(self, user, obj=None) -> bool:
        return False


assessment_policy = SupportAssessmentPolicy()
decision_policy = SupportDecisionPolicy()


# Improvement plans: the same rule as assessments (the inspection's team and the link inspector
# write; directors, chief executives and draft-readers read; others 404).

PLAN_VIEW = "improvement.view_improvementplan"


class ImprovementPlanPolicy(Policy[ImprovementPlan]):
    model = ImprovementPlan

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        if not _active(user) or user.has_perm(PLAN_VIEW) or _senior(user):
            return queryset
        return queryset.filter(inspection_policy.drafts_filter(user) | _link_filter(user))

    def can_add(self, user, partnership: Partnership | None = None, inspection=None) -> bool:
        return partnership is not None and may_write(user, partnership, inspection)

    def can_change(self, user, obj: ImprovementPlan | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return may_write(user, obj.partnership, obj.inspection)

    def can_archive(self, user, obj=None) -> bool:
        return self.can_change(user, obj)


class ImprovementActionPolicy(Policy[ImprovementAction]):
    model = ImprovementAction

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        plans = plan_policy.visible(user, ImprovementPlan.objects.all())
        return queryset.filter(plan__in=plans.values("pk"))

    def can_add(self, user, plan: ImprovementPlan | None = None) -> bool:
        return plan is not None and plan_policy.can_change(user, plan)

    def can_change(self, user, obj: ImprovementAction | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return plan_policy.can_change(user, obj.plan)

    def can_archive(self, user, obj=None) -> bool:
        return self.can_change(user, obj)


plan_policy = ImprovementPlanPolicy()
action_policy = ImprovementActionPolicy()


class ProgressUpdatePolicy(Policy[ProgressUpdate]):
    model = ProgressUpdate

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        actions = action_policy.visible(user, ImprovementAction.objects.all())
        return queryset.filter(action__in=actions.values("pk"))

    def can_change(self, user, obj: ProgressUpdate | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return action_policy.can_change(user, obj.action)

    def can_archive(self, user, obj=None) -> bool:
        return self.can_change(user, obj)


progress_policy = ProgressUpdatePolicy()


# Progress reviews and improvement support: the partnership's link inspector and the team of
# the inspection behind them (the decision's assessment, the plan) write; directors, chief
# executives and draft-readers read; administrators all; others 404.

REVIEW_VIEW = "improvement.view_progressreview"
SUPPORT_VIEW = "improvement.view_improvementsupport"


def _review_inspection(review: ProgressReview) -> Inspection | None:
    return review.decision.assessment.inspection if review.decision_id else None


class ProgressReviewPolicy(Policy[ProgressReview]):
    model = ProgressReview

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        if not _active(user) or user.has_perm(REVIEW_VIEW) or _senior(user):
            return queryset
        return queryset.filter(
            inspection_policy.drafts_filter(user, "decision__assessment__inspection")
            | _link_filter(user)
        )

    def can_add(self, user, partnership: Partnership | None = None, inspection=None) -> bool:
        return partnership is not None and may_write(user, partnership, inspection)

    def can_change(self, user, obj: ProgressReview | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return may_write(user, obj.partnership, _review_inspection(obj))

    def can_archive(self, user, obj=None) -> bool:
        return False


class ImprovementSupportPolicy(Policy[ImprovementSupport]):
    model = ImprovementSupport

    def visible(self, user, queryset):
        queryset = super().visible(user, queryset)
        if not _active(user) or user.has_perm(SUPPORT_VIEW) or _senior(user):
            return queryset
        return queryset.filter(
            inspection_policy.drafts_filter(user, "plan__inspection") | _link_filter(user)
        )

    def can_add(self, user, partnership: Partnership | None = None, inspection=None) -> bool:
        return partnership is not None and may_write(user, partnership, inspection)

    def can_change(self, user, obj: ImprovementSupport | None = None) -> bool:
        if obj is None or obj.archived_at is not None:
            return False
        return may_write(user, obj.partnership, obj.plan.inspection if obj.plan_id else None)

    def can_archive(self, user, obj=None) -> bool:
        return self.can_change(user, obj)


review_policy = ProgressReviewPolicy()
support_policy = ImprovementSupportPolicy()
