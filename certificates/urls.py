from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/issuer/", views.issuer, name="issuer"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/json/", views.verify_json, name="verify_json"),
    path("verify/<str:code>/credential/", views.check_credential, name="check_credential"),
    path("certificates/", views.mine, name="mine"),
    path("certificates/<id:pk>/download/", views.download, name="download"),
    path("certificates/<id:pk>/badge/", views.badge, name="badge"),
    path("certificates/cohort/<id:cohort_id>/", views.manage, name="manage"),
    path("certificates/cohort/<id:cohort_id>/issue/<id:user_id>/", views.issue, name="issue"),
    path("certificates/cohort/<id:cohort_id>/revoke/<id:pk>/", views.revoke, name="revoke"),
    path("certificates/cohort/<id:cohort_id>/bulk/", views.bulk, name="bulk"),
    path(
        "certificates/cohort/<id:cohort_id>/retry-renders/",
        views.retry_renders,
        name="retry_renders",
    ),
    path("certificates/cohort/<id:cohort_id>/progress/", views.progress, name="progress"),
]
