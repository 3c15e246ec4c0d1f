from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("cohorts/<id:pk>/round/", views.round_page, name="round"),
    path("cohorts/<id:pk>/load/", views.mentor_load, name="load"),
    path("rounds/<id:pk>/pin/", views.round_pin, name="round_pin"),
    path("rounds/<id:pk>/forbid/", views.round_forbid, name="round_forbid"),
    path("rounds/<id:pk>/rerun/", views.round_rerun, name="round_rerun"),
    path("rounds/<id:pk>/publish/", views.round_publish, name="round_publish"),
    path("mentees/", views.my_mentees, name="my_mentees"),
    path("my-mentor/", views.my_mentor, name="my_mentor"),
    path("mentorships/<id:pk>/", views.mentorship_detail, name="mentorship"),
    path("mentorships/<id:pk>/accept/", views.mentorship_accept, name="accept"),
    path("mentorships/<id:pk>/decline/", views.mentorship_decline, name="decline"),
    path("mentorships/<id:pk>/meetings/", views.mentorship_meeting, name="meeting"),
    path("mentorships/<id:pk>/goals/", views.mentorship_goal, name="goal"),
    path("mentorships/<id:pk>/fit/", views.mentorship_fit, name="fit"),
    path("profile/", views.mentor_profile, name="profile"),
    path("intake/<id:pk>/", views.intake, name="intake"),
]
