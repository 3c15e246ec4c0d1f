from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from cohorts import dashboard
        from courses import snapshots

        from . import bulk, notifications, services

        notifications.register_kinds()
        # A course completed late in an ended cohort may complete the last requirement.
        snapshots.register_listener(bulk.course_progress_changed)
        # The cohort dashboard shows who is issued, eligible or missing what.
        dashboard.register_column("certificate", _("Certificate"), services.certificate_column)
