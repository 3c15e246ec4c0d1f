from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = _("Ishtar Youth Leadership — administration")
admin.site.site_title = _("Ishtar administration")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("courses/", include("courses.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("calendar/", include("cohorts.feed_urls")),
    path("proposals/", include("proposals.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("", include("certificates.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("certificates.api_urls", "certificates_api"))),
    path("api/v1/", include(("config.api", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.DEBUG or getattr(settings, "DEMO", False):
    # Only course covers are public imagery; submissions and resources are personal or
    # restricted and are served by views that check access, never from a public folder.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}courses/covers/(?P<path>.*)$",
            serve,
            {"document_root": f"{settings.MEDIA_ROOT}/courses/covers"},
        )
    ]
