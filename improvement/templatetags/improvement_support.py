"""{% partnership_support partnership %} on the partnership page: the current level of support
(the latest agreed decision the user may see), the decisions agreed before, and the level's aims
and characteristic support. A fixed number of queries."""

from django import template

from improvement import selectors
from improvement.policies import may_assess

register = template.Library()


@register.inclusion_tag("improvement/_partnership_support.html", takes_context=True)
def partnership_support(context, partnership):
    user = context["request"].user
    return {
        "partnership": partnership,
        "support": selectors.partnership_support(user=user, partnership=partnership),
        "can_add": may_assess(user, partnership),
    }
