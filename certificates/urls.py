from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/issuer/", views.issuer, name="issuer"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>/json/", views.verify_json, name="verify_json"),
    path("verify/<str:code>/credential/", views.check_credential, name="check_credential"),
    path("certificates/", views.mine, name="mine"),
    path("certificates/<int:pk>/download/", views.download, name="download"),
    path("certificates/<int:pk>/badge/", views.badge, name="badge"),
    path("certificates/cohort/<int:cohort_id>/", views.manage, name="manage"),
    path("certificates/cohort/<int:cohort_id>/issue/<int:user_id>/", views.issue, name="issue"),
    path("certificates/cohort/<int:cohort_id>/revoke/<int:pk>/", views.revoke, name="revoke"),
    path("certificates/cohort/<int:cohort_id>/bulk/", views.bulk, name="bulk"),
    path("certificates/cohort/<int:cohort_id>/progress/", views.progress, name="progress"),
]
