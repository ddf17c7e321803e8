"""The reference data loaded by migration: counts, codes and the council-to-board mapping."""

from collections import Counter

import pytest

from partnerships.models import HealthBoard, LocalAuthority, Partnership, PartnershipKind

pytestmark = pytest.mark.django_db


def test_counts_of_councils_boards_and_health_and_social_care_partnerships():
    assert LocalAuthority.objects.count() == 32
    assert HealthBoard.objects.count() == 14
    assert Partnership.objects.filter(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE).count() == 31


def test_one_partnership_of_each_other_kind_per_council_area():
    for kind in (
        PartnershipKind.ADULT_PROTECTION,
        PartnershipKind.COMMUNITY_JUSTICE,
        PartnershipKind.CHILDRENS_SERVICES,
    ):
        partnerships = Partnership.objects.filter(kind=kind).prefetch_related("local_authorities")
        covered = [la.gss_code for p in partnerships for la in p.local_authorities.all()]
        assert len(partnerships) == 32
        assert sorted(covered) == sorted(LocalAuthority.objects.values_list("gss_code", flat=True))


def test_council_to_board_mapping():
    per_board = Counter(LocalAuthority.objects.values_list("health_board__name", flat=True))
    assert per_board["Greater Glasgow and Clyde"] == 6
    assert per_board["Lothian"] == 4
    assert per_board["Lanarkshire"] == 2
    assert sum(per_board.values()) == 32
    assert LocalAuthority.objects.get(name="Fife").health_board.gss_code == "S08000029"
    assert LocalAuthority.objects.get(name="Glasgow City").gss_code == "S12000049"


def test_clackmannanshire_and_stirling_share_one_partnership_and_the_rest_are_coterminous():
    hscps = Partnership.objects.filter(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE)
    shared = hscps.get(name="Clackmannanshire and Stirling")
    assert sorted(shared.local_authorities.values_list("name", flat=True)) == [
        "Clackmannanshire",
        "Stirling",
    ]
    others = hscps.exclude(pk=shared.pk).prefetch_related("local_authorities")
    assert all(p.local_authorities.count() == 1 for p in others)


def test_current_codes_are_used_and_superseded_ones_are_not():
    superseded = {"S12000015", "S12000024", "S12000046", "S12000044"}
    assert not LocalAuthority.objects.filter(gss_code__in=superseded).exists()
    assert not HealthBoard.objects.filter(
        gss_code__in={"S08000018", "S08000027", "S08000021", "S08000023"}
    ).exists()
    assert not Partnership.objects.filter(
        gss_code__in={"S37000014", "S37000023", "S37000015", "S37000021"}
    ).exists()


def test_highland_is_lead_agency_confirmed_and_the_ijb_model_elsewhere_is_flagged_unconfirmed():
    hscps = Partnership.objects.filter(kind=PartnershipKind.HEALTH_AND_SOCIAL_CARE)
    highland = hscps.get(name="Highland")
    assert highland.integration_model == "lead_agency"
    assert highland.integration_model_confirmed
    assert hscps.filter(integration_model="ijb", integration_model_confirmed=False).count() == 30
