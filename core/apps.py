from django.apps import AppConfig
from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _


def _forget_fixed_parts(**kwargs):
    """A setting changed at run time (tests: static files, URLs, languages) may change what a
    `{% fixed %}` part or a blank form renders: render each afresh."""
    from .templatetags import fixed, form_fields

    fixed.forget()
    form_fields.forget()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter
        from .pgqueries import cache_long_queries

        register_converter(IdConverter, "id")
        cache_long_queries()
        setting_changed.connect(_forget_fixed_parts, dispatch_uid="core.forget_fixed_parts")
