"""Every /api/v1/ resource, registered on one router (plural kebab-case names)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import UserViewSet
from partnerships.api import HealthBoardViewSet, LocalAuthorityViewSet, PartnershipViewSet

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authorities")
router.register("health-boards", HealthBoardViewSet, basename="health-boards")
router.register("partnerships", PartnershipViewSet, basename="partnerships")
router.register("users", UserViewSet, basename="users")

urlpatterns = [
    path("", include(router.urls)),
]
