"""What only the co-operation pages share: their layout for form pages. The page mechanics
(running a service for a form, archive confirmation, lists with CSV export) are
scrutiny.views'."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse

from scrutiny import views

FORM_PAGE = "cooperation/form_page.html"


def form_page(
    request: HttpRequest, form: BaseForm, *, heading: str, page_title: str = "", **kwargs: Any
) -> HttpResponse:
    """scrutiny.views.form_page in the co-operation layout; the page title is the heading (not
    "heading: caption") unless given."""
    return views.form_page(
        request,
        form,
        template=FORM_PAGE,
        heading=heading,
        page_title=page_title or heading,
        **kwargs,
    )
