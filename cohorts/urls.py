"""Cohort pages. The names the rest of the product links to: `cohorts:detail` (one `pk`, the
cohort's own page, where notifications about it point) and `cohorts:mine`."""

from django.urls import path

from . import views
from .views.reminder_log import reminder_log

app_name = "cohorts"

urlpatterns = [
    # Public, and a member's own pages.
    path("", views.cohort_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/rotate/", views.calendar_rotate, name="calendar_rotate"),
    path("<int:pk>/", views.cohort_detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path(
        "<int:pk>/application/withdraw/",
        views.withdraw_application,
        name="withdraw_application",
    ),
    path("<int:pk>/my-attendance/", views.my_attendance, name="my_attendance"),
    path("sessions/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("sessions/<int:pk>/excuse/", views.request_excuse, name="request_excuse"),
    # Running a cohort (its managers).
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.cohort_create, name="create"),
    path("<int:pk>/manage/", views.manage_cohort, name="manage_cohort"),
    path("<int:pk>/edit/", views.cohort_edit, name="edit"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/curriculum/", views.curriculum, name="curriculum"),
    path(
        "<int:pk>/curriculum/<int:item_pk>/remove/",
        views.curriculum_remove,
        name="curriculum_remove",
    ),
    path("<int:pk>/curriculum/<int:item_pk>/move/", views.curriculum_move, name="curriculum_move"),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/applications/", views.applications, name="applications"),
    path("<int:pk>/applications/bulk/", views.applications_bulk, name="applications_bulk"),
    path("<int:pk>/applications/export/", views.applications_export, name="applications_export"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("<int:pk>/members/", views.members, name="members"),
    path("members/<int:pk>/withdraw/", views.member_withdraw, name="member_withdraw"),
    path("members/<int:pk>/reinstate/", views.member_reinstate, name="member_reinstate"),
    path("<int:pk>/announcements/", views.announcements, name="announcements"),
    path("<int:pk>/reminders/", reminder_log, name="reminder_log"),
    path("<int:pk>/sessions/", views.sessions, name="sessions"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/sessions/series/", views.session_series, name="session_series"),
    path("<int:pk>/excuses/", views.excuses, name="excuses"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path(
        "<int:pk>/dashboard/trainees/<int:user_id>/",
        views.dashboard_trainee,
        name="dashboard_trainee",
    ),
    # Taking attendance (the session's facilitator and the cohort's managers).
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/rotate-code/", views.session_rotate_code, name="session_rotate_code"),
    path("sessions/<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("sessions/<int:pk>/import/", views.session_import, name="session_import"),
    path("excuses/<int:pk>/decide/", views.excuse_decide, name="excuse_decide"),
]
