from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        # Importing the services registers this app's notification kinds (the e-mail worker
        # renders them by key).
        from . import services  # noqa: F401
