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
    path("<id:pk>/", views.cohort_detail, name="detail"),
    path("<id:pk>/apply/", views.apply, name="apply"),
    path(
        "<id:pk>/application/withdraw/",
        views.withdraw_application,
        name="withdraw_application",
    ),
    path("<id:pk>/my-attendance/", views.my_attendance, name="my_attendance"),
    path("sessions/<id:pk>/check-in/", views.check_in, name="check_in"),
    path("sessions/<id:pk>/excuse/", views.request_excuse, name="request_excuse"),
    # Running a cohort (its managers).
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.cohort_create, name="create"),
    path("<id:pk>/manage/", views.manage_cohort, name="manage_cohort"),
    path("<id:pk>/edit/", views.cohort_edit, name="edit"),
    path("<id:pk>/status/", views.change_status, name="change_status"),
    path("<id:pk>/curriculum/", views.curriculum, name="curriculum"),
    path(
        "<id:pk>/curriculum/<id:item_pk>/remove/",
        views.curriculum_remove,
        name="curriculum_remove",
    ),
    path("<id:pk>/curriculum/<id:item_pk>/move/", views.curriculum_move, name="curriculum_move"),
    path("<id:pk>/questions/", views.questions, name="questions"),
    path("<id:pk>/applications/", views.applications, name="applications"),
    path("<id:pk>/applications/bulk/", views.applications_bulk, name="applications_bulk"),
    path("<id:pk>/applications/export/", views.applications_export, name="applications_export"),
    path("applications/<id:pk>/", views.application, name="application"),
    path("applications/<id:pk>/decide/", views.application_decide, name="application_decide"),
    path("<id:pk>/members/", views.members, name="members"),
    path("members/<id:pk>/withdraw/", views.member_withdraw, name="member_withdraw"),
    path("members/<id:pk>/reinstate/", views.member_reinstate, name="member_reinstate"),
    path("<id:pk>/announcements/", views.announcements, name="announcements"),
    path("<id:pk>/reminders/", reminder_log, name="reminder_log"),
    path("<id:pk>/sessions/", views.sessions, name="sessions"),
    path("<id:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<id:pk>/sessions/series/", views.session_series, name="session_series"),
    path("<id:pk>/excuses/", views.excuses, name="excuses"),
    path("<id:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<id:pk>/dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path(
        "<id:pk>/dashboard/trainees/<id:user_id>/",
        views.dashboard_trainee,
        name="dashboard_trainee",
    ),
    # Taking attendance (the session's facilitator and the cohort's managers).
    path("sessions/<id:pk>/", views.session_detail, name="session"),
    path("sessions/<id:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<id:pk>/rotate-code/", views.session_rotate_code, name="session_rotate_code"),
    path("sessions/<id:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("sessions/<id:pk>/import/", views.session_import, name="session_import"),
    path("excuses/<id:pk>/decide/", views.excuse_decide, name="excuse_decide"),
]
