"""Who may see and change the co-operation log.

- Staff of either body (the Care Inspectorate and Healthcare Improvement Scotland) read the whole
  log; users of other agencies see none of it (lists are empty, records are "Page not found").
- Writing needs the model permission, which accounts.roles gives directors, chief executives and
  administrators (who keep the log for them); archiving needs the delete permission
  (administrators).
- Only chief executives record that they reviewed the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models

from accounts.roles import Role
from scrutiny.permissions import Policy

from .models import (
    BODY_CODES,
    Escalation,
    EscalationStep,
    LogReview,
    Meeting,
    MeetingAction,
    MeetingAttachment,
    MeetingType,
    Mitigation,
    NoSurprisesNotice,
    SharedRisk,
)

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)


def is_body_member(user: User) -> bool:
    """Staff of either body (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.agency.code in BODY_CODES


class CooperationPolicy(Policy[M]):
    def visible(self, user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        queryset = super().visible(user, queryset)
        return queryset if is_body_member(user) else queryset.none()

    def can_add(self, user: User) -> bool:
        return is_body_member(user) and super().can_add(user)

    def can_change(self, user: User, obj: M | None = None) -> bool:
        if obj is not None and getattr(obj, "archived_at", None) is not None:
            return False
        return is_body_member(user) and super().can_change(user, obj)

    def can_archive(self, user: User, obj: M | None = None) -> bool:
        if obj is not None and getattr(obj, "archived_at", None) is not None:
            return False
        return is_body_member(user) and super().can_archive(user, obj)


class MeetingTypePolicy(CooperationPolicy[MeetingType]):
    model = MeetingType


class MeetingPolicy(CooperationPolicy[Meeting]):
    model = Meeting


class MeetingActionPolicy(CooperationPolicy[MeetingAction]):
    model = MeetingAction


class MeetingAttachmentPolicy(CooperationPolicy[MeetingAttachment]):
    """Files go with their meeting: whoever may change the meeting adds and archives them."""

    model = MeetingAttachment

    def can_add(self, user: User) -> bool:
        return meeting_policy.can_change(user)

    def can_archive(self, user: User, obj: MeetingAttachment | None = None) -> bool:
        if obj is not None and obj.archived_at is not None:
            return False
        return meeting_policy.can_change(user)


class NoticePolicy(CooperationPolicy[NoSurprisesNotice]):
    model = NoSurprisesNotice


class EscalationPolicy(CooperationPolicy[Escalation]):
    model = Escalation


class EscalationStepPolicy(CooperationPolicy[EscalationStep]):
    model = EscalationStep


class SharedRiskPolicy(CooperationPolicy[SharedRisk]):
    model = SharedRisk


class MitigationPolicy(CooperationPolicy[Mitigation]):
    model = Mitigation


class LogReviewPolicy(CooperationPolicy[LogReview]):
    model = LogReview

    def can_add(self, user: User) -> bool:
        return super().can_add(user) and user.has_role(Role.CHIEF_EXECUTIVE)


meeting_type_policy = MeetingTypePolicy()
meeting_policy = MeetingPolicy()
action_policy = MeetingActionPolicy()
attachment_policy = MeetingAttachmentPolicy()
notice_policy = NoticePolicy()
escalation_policy = EscalationPolicy()
step_policy = EscalationStepPolicy()
risk_policy = SharedRiskPolicy()
mitigation_policy = MitigationPolicy()
review_policy = LogReviewPolicy()
