"""{% partnership_plans partnership %} on the partnership page: the partnership's current plans,
its overdue actions and a link to create a plan. A fixed number of queries."""

from django import template

from improvement import selectors
from improvement.policies import may_assess

register = template.Library()


@register.inclusion_tag("improvement/_partnership_plans.html", takes_context=True)
def partnership_plans(context, partnership):
    user = context["request"].user
    return {
        "partnership": partnership,
        "plans": list(selectors.plan_list(user=user, partnership=partnership)),
        "overdue": selectors.overdue_actions(user=user, partnership=partnership),
        "can_add": may_assess(user, partnership),
    }
