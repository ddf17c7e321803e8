"""Every /api/v1/ resource, registered on one router (plural kebab-case names)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [
    path("", include(router.urls)),
]
