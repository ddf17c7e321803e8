"""{% report_by_indicator inspection can_read_drafts %} on the inspection overview and
{% partnership_report partnership %} on the partnership page: findings and evaluations by
quality indicator, from the drafts for those who read them and as published for everyone else.
Each runs a fixed number of queries."""

from django import template

from inspections.report import selectors

register = template.Library()


@register.inclusion_tag("inspections/report/_by_indicator.html", takes_context=True)
def report_by_indicator(context, inspection, can_read_drafts=None):
    user = context["request"].user
    return {
        "inspection": inspection,
        "summary": selectors.report_summary(
            user=user, inspection=inspection, can_read_drafts=can_read_drafts
        ),
        "can_read_drafts": bool(can_read_drafts),
        "heading_level": 2,
    }


@register.inclusion_tag("inspections/report/_partnership_report.html", takes_context=True)
def partnership_report(context, partnership):
    return {
        "summary": selectors.partnership_summary(
            user=context["request"].user, partnership=partnership
        ),
    }
