"""The site's URLconf plus the two floor views (bench/floors.py). Used only by the benchmark,
through override_settings(ROOT_URLCONF="bench.urls")."""

from django.urls import include, path

from scrutiny import urls as site

from .floors import ApiFloor, page_floor

urlpatterns = [
    path("__bench__/floor/", page_floor, name="bench-page-floor"),
    path("__bench__/api-floor/", ApiFloor.as_view(), name="bench-api-floor"),
    path("", include(site)),
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
