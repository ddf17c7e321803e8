from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("my-areas/", views.my_areas, name="my_areas"),
    path("my-work/", views.my_work, name="my_work"),
    path("partnerships/<int:pk>/", views.partnership, name="partnership"),
]
