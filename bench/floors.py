"""The floors every figure is divided by, measured in the same run: what a page or an API call
costs before it does any work of its own.

- Page floor: the base page (templates/base.html, with its navigation and context processors)
  rendered for the signed-in user, through the same middleware and session as every page.
- API floor: a DRF view with the API's token authentication and permission that answers an
  empty object.

Mounted only by bench.urls, never by the site's own URLconf."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from knox.auth import TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

FLOOR_TEMPLATE = '{% extends "base.html" %}{% block content %}<h1>Floor</h1>{% endblock %}'


@login_required
def page_floor(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(FLOOR_TEMPLATE)
    return HttpResponse(template.render({"page_title": "Floor"}, request))


class ApiFloor(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({})
