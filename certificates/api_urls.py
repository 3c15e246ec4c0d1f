"""The certificates routes under /api/v1/ (kept in this app; config/urls.py includes them)."""

from core.api import Router

from .api import CertificateViewSet

router = Router()
router.include_root_view = False
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = router.urls
