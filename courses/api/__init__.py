"""The courses API (/api/v1/courses/, lessons/, submissions/, progress/)."""

from .views import CourseViewSet, LessonViewSet, ProgressViewSet, SubmissionViewSet

__all__ = ["CourseViewSet", "LessonViewSet", "ProgressViewSet", "SubmissionViewSet"]
