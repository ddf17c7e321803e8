"""Record reading pages, included in the inspections namespace: names are
"inspections:record_reading_*"."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/record-reading/", views.sample, name="record_reading_sample"),
    path("<int:pk>/record-reading/add/", views.record_add, name="record_reading_add"),
    path(
        "<int:pk>/record-reading/add-many/",
        views.records_add_bulk,
        name="record_reading_add_bulk",
    ),
    path("<int:pk>/record-reading/results/", views.results, name="record_reading_results"),
    path("record-reading/<int:pk>/", views.record_entry, name="record_reading_record"),
    path("record-reading/<int:pk>/reader/", views.record_assign, name="record_reading_assign"),
    path("record-reading/<int:pk>/remove/", views.record_archive, name="record_reading_archive"),
    path("record-reading/<int:pk>/history/", views.record_history, name="record_reading_history"),
]
