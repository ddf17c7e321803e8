from django.urls import path

from . import views

app_name = "improvement"

urlpatterns = [
    # Support assessments and decisions
    path("assessments/", views.assessment_list, name="assessment_list"),
    path(
        "partnerships/<int:partnership_pk>/assessments/new/",
        views.assessment_create,
        name="assessment_create",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/history/", views.assessment_history, name="assessment_history"),
    path("assessments/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/agree/", views.decision_agree, name="decision_agree"),
    path("decisions/<int:pk>/reopen/", views.decision_reopen, name="decision_reopen"),
    path("decisions/<int:pk>/history/", views.decision_history, name="decision_history"),
    # Improvement plans, actions and progress updates
    path("partnerships/<int:partnership_pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/agree/", views.plan_agree, name="plan_agree"),
    path("plans/<int:pk>/archive/", views.plan_archive, name="plan_archive"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("actions/<int:pk>/archive/", views.action_archive, name="action_archive"),
    path("actions/<int:pk>/progress/new/", views.progress_create, name="progress_create"),
    path("actions/<int:pk>/history/", views.action_history, name="action_history"),
    path("progress-updates/<int:pk>/edit/", views.progress_edit, name="progress_edit"),
    path("progress-updates/<int:pk>/archive/", views.progress_archive, name="progress_archive"),
    path("progress-updates/<int:pk>/history/", views.progress_history, name="progress_history"),
    # Progress reviews
    path("partnerships/<int:partnership_pk>/reviews/", views.review_list, name="review_list"),
    path(
        "partnerships/<int:partnership_pk>/reviews/new/",
        views.review_schedule,
        name="review_schedule",
    ),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/reschedule/", views.review_reschedule, name="review_reschedule"),
    path("reviews/<int:pk>/record/", views.review_record, name="review_record"),
    path("reviews/<int:pk>/cancel/", views.review_cancel, name="review_cancel"),
    path("reviews/<int:pk>/history/", views.review_history, name="review_history"),
    # Improvement support
    path("partnerships/<int:partnership_pk>/support/", views.support_list, name="support_list"),
    path(
        "partnerships/<int:partnership_pk>/support/new/",
        views.support_create,
        name="support_create",
    ),
    path("support/<int:pk>/", views.support_detail, name="support_detail"),
    path("support/<int:pk>/edit/", views.support_edit, name="support_edit"),
    path("support/<int:pk>/archive/", views.support_archive, name="support_archive"),
    path("support/<int:pk>/history/", views.support_history, name="support_history"),
]
