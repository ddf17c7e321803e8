from django.urls import path

from . import views

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
]
