"""Partnership pages as users meet them: list, search, filters, CSV, detail, edit, History."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Partnership
from scrutiny.services import CONFLICT_MESSAGE
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:list")


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_search_finds_fife_by_name(inspector_client, fife):
    response = inspector_client.get(LIST, {"q": "Fife"})
    assert response.status_code == 200
    names = [str(p) for p in response.context["partnerships"]]
    assert "Fife Health and Social Care Partnership" in names
    assert all("Fife" in name for name in names)
    assert "4 partnerships" in response.content.decode()


def test_search_by_gss_code(inspector_client, fife):
    response = inspector_client.get(LIST, {"q": "S37000032"})
    assert list(response.context["partnerships"]) == [fife]


def test_filter_by_kind_and_health_board(inspector_client):
    from partnerships.models import HealthBoard

    lothian = HealthBoard.objects.get(name="Lothian")
    response = inspector_client.get(LIST, {"kind": "hscp", "health_board": lothian.pk})
    names = sorted(p.name for p in response.context["partnerships"])
    assert names == ["East Lothian", "Edinburgh", "Midlothian", "West Lothian"]


def test_sort_by_name_descending(inspector_client):
    response = inspector_client.get(LIST, {"kind": "hscp", "sort": "-name"})
    names = [p.name for p in response.context["partnerships"]]
    assert names == sorted(names, reverse=True)


def test_pagination_keeps_filters(inspector_client):
    response = inspector_client.get(LIST, {"kind": "adult_protection", "page": 2})
    pagination = response.context["pagination"]
    assert pagination.page.number == 2
    assert pagination.count == 32
    assert "kind=adult_protection" in pagination.previous_url


@pytest.mark.parametrize(
    "params",
    [{"kind": "nonsense"}, {"health_board": "abc"}, {"sort": "drop table"}, {"page": "abc"}],
)
def test_bad_filter_values_get_a_message_not_a_server_error(inspector_client, params):
    response = inspector_client.get(LIST, params)
    assert response.status_code in (200, 400)
    if "page" not in params:
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()


def test_empty_state(inspector_client):
    response = inspector_client.get(LIST, {"q": "Atlantis"})
    assert "No partnerships match these filters." in response.content.decode()


def test_csv_export_has_the_filtered_list(inspector_client):
    response = inspector_client.get(LIST, {"kind": "hscp", "q": "Lothian", "format": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Name"
    assert sorted(r[0] for r in rows[1:]) == ["East Lothian", "Midlothian", "West Lothian"]


@pytest.mark.parametrize("path", ["page", "csv"])
def test_list_runs_the_same_number_of_queries_at_10_and_200(inspector_client, path):
    def queries_for(count: int) -> int:
        prefix = f"Scale{count}x"
        council = factories.LocalAuthorityFactory()
        for i in range(count):
            factories.PartnershipFactory(name=f"{prefix} {i:03}", local_authorities=[council])
        params = {"q": prefix, "format": "csv"} if path == "csv" else {"q": prefix}
        with CaptureQueriesContext(connection) as ctx:
            response = inspector_client.get(LIST, params)
            if path == "csv":
                body = b"".join(response.streaming_content).decode()
                assert body.count("\n") == count + 1
            else:
                assert response.context["pagination"].count == count
        return len(ctx.captured_queries)

    assert queries_for(10) == queries_for(200)


def test_detail_shows_councils_boards_contacts_and_link_inspector(inspector_client, fife):
    from partnerships.models import LocalAuthority

    link = factories.inspector(full_name="Lorna Link")
    factories.AreaAssignmentFactory(
        user=link, local_authority=LocalAuthority.objects.get(name="Fife")
    )
    factories.ContactFactory(partnership=fife, name="Pat Officer")
    response = inspector_client.get(reverse("partnerships:detail", args=[fife.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Fife (S12000047)", "NHS Fife", "Pat Officer", "Lorna Link", "Support level"):
        assert text in body
    assert reverse("partnerships:edit", args=[fife.pk]) not in body  # inspectors only read


def test_missing_partnership_is_404(inspector_client):
    response = inspector_client.get(reverse("partnerships:detail", args=[999999]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_inspector_cannot_edit_reference_data_through_pages(inspector_client, fife):
    url = reverse("partnerships:edit", args=[fife.pk])
    assert inspector_client.get(url).status_code == 403
    response = inspector_client.post(url, {"name": "Hacked", "version": fife.version})
    assert response.status_code == 403
    fife.refresh_from_db()
    assert fife.name == "Fife"
    archive_url = reverse("partnerships:archive", args=[fife.pk])
    assert inspector_client.post(archive_url, {"reason": "x", "version": 1}).status_code == 403


def _edit_data(p: Partnership, **overrides) -> dict:
    data = {
        "name": p.name,
        "gss_code": p.gss_code,
        "integration_model": p.integration_model,
        "integration_model_confirmed": "on" if p.integration_model_confirmed else "",
        "local_authorities": [la.pk for la in p.local_authorities.all()],
        "health_boards": [hb.pk for hb in p.health_boards.all()],
        "notes": p.notes,
        "version": p.version,
    }
    data.update(overrides)
    return data


def test_administrator_edit_is_saved_and_shows_on_history_with_its_author(
    admin_client, admin_user, fife
):
    url = reverse("partnerships:edit", args=[fife.pk])
    response = admin_client.post(url, _edit_data(fife, notes="Inspection due in spring."))
    assert response.status_code == 302
    fife.refresh_from_db()
    assert fife.notes == "Inspection due in spring."
    assert fife.version == 2

    history = admin_client.get(reverse("partnerships:history", args=[fife.pk]))
    body = history.content.decode()
    assert "Changed by Ada Administrator" in body
    assert "Inspection due in spring." in body
    assert "Notes" in body


def test_stale_edit_gets_the_conflict_message_and_keeps_the_input(admin_client, admin_user, fife):
    from partnerships.services import partnership_update

    url = reverse("partnerships:edit", args=[fife.pk])
    stale = _edit_data(fife, notes="My careful notes")
    # Someone else saves first.
    other = factories.administrator(full_name="Other Admin")
    partnership_update(
        partnership=fife, by=other, expected_version=fife.version, changes={"notes": "Theirs"}
    )
    response = admin_client.post(url, stale)
    body = response.content.decode()
    assert response.status_code == 400
    assert CONFLICT_MESSAGE.split(":")[0].replace("'", "&#x27;") in body
    assert "My careful notes" in body  # the user's input is still on the page
    assert "Theirs" in body  # and they can see what the other person saved
    fife.refresh_from_db()
    assert fife.notes == "Theirs"
    # Saving again from the conflict page is a deliberate overwrite and succeeds.
    resubmit = dict(stale, version=response.context["form"].data["version"])
    assert admin_client.post(url, resubmit).status_code == 302
    fife.refresh_from_db()
    assert fife.notes == "My careful notes"


def test_invalid_edit_shows_error_summary_and_keeps_input(admin_client, fife):
    url = reverse("partnerships:edit", args=[fife.pk])
    response = admin_client.post(url, _edit_data(fife, gss_code="X123", notes="kept"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "S37 and six digits" in body
    assert "kept" in body


def test_archive_removes_from_list_but_keeps_the_record(admin_client, admin_user):
    partnership = factories.PartnershipFactory(name="Archivable")
    url = reverse("partnerships:archive", args=[partnership.pk])
    response = admin_client.post(url, {"reason": "Merged", "version": partnership.version})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.archived_by == admin_user
    assert admin_client.get(LIST, {"q": "Archivable"}).context["pagination"].count == 0
    assert (
        admin_client.get(LIST, {"q": "Archivable", "archived": "on"}).context["pagination"].count
        == 1
    )
    detail = admin_client.get(reverse("partnerships:detail", args=[partnership.pk]))
    assert detail.status_code == 200
    assert "Archived" in detail.content.decode()
    history = admin_client.get(reverse("partnerships:history", args=[partnership.pk]))
    assert "Archived by Ada Administrator" in history.content.decode()
    assert "Merged" in history.content.decode()


def test_contact_add_and_edit(admin_client, fife):
    add = reverse("partnerships:contact_create", args=[fife.pk])
    response = admin_client.post(
        add,
        {"role": "chief_officer", "name": "Jo Bloggs", "started_on": "2025-01-06", "ended_on": ""},
    )
    assert response.status_code == 302
    contact = fife.contacts.get(name="Jo Bloggs")
    edit = reverse("partnerships:contact_edit", args=[fife.pk, contact.pk])
    response = admin_client.post(
        edit,
        {
            "role": "chief_officer",
            "name": "Jo Bloggs",
            "started_on": "2025-01-06",
            "ended_on": "2024-01-01",
            "version": contact.version,
        },
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()


def test_contact_of_another_partnership_is_404(admin_client, fife):
    contact = factories.ContactFactory()
    url = reverse("partnerships:contact_edit", args=[fife.pk, contact.pk])
    assert admin_client.get(url).status_code == 404
