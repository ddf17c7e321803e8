"""Who may see and change partnership reference data: every signed-in user reads it;
administrators (the role's model permissions) write it."""

from scrutiny.permissions import Policy

from .models import AreaAssignment, Contact, HealthBoard, LocalAuthority, Partnership


class PartnershipPolicy(Policy[Partnership]):
    model = Partnership


class ContactPolicy(Policy[Contact]):
    model = Contact


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
