"""/api/v1/ partnerships, council areas and health boards: reading, filtering, writing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from partnerships.models import HealthBoard, LocalAuthority, Partnership, PartnershipKind
from tests.factories import LocalAuthorityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

PARTNERSHIPS = "/api/v1/partnerships/"
LOCAL_AUTHORITIES = "/api/v1/local-authorities/"
HEALTH_BOARDS = "/api/v1/health-boards/"

REFERENCE_PARTNERSHIPS = 31 + 32 * 3  # HSCPs plus three per-council partnerships


def detail(pk: int) -> str:
    return f"{PARTNERSHIPS}{pk}/"


def all_rows(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, {"page_size": 200, **params})
    assert response.status_code == 200, response.data
    assert response.data["next"] is None
    return response.data["results"]


def bulk_partnerships(count: int, councils: list[LocalAuthority]) -> list[Partnership]:
    """`count` partnerships covering `councils`, made in a handful of queries."""
    made = Partnership.objects.bulk_create(PartnershipFactory.build_batch(count))
    councils_through = Partnership.local_authorities.through
    boards_through = Partnership.health_boards.through
    councils_through.objects.bulk_create(
        councils_through(partnership_id=p.pk, localauthority_id=c.pk)
        for p in made
        for c in councils
    )
    boards_through.objects.bulk_create(
        boards_through(partnership_id=p.pk, healthboard_id=board_id)
        for p in made
        for board_id in {c.health_board_id for c in councils}
    )
    return made


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [PARTNERSHIPS, LOCAL_AUTHORITIES, HEALTH_BOARDS, "/api/v1/users/me/"]
)
def test_anonymous_is_refused(api_client, url):
    response = api_client.get(url)

    assert response.status_code == 401
    assert "results" not in response.data


def test_anonymous_cannot_read_a_partnership(api_client, fife):
    response = api_client.get(detail(fife.pk))

    assert response.status_code == 401
    assert "name" not in response.data


def test_inspector_lists_partnerships_a_page_at_a_time(inspector_api):
    response = inspector_api.get(PARTNERSHIPS)

    assert response.status_code == 200
    assert response.data["count"] == REFERENCE_PARTNERSHIPS
    assert len(response.data["results"]) == 50
    assert "page=2" in response.data["next"]


def test_inspector_retrieves_a_partnership_with_its_councils_and_boards(inspector_api, fife):
    response = inspector_api.get(detail(fife.pk))

    assert response.status_code == 200
    data = response.data
    assert data["name"] == "Fife"
    assert data["kind"] == "hscp"
    assert data["kind_display"] == "Health and social care partnership"
    assert data["gss_code"] == fife.gss_code
    assert data["version"] == 1
    assert data["archived_at"] is None
    council = LocalAuthority.objects.get(name="Fife")
    assert data["local_authorities"] == [council.pk]
    assert [c["name"] for c in data["local_authority_details"]] == ["Fife"]
    assert data["health_boards"] == [council.health_board_id]
    assert [b["gss_code"] for b in data["health_board_details"]] == [council.health_board.gss_code]
    assert data["url"].endswith(detail(fife.pk))


def test_search_finds_fife(inspector_api, fife):
    rows = all_rows(inspector_api, PARTNERSHIPS, search="Fife")

    assert fife.pk in [r["id"] for r in rows]
    assert {r["name"] for r in rows} == {"Fife"}
    assert {r["kind"] for r in rows} == set(PartnershipKind.values)


def test_search_by_partnership_code(inspector_api, fife):
    rows = all_rows(inspector_api, PARTNERSHIPS, search=fife.gss_code)

    assert [r["id"] for r in rows] == [fife.pk]


def test_filter_by_kind(inspector_api):
    rows = all_rows(inspector_api, PARTNERSHIPS, kind="hscp")

    assert len(rows) == 31
    assert {r["kind"] for r in rows} == {"hscp"}


def test_filter_by_health_board(inspector_api):
    board = HealthBoard.objects.get(name="Highland")
    expected = set(Partnership.objects.filter(health_boards=board).values_list("pk", flat=True))

    rows = all_rows(inspector_api, PARTNERSHIPS, health_board=board.pk)

    assert {r["id"] for r in rows} == expected
    assert all(board.pk in r["health_boards"] for r in rows)
    assert len(rows) < REFERENCE_PARTNERSHIPS


def test_filter_by_council_area_includes_a_shared_partnership(inspector_api):
    stirling = LocalAuthority.objects.get(name="Stirling")

    rows = all_rows(inspector_api, PARTNERSHIPS, local_authority=stirling.pk)

    # Three per-council partnerships and the HSCP Stirling shares with Clackmannanshire.
    assert len(rows) == 4
    assert all(stirling.pk in r["local_authorities"] for r in rows)
    hscp = next(r for r in rows if r["kind"] == "hscp")
    assert len(hscp["local_authorities"]) == 2


def test_filters_combine(inspector_api):
    board = HealthBoard.objects.get(name="Highland")

    rows = all_rows(inspector_api, PARTNERSHIPS, health_board=board.pk, kind="hscp")

    assert sorted(r["name"] for r in rows) == ["Argyll and Bute", "Highland"]


@pytest.mark.parametrize(
    ("ordering", "key", "reverse"),
    [("name", "name", False), ("-name", "name", True), ("-gss_code", "gss_code", True)],
)
def test_ordering(inspector_api, ordering, key, reverse):
    rows = all_rows(inspector_api, PARTNERSHIPS, kind="hscp", ordering=ordering)

    values = [r[key] for r in rows]
    assert values == sorted(values, reverse=reverse)
    assert len(set(values)) == 31


def test_ordering_by_an_unlisted_field_falls_back_to_name(inspector_api):
    rows = all_rows(inspector_api, PARTNERSHIPS, kind="hscp", ordering="notes,password")

    names = [r["name"] for r in rows]
    assert names == sorted(names)


def test_page_and_page_size(inspector_api):
    first = inspector_api.get(PARTNERSHIPS, {"kind": "hscp", "page_size": 10})
    last = inspector_api.get(PARTNERSHIPS, {"kind": "hscp", "page_size": 10, "page": 4})

    assert first.status_code == last.status_code == 200
    assert first.data["count"] == 31
    assert len(first.data["results"]) == 10
    assert len(last.data["results"]) == 1
    assert last.data["next"] is None
    first_ids = {r["id"] for r in first.data["results"]}
    assert last.data["results"][0]["id"] not in first_ids


@pytest.mark.parametrize(("param", "value"), [("page", "abc"), ("page_size", "ten")])
def test_a_page_that_is_not_a_number_is_a_400(inspector_api, param, value):
    response = inspector_api.get(PARTNERSHIPS, {param: value})

    assert response.status_code == 400
    assert param in response.data


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("kind", "nonsense"),
        ("health_board", "abc"),
        ("local_authority", "999999"),
        ("local_authority", "99999999999999999999999"),
        ("archived", "yes"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(inspector_api, param, value):
    response = inspector_api.get(PARTNERSHIPS, {param: value})

    assert response.status_code == 400
    assert list(response.data) == [param]


def test_a_bad_id_in_the_address_is_a_404(inspector_api):
    assert inspector_api.get(f"{PARTNERSHIPS}abc/").status_code == 404
    assert inspector_api.get(f"{PARTNERSHIPS}999999999/").status_code == 404


# Writing -----------------------------------------------------------------------------------


def test_inspector_cannot_create_a_partnership(inspector_api):
    council = LocalAuthority.objects.get(name="Fife")
    before = Partnership.objects.count()

    response = inspector_api.post(
        PARTNERSHIPS,
        {
            "kind": "adult_protection",
            "name": "Fife and Kinross",
            "local_authorities": [council.pk],
            "health_boards": [council.health_board_id],
        },
    )

    assert response.status_code == 403
    assert Partnership.objects.count() == before


def test_inspector_cannot_change_or_archive_a_partnership(inspector_api, fife):
    history_before = fife.history.count()

    patched = inspector_api.patch(detail(fife.pk), {"notes": "Changed", "version": 1})
    deleted = inspector_api.delete(detail(fife.pk))

    assert patched.status_code == 403
    assert deleted.status_code == 403
    fife.refresh_from_db()
    assert fife.notes == ""
    assert fife.version == 1
    assert fife.archived_at is None
    assert fife.history.count() == history_before


def test_admin_changes_a_partnership_with_the_current_version(admin_api, admin_user, fife):
    response = admin_api.patch(
        detail(fife.pk), {"notes": "Joint inspection due in spring.", "version": 1}
    )

    assert response.status_code == 200, response.data
    assert response.data["version"] == 2
    assert response.data["notes"] == "Joint inspection due in spring."
    fife.refresh_from_db()
    assert fife.version == 2
    assert fife.notes == "Joint inspection due in spring."
    latest = fife.history.first()
    assert latest.history_user == admin_user
    assert latest.notes == "Joint inspection due in spring."


def test_a_stale_version_is_a_409_and_changes_nothing(admin_api, fife):
    admin_api.patch(detail(fife.pk), {"notes": "First editor", "version": 1})

    response = admin_api.patch(detail(fife.pk), {"notes": "Second editor", "version": 1})

    assert response.status_code == 409
    assert response.data["current_version"] == 2
    fife.refresh_from_db()
    assert fife.notes == "First editor"
    assert fife.version == 2


def test_a_change_without_a_version_is_a_400(admin_api, fife):
    response = admin_api.patch(detail(fife.pk), {"notes": "No version"})

    assert response.status_code == 400
    assert "version" in response.data
    fife.refresh_from_db()
    assert fife.notes == ""


def test_admin_changes_a_partnerships_councils_and_boards(admin_api, admin_user):
    partnership = Partnership.objects.get(kind="community_justice", name="Stirling")
    councils = list(LocalAuthority.objects.filter(name__in=["Stirling", "Clackmannanshire"]))

    response = admin_api.patch(
        detail(partnership.pk),
        {
            "local_authorities": [c.pk for c in councils],
            "health_boards": [councils[0].health_board_id],
            "version": 1,
        },
    )

    assert response.status_code == 200, response.data
    assert sorted(response.data["local_authorities"]) == sorted(c.pk for c in councils)
    assert {c["name"] for c in response.data["local_authority_details"]} == {
        "Stirling",
        "Clackmannanshire",
    }
    partnership.refresh_from_db()
    assert partnership.version == 2
    assert set(partnership.local_authorities.all()) == set(councils)
    assert partnership.history.first().history_user == admin_user


def test_an_unknown_council_is_a_400(admin_api, fife):
    response = admin_api.patch(detail(fife.pk), {"local_authorities": [999999], "version": 1})

    assert response.status_code == 400
    assert "local_authorities" in response.data
    assert fife.local_authorities.count() == 1


def test_a_bad_gss_code_is_a_400_on_that_field(admin_api, fife):
    response = admin_api.patch(detail(fife.pk), {"gss_code": "X123", "version": 1})

    assert response.status_code == 400
    assert "gss_code" in response.data
    fife.refresh_from_db()
    assert fife.gss_code.startswith("S37")
    assert fife.version == 1


def test_a_model_rule_broken_is_a_400_not_a_500(admin_api):
    """Only health and social care partnerships have a GSS code (checked by full_clean)."""
    partnership = Partnership.objects.get(kind="community_justice", name="Fife")

    response = admin_api.patch(detail(partnership.pk), {"gss_code": "S37000099", "version": 1})

    assert response.status_code == 400
    assert response.data
    partnership.refresh_from_db()
    assert partnership.gss_code == ""
    assert partnership.version == 1


def test_an_invalid_choice_is_a_400_on_that_field(admin_api, fife):
    response = admin_api.patch(detail(fife.pk), {"kind": "nonsense", "version": 1})

    assert response.status_code == 400
    assert "kind" in response.data


def test_malformed_json_is_a_400(admin_api, fife):
    response = admin_api.generic(
        "PATCH", detail(fife.pk), '{"notes": "unterminated', content_type="application/json"
    )

    assert response.status_code == 400
    fife.refresh_from_db()
    assert fife.notes == ""


def test_a_body_that_is_not_an_object_is_a_400(admin_api, fife):
    patched = admin_api.generic(
        "PATCH", detail(fife.pk), json.dumps([1, 2]), content_type="application/json"
    )
    deleted = admin_api.generic(
        "DELETE", detail(fife.pk), json.dumps([1, 2]), content_type="application/json"
    )

    assert patched.status_code == 400
    # The body carries no version, so the archive goes ahead unchecked.
    assert deleted.status_code == 200


def test_admin_creates_a_partnership(admin_api, admin_user):
    council = LocalAuthority.objects.get(name="Fife")

    response = admin_api.post(
        PARTNERSHIPS,
        {
            "kind": "adult_protection",
            "name": "Fife and Kinross",
            "local_authorities": [council.pk],
            "health_boards": [council.health_board_id],
            "version": 7,
        },
    )

    assert response.status_code == 201, response.data
    created = Partnership.objects.get(pk=response.data["id"])
    assert created.version == 1
    assert list(created.local_authorities.all()) == [council]
    assert created.history.first().history_user == admin_user


def test_creating_a_duplicate_partnership_is_a_400(admin_api):
    council = LocalAuthority.objects.get(name="Fife")
    before = Partnership.objects.count()

    response = admin_api.post(
        PARTNERSHIPS,
        {
            "kind": "adult_protection",
            "name": "Fife",
            "local_authorities": [council.pk],
            "health_boards": [council.health_board_id],
        },
    )

    assert response.status_code == 400
    assert Partnership.objects.count() == before


def test_admin_delete_archives_the_partnership(admin_api, admin_user, fife):
    response = admin_api.delete(detail(fife.pk))

    assert response.status_code == 200
    assert response.data["archived_at"] is not None
    fife.refresh_from_db()  # the row is still there
    assert fife.archived_at is not None
    assert fife.archived_by == admin_user
    assert fife.history.first().history_user == admin_user

    default_ids = [r["id"] for r in all_rows(admin_api, PARTNERSHIPS, kind="hscp")]
    assert fife.pk not in default_ids
    assert len(default_ids) == 30

    with_archived = [r["id"] for r in all_rows(admin_api, PARTNERSHIPS, archived="true")]
    assert fife.pk in with_archived
    assert len(with_archived) == REFERENCE_PARTNERSHIPS

    retrieved = admin_api.get(detail(fife.pk))
    assert retrieved.status_code == 200
    assert retrieved.data["archived_at"] is not None


def test_an_archived_partnership_is_still_retrievable_by_an_inspector(
    admin_api, inspector_api, fife
):
    admin_api.delete(detail(fife.pk))

    response = inspector_api.get(detail(fife.pk))

    assert response.status_code == 200
    assert response.data["name"] == "Fife"


def test_archiving_twice_is_a_400(admin_api, fife):
    admin_api.delete(detail(fife.pk))

    response = admin_api.delete(detail(fife.pk))

    assert response.status_code == 400


def test_archiving_a_stale_version_is_a_409(admin_api, fife):
    admin_api.patch(detail(fife.pk), {"notes": "Changed", "version": 1})

    response = admin_api.delete(f"{detail(fife.pk)}?version=1")

    assert response.status_code == 409
    assert response.data["current_version"] == 2
    fife.refresh_from_db()
    assert fife.archived_at is None


def test_archiving_with_a_version_that_is_not_a_number_is_a_400(admin_api, fife):
    response = admin_api.delete(f"{detail(fife.pk)}?version=abc")

    assert response.status_code == 400
    assert "version" in response.data
    fife.refresh_from_db()
    assert fife.archived_at is None


# Token authentication ------------------------------------------------------------------------


def test_token_user_is_recorded_on_the_history(admin_token_api, admin_user, fife):
    response = admin_token_api.patch(detail(fife.pk), {"notes": "By token", "version": 1})

    assert response.status_code == 200, response.data
    fife.refresh_from_db()
    assert fife.notes == "By token"
    assert fife.history.first().history_user == admin_user


def test_inspector_token_reads_but_cannot_write(inspector_user, fife):
    _, token = AuthToken.objects.create(inspector_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get(detail(fife.pk)).status_code == 200
    assert client.patch(detail(fife.pk), {"notes": "x", "version": 1}).status_code == 403
    fife.refresh_from_db()
    assert fife.notes == ""


def test_a_wrong_token_is_refused(api_client, admin_user):
    AuthToken.objects.create(admin_user)
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(PARTNERSHIPS)

    assert response.status_code == 401
    assert "results" not in response.data


# Query counts --------------------------------------------------------------------------------


def test_list_queries_do_not_grow_with_the_number_of_partnerships(inspector_api):
    few_councils = LocalAuthorityFactory.create_batch(2)
    many_councils = LocalAuthorityFactory.create_batch(2)
    bulk_partnerships(10, few_councils)
    bulk_partnerships(200, many_councils)

    def list_for(council: LocalAuthority) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = inspector_api.get(
                PARTNERSHIPS, {"local_authority": council.pk, "page_size": 200}
            )
        assert response.status_code == 200
        assert all(len(r["local_authority_details"]) == 2 for r in response.data["results"])
        return len(response.data["results"]), len(queries)

    few_rows, few_queries = list_for(few_councils[0])
    many_rows, many_queries = list_for(many_councils[0])

    assert (few_rows, many_rows) == (10, 200)
    assert many_queries == few_queries
    assert few_queries <= 8


# Council areas and health boards -------------------------------------------------------------


def test_inspector_lists_council_areas_and_boards(inspector_api):
    councils = all_rows(inspector_api, LOCAL_AUTHORITIES)
    boards = all_rows(inspector_api, HEALTH_BOARDS)

    assert len(councils) == 32
    assert len(boards) == 14
    fife = next(c for c in councils if c["name"] == "Fife")
    assert fife["health_board"] == HealthBoard.objects.get(name="Fife").pk
    assert set(fife) >= {"id", "gss_code", "name", "health_board", "version", "archived_at"}
    assert set(boards[0]) >= {"id", "gss_code", "name", "version", "archived_at"}
    assert [b["name"] for b in boards] == sorted(b["name"] for b in boards)


def test_council_areas_filter_by_board(inspector_api):
    board = HealthBoard.objects.get(name="Forth Valley")

    councils = all_rows(inspector_api, LOCAL_AUTHORITIES, health_board=board.pk)

    assert sorted(c["name"] for c in councils) == ["Clackmannanshire", "Falkirk", "Stirling"]


def test_council_area_bad_board_filter_is_a_400(inspector_api):
    response = inspector_api.get(LOCAL_AUTHORITIES, {"health_board": "abc"})

    assert response.status_code == 400
    assert "health_board" in response.data


def test_inspector_cannot_change_a_board(inspector_api):
    board = HealthBoard.objects.get(name="Fife")

    response = inspector_api.patch(f"{HEALTH_BOARDS}{board.pk}/", {"name": "X", "version": 1})

    assert response.status_code == 403
    board.refresh_from_db()
    assert board.name == "Fife"


def test_admin_renames_a_board_and_archives_a_council(admin_api, admin_user):
    board = HealthBoard.objects.get(name="Fife")
    council = LocalAuthority.objects.get(name="Fife")

    renamed = admin_api.patch(f"{HEALTH_BOARDS}{board.pk}/", {"name": "Fife (new)", "version": 1})
    archived = admin_api.delete(f"{LOCAL_AUTHORITIES}{council.pk}/")

    assert renamed.status_code == 200, renamed.data
    assert renamed.data["version"] == 2
    board.refresh_from_db()
    assert board.history.first().history_user == admin_user
    assert archived.status_code == 200
    council.refresh_from_db()
    assert council.archived_by == admin_user
    assert len(all_rows(admin_api, LOCAL_AUTHORITIES)) == 31
    assert len(all_rows(admin_api, LOCAL_AUTHORITIES, archived="true")) == 32
    assert admin_api.get(f"{LOCAL_AUTHORITIES}{council.pk}/").status_code == 200


def test_a_bad_council_code_is_a_400_on_that_field(admin_api):
    council = LocalAuthority.objects.get(name="Fife")

    response = admin_api.patch(
        f"{LOCAL_AUTHORITIES}{council.pk}/", {"gss_code": "X123", "version": 1}
    )

    assert response.status_code == 400
    assert "gss_code" in response.data
