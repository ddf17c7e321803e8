from django.urls import include, path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/transition/", views.inspection_transition, name="transition"),
    path("<int:pk>/archive/", views.inspection_archive, name="archive"),
    path("<int:pk>/history/", views.inspection_history, name="history"),
    path("<int:pk>/team/add/", views.team_member_add, name="team_add"),
    path(
        "<int:pk>/team/<int:member_pk>/declare/",
        views.team_member_declare,
        name="team_declare",
    ),
    path("<int:pk>/team/<int:member_pk>/decide/", views.conflict_decide, name="team_decide"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_member_remove, name="team_remove"),
    path(
        "<int:pk>/team/<int:member_pk>/history/",
        views.team_member_history,
        name="team_history",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/move/",
        views.milestone_move,
        name="milestone_move",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/done/",
        views.milestone_complete,
        name="milestone_complete",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/history/",
        views.milestone_history,
        name="milestone_history",
    ),
    path("<int:pk>/evidence/add/", views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<int:pk>/archive/", views.evidence_archive, name="evidence_archive"),
    path("evidence/<int:pk>/history/", views.evidence_history, name="evidence_history"),
    path("evidence/<int:pk>/upload/", views.attachment_upload, name="attachment_upload"),
    path(
        "attachments/<int:pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("attachments/<int:pk>/archive/", views.attachment_archive, name="attachment_archive"),
    path("", include("inspections.record_reading.urls")),
    path("", include("inspections.report.urls")),  # findings, evaluations, the published report
]
