from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def service(request: HttpRequest) -> dict:
    return {"SERVICE_NAME": settings.SERVICE_NAME, "SERVICE_PHASE": settings.SERVICE_PHASE}


# Main navigation: (label, url name). Later issues add inspections, improvement, co-operation.
NAVIGATION = [
    ("Home", "dashboards:home"),  # the user's own dashboard (see dashboards.selectors)
    ("Partnerships", "partnerships:list"),
    ("Inspections", "inspections:list"),
    ("Co-operation", "cooperation:review"),
    ("Good practice", "partnerships:good_practice_list"),
    ("Your profile", "accounts:profile"),
]


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    links = [(label, reverse(name)) for label, name in NAVIGATION]
    # The longest matching address is the current section (/partnerships/good-practice/ is
    # Good practice, not Partnerships), so only one link is marked current.
    current = max((url for _, url in links if request.path.startswith(url)), key=len, default="")
    items = [{"label": label, "url": url, "current": url == current} for label, url in links]
    return {"navigation": items}
