"""{% partnership_plans partnership %} on the partnership page: the partnership's current plans,
its overdue actions, its overdue and upcoming progress reviews, links to the reviews and the
improvement support, and a link to create a plan. A fixed number of queries."""

from django import template

from improvement import selectors
from improvement.policies import may_assess

register = template.Library()

UPCOMING_SHOWN = 5


@register.inclusion_tag("improvement/_partnership_plans.html", takes_context=True)
def partnership_plans(context, partnership):
    user = context["request"].user
    reviews = selectors.scheduled_reviews(user=user, partnership=partnership)
    upcoming = reviews.upcoming
    return {
        "partnership": partnership,
        "plans": list(selectors.plan_list(user=user, partnership=partnership)),
        "overdue": selectors.overdue_actions(user=user, partnership=partnership),
        "overdue_reviews": reviews.overdue,
        "upcoming_reviews": upcoming[:UPCOMING_SHOWN],
        "more_upcoming": max(len(upcoming) - UPCOMING_SHOWN, 0),
        "can_add": may_assess(user, partnership),
    }
