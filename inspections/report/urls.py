"""Report pages, included into the inspections namespace ("inspections:finding_list", ...)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/findings/", views.finding_list, name="finding_list"),
    path("<int:pk>/findings/add/", views.finding_create, name="finding_create"),
    path("<int:pk>/findings/<int:finding_pk>/", views.finding_detail, name="finding_detail"),
    path("<int:pk>/findings/<int:finding_pk>/edit/", views.finding_edit, name="finding_edit"),
    path("<int:pk>/findings/<int:finding_pk>/agree/", views.finding_agree, name="finding_agree"),
    path(
        "<int:pk>/findings/<int:finding_pk>/archive/",
        views.finding_archive,
        name="finding_archive",
    ),
    path(
        "<int:pk>/findings/<int:finding_pk>/history/",
        views.finding_history,
        name="finding_history",
    ),
    path("<int:pk>/evaluations/", views.evaluation_list, name="evaluation_list"),
    path(
        "<int:pk>/evaluations/<int:indicator_pk>/",
        views.evaluation_detail,
        name="evaluation_detail",
    ),
    path("<int:pk>/factual-accuracy/", views.fa_list, name="fa_list"),
    path("<int:pk>/factual-accuracy/add/", views.fa_create, name="fa_create"),
    path("<int:pk>/factual-accuracy/<int:comment_pk>/edit/", views.fa_edit, name="fa_edit"),
    path(
        "<int:pk>/factual-accuracy/<int:comment_pk>/respond/",
        views.fa_respond,
        name="fa_respond",
    ),
    path(
        "<int:pk>/factual-accuracy/<int:comment_pk>/archive/",
        views.fa_archive,
        name="fa_archive",
    ),
    path(
        "<int:pk>/factual-accuracy/<int:comment_pk>/history/",
        views.fa_history,
        name="fa_history",
    ),
    path("<int:pk>/published/", views.published, name="published"),
    path("<int:pk>/published/<int:number>/", views.published, name="published_version"),
    path("<int:pk>/published/correct/", views.published_correct, name="published_correct"),
]
