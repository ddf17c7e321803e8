from django.urls import path

from . import engagement_views, msg_views, views

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
    # Link-inspector engagement (seed 001): the log, risks found and good practice.
    path("engagement/", engagement_views.engagement_list, name="engagement_list"),
    path("engagement/add/", engagement_views.engagement_create, name="engagement_create"),
    path("engagement/<int:pk>/", engagement_views.engagement_detail, name="engagement_detail"),
    path("engagement/<int:pk>/edit/", engagement_views.engagement_edit, name="engagement_edit"),
    path(
        "engagement/<int:pk>/archive/",
        engagement_views.engagement_archive,
        name="engagement_archive",
    ),
    path(
        "engagement/<int:pk>/history/",
        engagement_views.engagement_history,
        name="engagement_history",
    ),
    path(
        "engagement/<int:pk>/follow-risk/",
        engagement_views.engagement_follow_risk,
        name="engagement_follow_risk",
    ),
    path(
        "engagement/<int:pk>/risks/add/",
        engagement_views.link_risk_create,
        name="link_risk_create",
    ),
    path(
        "engagement/<int:pk>/good-practice/add/",
        engagement_views.good_practice_create,
        name="good_practice_create",
    ),
    path("link-risks/", engagement_views.link_risk_list, name="link_risk_list"),
    path("link-risks/<int:pk>/", engagement_views.link_risk_detail, name="link_risk_detail"),
    path("link-risks/<int:pk>/edit/", engagement_views.link_risk_edit, name="link_risk_edit"),
    path("link-risks/<int:pk>/close/", engagement_views.link_risk_close, name="link_risk_close"),
    path("link-risks/<int:pk>/reopen/", engagement_views.link_risk_reopen, name="link_risk_reopen"),
    path(
        "link-risks/<int:pk>/archive/",
        engagement_views.link_risk_archive,
        name="link_risk_archive",
    ),
    path(
        "link-risks/<int:pk>/history/",
        engagement_views.link_risk_history,
        name="link_risk_history",
    ),
    path("good-practice/", engagement_views.good_practice_list, name="good_practice_list"),
    path(
        "good-practice/<int:pk>/",
        engagement_views.good_practice_detail,
        name="good_practice_detail",
    ),
    path(
        "good-practice/<int:pk>/edit/",
        engagement_views.good_practice_edit,
        name="good_practice_edit",
    ),
    path(
        "good-practice/<int:pk>/archive/",
        engagement_views.good_practice_archive,
        name="good_practice_archive",
    ),
    path(
        "good-practice/<int:pk>/history/",
        engagement_views.good_practice_history,
        name="good_practice_history",
    ),
]
