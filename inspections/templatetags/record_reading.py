"""{% record_reading_summary inspection %}: the overview's record reading block (counts of
records by status, links to the sample and the results). Shown only to those who may see the
inspection's evidence; the caller's template decides that."""

from django import template

from inspections.record_reading.selectors import record_counts

register = template.Library()


@register.inclusion_tag("inspections/record_reading/_overview.html", takes_context=True)
def record_reading_summary(context, inspection):
    return {
        "inspection": inspection,
        "counts": record_counts(inspection=inspection),
    }
