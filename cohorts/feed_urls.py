"""The personal calendar feed address (outside the cohorts pages: calendar apps call it)."""

from django.urls import path

from . import feeds

app_name = "calendar"

urlpatterns = [
    path("<str:token>.ics", feeds.calendar_feed, name="feed"),
]
