from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read_all"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("notifications/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    # For calendar programs: no session; the secret link is the key.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
