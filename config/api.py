"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import MeView, PersonViewSet
from notifications.api import NotificationViewSet

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("people", PersonViewSet, basename="person")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
