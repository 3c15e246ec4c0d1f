"""Proposal pages. `proposals:detail` (one `pk`) is where notifications about a proposal point."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/<id:pk>/", views.showcase_item, name="showcase_item"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("cohort/<id:pk>/new/", views.create, name="create"),
    path("cohort/<id:pk>/", views.manage, name="manage"),
    path("cohort/<id:pk>/assign/", views.assign, name="assign"),
    path("cohort/<id:pk>/rubric/", views.rubric, name="rubric"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/compare/", views.compare, name="compare"),
    path("<id:pk>/do/<slug:action>/", views.transition, name="transition"),
    path("<id:pk>/attachments/", views.attach, name="attach"),
    path("<id:pk>/invite/", views.invite, name="invite"),
    path("<id:pk>/invitation/", views.respond, name="respond"),
    path("<id:pk>/decide/", views.decide, name="decide"),
    path("<id:pk>/notes/", views.note, name="note"),
    path("<id:pk>/implementation/", views.implementation, name="implementation"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("photos/<id:pk>/", views.photo, name="photo"),
]
