"""Who may see and change partnership reference data: every signed-in user reads it;
administrators (the role's model permissions) write it."""

from scrutiny.permissions import Policy

from .models import AreaAssignment, Contact, HealthBoard, LocalAuthority, Partnership

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


partnership_policy = PartnershipPolicy()
contact_policy = ContactPolicy()
local_authority_policy = LocalAuthorityPolicy()
health_board_policy = HealthBoardPolicy()
area_assignment_policy = AreaAssignmentPolicy()
