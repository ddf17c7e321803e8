from django.urls import path

from . import msg_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("<int:pk>/archive/", views.partnership_archive, name="archive"),
    path("<int:pk>/history/", views.partnership_history, name="history"),
    path("<int:pk>/contacts/add/", views.contact_create, name="contact_create"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/archive/",
        views.contact_archive,
        name="contact_archive",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/history/",
        views.contact_history,
        name="contact_history",
    ),
    # The MSG self-evaluation (seed 002).
    path("<int:pk>/msg/", msg_views.msg_round_list, name="msg_rounds"),
    path("<int:pk>/msg/compare/", msg_views.msg_compare, name="msg_compare"),
    path("msg/national/", msg_views.msg_national, name="msg_national"),
    path("msg/<int:round_pk>/", msg_views.msg_round_detail, name="msg_detail"),
    path("msg/<int:round_pk>/ratings/", msg_views.msg_round_edit, name="msg_edit"),
    path("msg/<int:round_pk>/submit/", msg_views.msg_round_submit, name="msg_submit"),
    path("msg/<int:round_pk>/history/", msg_views.msg_round_history, name="msg_history"),
    path("msg/ratings/<int:rating_pk>/validate/", msg_views.msg_validation, name="msg_validate"),
    path(
        "msg/ratings/<int:rating_pk>/history/",
        msg_views.msg_rating_history,
        name="msg_rating_history",
    ),
]
