from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def service(request: HttpRequest) -> dict:
    return {"SERVICE_NAME": settings.SERVICE_NAME, "SERVICE_PHASE": settings.SERVICE_PHASE}


# Main navigation: (label, url name). Later issues add inspections, improvement, co-operation.
NAVIGATION = [
    ("Partnerships", "partnerships:list"),
    ("Inspections", "inspections:list"),
    ("Co-operation", "cooperation:review"),
    ("Your profile", "accounts:profile"),
]


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = []
    for label, name in NAVIGATION:
        url = reverse(name)
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"navigation": items}
