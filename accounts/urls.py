from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("people/", views.people, name="people"),
    path("people/<id:pk>/", views.person_detail, name="person"),
    path("people/<id:pk>/role/", views.set_role, name="set_role"),
]
