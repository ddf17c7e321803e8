from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("new/", views.report_request, name="request"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
