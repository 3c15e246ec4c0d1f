"""The certificates routes under /api/v1/ (kept in this app; config/urls.py includes them)."""

from rest_framework.routers import DefaultRouter

from .api import CertificateViewSet

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.include_root_view = False
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = router.urls
