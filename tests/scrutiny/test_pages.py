"""Site-wide behaviour: the base page, error pages and security headers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_base_page_shows_service_agency_navigation_skip_link_and_phase(inspector_client):
    body = inspector_client.get(reverse("partnerships:list")).content.decode()
    assert 'href="#main-content"' in body
    assert "Care Inspectorate" in body  # the signed-in user's agency
    assert "ds_phase-banner" in body
    assert 'aria-current="page"' in body
    assert "design-system.min.css" in body


def test_the_design_system_and_site_styles_and_script_are_served(client):
    """WhiteNoise serves the collected files (make test collects them first)."""
    for path, kind in (
        ("/static/sgds/css/design-system.min.css", "text/css"),
        ("/static/css/scrutiny.css", "text/css"),
        ("/static/js/scrutiny.js", "text/javascript"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(kind), path
        assert b"".join(response.streaming_content)


def test_security_headers(inspector_client):
    response = inspector_client.get(reverse("partnerships:list"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_404_page_in_the_service_style(inspector_client):
    response = inspector_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "ds_site-header" in body


def test_403_page_in_the_service_style(inspector_client, fife):
    response = inspector_client.get(reverse("partnerships:edit", args=[fife.pk]))
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()


def test_500_page_in_the_service_style(rf):
    from scrutiny.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
