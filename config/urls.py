from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("health/", include("operations.urls")),
    path("background/", include("operations.background_urls")),
    path("audit/", include("audit.urls")),
    path("oversight/", include("timescales.urls")),
    path("indicators/", include("indicators.urls")),
    path("exploitation/", include("exploitation.urls")),
    path("returns/", include("returns.urls")),
    path("plans/", include("plans.urls")),
    path("audits/", include("audits.urls")),
    path("partnership/", include("partnership.urls")),
    path("children/", include("children.urls")),
    path("governance/", include("governance.urls")),
    path("", include("web.urls")),
]

handler403 = "web.views.forbidden"
handler404 = "web.views.not_found"
handler500 = "web.views.server_error"
