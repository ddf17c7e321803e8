"""The OpenAPI schema and its documentation page."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_describes_the_api(inspector_api):
    response = inspector_api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/partnerships/",
        "/api/v1/partnerships/{id}/",
        "/api/v1/local-authorities/",
        "/api/v1/health-boards/",
        "/api/v1/users/me/",
    ]:
        assert path in paths
    list_params = {p["name"] for p in paths["/api/v1/partnerships/"]["get"]["parameters"]}
    assert list_params >= {
        "kind",
        "local_authority",
        "health_board",
        "search",
        "archived",
        "ordering",
        "page",
        "page_size",
    }


def test_docs_page_is_served(inspector_api):
    response = inspector_api.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger" in response.content.lower()


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"

    # Raises CommandError on any warning or an invalid OpenAPI document.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    assert schema["info"]["title"] == "Scrutiny API"


def test_schema_and_docs_need_sign_in(api_client):
    assert api_client.get("/api/schema/").status_code == 401
    assert api_client.get("/api/docs/").status_code == 401
