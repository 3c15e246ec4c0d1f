from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("cohorts/<int:pk>/round/", views.round_page, name="round"),
    path("cohorts/<int:pk>/load/", views.mentor_load, name="load"),
    path("rounds/<int:pk>/pin/", views.round_pin, name="round_pin"),
    path("rounds/<int:pk>/forbid/", views.round_forbid, name="round_forbid"),
    path("rounds/<int:pk>/rerun/", views.round_rerun, name="round_rerun"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("mentees/", views.my_mentees, name="my_mentees"),
    path("my-mentor/", views.my_mentor, name="my_mentor"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship"),
    path("mentorships/<int:pk>/accept/", views.mentorship_accept, name="accept"),
    path("mentorships/<int:pk>/decline/", views.mentorship_decline, name="decline"),
    path("mentorships/<int:pk>/meetings/", views.mentorship_meeting, name="meeting"),
    path("mentorships/<int:pk>/goals/", views.mentorship_goal, name="goal"),
    path("mentorships/<int:pk>/fit/", views.mentorship_fit, name="fit"),
    path("profile/", views.mentor_profile, name="profile"),
    path("intake/<int:pk>/", views.intake, name="intake"),
]
