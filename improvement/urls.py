from django.urls import path

from . import views

app_name = "improvement"

urlpatterns = [
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
    path("partnerships/<int:partnership_pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/new/", views.progress_create, name="progress_create"),
    path("actions/<int:pk>/history/", views.action_history, name="action_history"),
]
