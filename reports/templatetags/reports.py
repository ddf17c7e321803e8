"""The Reports section of a record's page: {% inspection_reports inspection %},
{% partnership_reports partnership %} and {% cooperation_reports %}. Each lists the record's
latest PDFs the user may see (who asked, when, status, a download link once ready) and, for
those who may ask, the "Create PDF" button. A fixed number of queries."""

from django import template
from django.utils import timezone

from reports import selectors
from reports.models import ReportKind
from reports.policies import audience_for

register = template.Library()

TEMPLATE = "reports/_reports.html"


def _section(context, kind: str, *, inspection=None, partnership=None, **extra) -> dict:
    request = context["request"]
    user = request.user
    return {
        "kind": kind,
        "inspection": inspection,
        "partnership": partnership,
        "reports": selectors.reports_for(
            user=user, kind=kind, inspection=inspection, partnership=partnership
        ),
        "can_request": audience_for(user, kind, inspection=inspection, partnership=partnership)
        is not None,
        "next": request.get_full_path(),
        **extra,
    }


@register.inclusion_tag(TEMPLATE, takes_context=True)
def inspection_reports(context, inspection):
    return _section(
        context,
        ReportKind.INSPECTION_REPORT,
        inspection=inspection,
        what="this inspection's report",
    )


@register.inclusion_tag(TEMPLATE, takes_context=True)
def partnership_reports(context, partnership):
    return _section(
        context,
        ReportKind.PARTNERSHIP_PROFILE,
        partnership=partnership,
        what="a profile of this partnership",
    )


@register.inclusion_tag(TEMPLATE, takes_context=True)
def cooperation_reports(context):
    return _section(
        context,
        ReportKind.COOPERATION_QUARTER,
        what="the quarterly co-operation report for the boards",
        quarters=selectors.quarters_to_choose(today=timezone.localdate()),
    )
