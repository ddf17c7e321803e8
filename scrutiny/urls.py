from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health, views

admin.site.site_header = "Scrutiny administration"
admin.site.site_title = "Scrutiny administration"
admin.site.index_title = "Reference data and records"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("inspections/", include("inspections.urls")),
    path("co-operation/", include("cooperation.urls")),
    path("improvement/", include("improvement.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("", include("notifications.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("scrutiny.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "scrutiny.views.bad_request"
handler403 = "scrutiny.views.permission_denied"
handler404 = "scrutiny.views.page_not_found"
handler500 = "scrutiny.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("__errors__/<int:code>/", views.error_preview)]
