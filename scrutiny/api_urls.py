"""Every /api/v1/ resource, registered on one router (plural kebab-case names)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import UserViewSet
from cooperation.api import (
    EscalationViewSet,
    MeetingActionViewSet,
    MeetingGapsView,
    MeetingViewSet,
    NoticeViewSet,
    SharedRiskViewSet,
)
from improvement.api import (
    ImprovementActionViewSet,
    ImprovementPlanViewSet,
    ImprovementSupportViewSet,
    ProgressReviewViewSet,
    SupportAssessmentViewSet,
    SupportDecisionViewSet,
    SupportProviderViewSet,
)
from inspections.api import (
    AttachmentViewSet,
    EvidenceActivityViewSet,
    InspectionViewSet,
    ProgrammeViewSet,
    QualityIndicatorViewSet,
)
from inspections.record_reading import api as record_reading
from inspections.report import api as report
from partnerships.api import HealthBoardViewSet, LocalAuthorityViewSet, PartnershipViewSet
from partnerships.engagement_api import (
    EngagementViewSet,
    GoodPracticeViewSet,
    LinkRiskViewSet,
)
from partnerships.msg_api import MsgSelfEvaluationViewSet
from reports.api import GeneratedReportViewSet

router = DefaultRouter()
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authorities")
router.register("health-boards", HealthBoardViewSet, basename="health-boards")
router.register("partnerships", PartnershipViewSet, basename="partnerships")
router.register("msg-self-evaluations", MsgSelfEvaluationViewSet, basename="msg-self-evaluations")
router.register("engagements", EngagementViewSet, basename="engagements")
router.register("link-risks", LinkRiskViewSet, basename="link-risks")
router.register("good-practice", GoodPracticeViewSet, basename="good-practice")
router.register("users", UserViewSet, basename="users")
router.register("programmes", ProgrammeViewSet, basename="programmes")
router.register("quality-indicators", QualityIndicatorViewSet, basename="quality-indicators")
router.register("inspections", InspectionViewSet, basename="inspections")
router.register("evidence-activities", EvidenceActivityViewSet, basename="evidence-activities")
router.register("attachments", AttachmentViewSet, basename="attachments")
router.register("meetings", MeetingViewSet, basename="meetings")
router.register("meeting-actions", MeetingActionViewSet, basename="meeting-actions")
router.register("no-surprises-notices", NoticeViewSet, basename="no-surprises-notices")
router.register("escalations", EscalationViewSet, basename="escalations")
router.register("shared-risks", SharedRiskViewSet, basename="shared-risks")
router.register("support-assessments", SupportAssessmentViewSet, basename="support-assessments")
router.register("support-decisions", SupportDecisionViewSet, basename="support-decisions")
router.register("improvement-plans", ImprovementPlanViewSet, basename="improvement-plans")
router.register("improvement-actions", ImprovementActionViewSet, basename="improvement-actions")
router.register("progress-reviews", ProgressReviewViewSet, basename="progress-reviews")
router.register("improvement-support", ImprovementSupportViewSet, basename="improvement-support")
router.register("support-providers", SupportProviderViewSet, basename="support-providers")
router.register("reports", GeneratedReportViewSet, basename="reports")
router.register(
    "record-reading/templates",
    record_reading.RecordReviewTemplateViewSet,
    basename="record-reading-templates",
)
router.register(
    "record-reading/records",
    record_reading.ReviewedRecordViewSet,
    basename="record-reading-records",
)
router.register(
    "record-reading/answers",
    record_reading.RecordAnswerViewSet,
    basename="record-reading-answers",
)
router.register("findings", report.FindingViewSet, basename="findings")
router.register("evaluations", report.EvaluationViewSet, basename="evaluations")
router.register(
    "factual-accuracy-comments",
    report.FactualAccuracyCommentViewSet,
    basename="factual-accuracy-comments",
)

urlpatterns = [
    path(
        "inspections/<int:pk>/record-reading-results/",
        record_reading.RecordReadingResultsView.as_view(),
        name="inspections-record-reading-results",
    ),
    path("cooperation/meeting-gaps/", MeetingGapsView.as_view(), name="cooperation-meeting-gaps"),
    path(
        "inspections/<int:pk>/published/",
        report.PublishedVersionView.as_view(),
        name="inspections-published",
    ),
    path("", include(router.urls)),
]
