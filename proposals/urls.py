"""Proposal pages. `proposals:detail` (one `pk`) is where notifications about a proposal point."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/<int:pk>/", views.showcase_item, name="showcase_item"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("cohort/<int:pk>/new/", views.create, name="create"),
    path("cohort/<int:pk>/", views.manage, name="manage"),
    path("cohort/<int:pk>/assign/", views.assign, name="assign"),
    path("cohort/<int:pk>/rubric/", views.rubric, name="rubric"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/do/<slug:action>/", views.transition, name="transition"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/invitation/", views.respond, name="respond"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/notes/", views.note, name="note"),
    path("<int:pk>/implementation/", views.implementation, name="implementation"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
