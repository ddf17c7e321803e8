"""Who may see and change partnership reference data: every signed-in user reads it;
administrators (the role's model permissions) write it."""

from django.utils import timezone

from scrutiny.permissions import Policy

from .models import (
    AreaAssignment,
    AreaRole,
    Contact,
    HealthBoard,
    LocalAuthority,
    MsgRating,
    MsgSelfEvaluation,
    Partnership,
)

MANAGE_CONTACTS = "partnerships.manage_contacts"


class PartnershipPolicy(Policy[Partnership]):
    model = Partnership


class ContactPolicy(Policy[Contact]):
    """Administrators manage every contact. The current link inspector and relationship
    managers of a council area hold django-guardian's `manage_contacts` on each partnership
    covering it (granted and revoked by partnerships.services.area_permissions_sync)."""

    model = Contact

    def _manages(self, user, partnership: Partnership | None) -> bool:
        return partnership is not None and user.has_perm(MANAGE_CONTACTS, partnership)

    def can_add(self, user, partnership: Partnership | None = None) -> bool:
        return super().can_add(user) or (user.is_active and self._manages(user, partnership))

    def can_change(self, user, obj: Contact | None = None) -> bool:
        partnership = obj.partnership if obj is not None else None
        return super().can_change(user, obj) or (
            user.is_active and self._manages(user, partnership)
        )

    def can_change_for(self, user, partnership: Partnership) -> bool:
        """May the user change contacts of this partnership (for showing Edit links)?"""
        return super().can_change(user) or (user.is_active and self._manages(user, partnership))

    def can_archive(self, user, obj: Contact | None = None) -> bool:
        partnership = obj.partnership if obj is not None else None
        return super().can_archive(user, obj) or (
            user.is_active and self._manages(user, partnership)
        )


class LocalAuthorityPolicy(Policy[LocalAuthority]):
    model = LocalAuthority


class HealthBoardPolicy(Policy[HealthBoard]):
    model = HealthBoard


class AreaAssignmentPolicy(Policy[AreaAssignment]):
    model = AreaAssignment


class MsgSelfEvaluationPolicy(Policy[MsgSelfEvaluation]):
    """The MSG self-evaluation (seed 002). Every signed-in user reads every round: the national
    view is national. Partnership staff have no accounts here, so a partnership's current link
    inspector (of any council area it covers) or an administrator records what the partnership
    returned; only they add validation notes."""

    model = MsgSelfEvaluation

    def _is_link_inspector(self, user, partnership: Partnership) -> bool:
        today = timezone.localdate()
        return (
            AreaAssignment.objects.filter(
                user=user,
                role=AreaRole.LINK_INSPECTOR,
                local_authority__partnerships=partnership,
                started_on__lte=today,
                archived_at__isnull=True,
            )
            .exclude(ended_on__lt=today)
            .exists()
        )

    def _administers(self, user) -> bool:
        return user.has_perm("partnerships.change_msgselfevaluation")

    def can_record(self, user, partnership: Partnership) -> bool:
        """May the user start rounds and record ratings for this partnership?"""
        if not (user.is_authenticated and user.is_active) or partnership.is_archived:
            return False
        return self._administers(user) or self._is_link_inspector(user, partnership)

    def can_change(self, user, obj: MsgSelfEvaluation | None = None) -> bool:
        if obj is None:
            return user.is_active and self._administers(user)
        return self.can_record(user, obj.partnership)

    def can_validate(self, user, obj: MsgSelfEvaluation | MsgRating) -> bool:
        """May the user add the link inspector's validation note?"""
        if isinstance(obj, MsgRating):
            obj = obj.self_evaluation
        return self.can_record(user, obj.partnership)


partnership_policy = PartnershipPolicy()
msg_policy = MsgSelfEvaluationPolicy()
contact_policy = ContactPolicy()
local_authority_policy = LocalAuthorityPolicy()
health_board_policy = HealthBoardPolicy()
area_assignment_policy = AreaAssignmentPolicy()
