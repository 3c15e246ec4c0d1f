"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import path

from accounts.api import MeView, PersonViewSet
from cohorts.api import (
    ApplicationViewSet,
    AttendanceViewSet,
    CalendarFeedView,
    CohortViewSet,
    ExcuseViewSet,
    MembershipViewSet,
    SessionViewSet,
)
from core.api import Router
from courses.api import CourseViewSet, LessonViewSet, ProgressViewSet, SubmissionViewSet
from mentoring.api import GoalViewSet, MatchRoundViewSet, MeetingViewSet, MentorshipViewSet
from notifications.api import NotificationPreferenceViewSet, NotificationViewSet
from proposals.api import ProposalViewSet, ReviewAssignmentViewSet

router = Router()
router.register("people", PersonViewSet, basename="person")
router.register(
    "notification-preferences",
    NotificationPreferenceViewSet,
    basename="notification-preference",
)
router.register("notifications", NotificationViewSet, basename="notification")
router.register("courses", CourseViewSet, basename="course")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("progress", ProgressViewSet, basename="progress")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("applications", ApplicationViewSet, basename="application")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("sessions", SessionViewSet, basename="session")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("excuses", ExcuseViewSet, basename="excuse")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("review-assignments", ReviewAssignmentViewSet, basename="review-assignment")
router.register("mentorships", MentorshipViewSet, basename="mentorship")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("goals", GoalViewSet, basename="goal")
router.register("match-rounds", MatchRoundViewSet, basename="match-round")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/calendar/", CalendarFeedView.as_view(), name="calendar-feed"),
    *router.urls,
]
