"""Every /api/v1/ resource, registered on one router (plural kebab-case names)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import UserViewSet
from inspections.api import (
    AttachmentViewSet,
    EvidenceActivityViewSet,
    InspectionViewSet,
    ProgrammeViewSet,
    QualityIndicatorViewSet,
)
from partnerships.api import HealthBoardViewSet, LocalAuthorityViewSet, PartnershipViewSet

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authorities")
router.register("health-boards", HealthBoardViewSet, basename="health-boards")
router.register("partnerships", PartnershipViewSet, basename="partnerships")
router.register("users", UserViewSet, basename="users")
router.register("programmes", ProgrammeViewSet, basename="programmes")
router.register("quality-indicators", QualityIndicatorViewSet, basename="quality-indicators")
router.register("inspections", InspectionViewSet, basename="inspections")
router.register("evidence-activities", EvidenceActivityViewSet, basename="evidence-activities")
router.register("attachments", AttachmentViewSet, basename="attachments")

urlpatterns = [
    path("", include(router.urls)),
]
