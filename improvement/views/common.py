"""What only the improvement pages share: the partnership a page belongs to, its breadcrumb,
and the improvement layout for form pages. The page mechanics (running a service for a form,
archive confirmation, lists with CSV export) are scrutiny.views'."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from partnerships.models import Partnership
from partnerships.policies import partnership_policy
from scrutiny import views

FORM_PAGE = "improvement/form_page.html"


def partnership_get(request: HttpRequest, pk: int) -> Partnership:
    return partnership_policy.get_visible_or_404(request.user, Partnership.objects.all(), pk=pk)


def partnership_crumb(partnership_or_pk, label: str = "") -> tuple[str, str]:
    pk = getattr(partnership_or_pk, "pk", partnership_or_pk)
    return (reverse("partnerships:detail", args=[pk]), label or str(partnership_or_pk))


def form_page(
    request: HttpRequest, form: BaseForm, *, template: str = FORM_PAGE, **kwargs: Any
) -> HttpResponse:
    """scrutiny.views.form_page, in the improvement layout unless another template is given."""
    return views.form_page(request, form, template=template, **kwargs)
