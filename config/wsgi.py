"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def settle() -> int:
    """Put what a worker loads once and keeps (settings, apps, models, URL patterns) out of the
    cyclic garbage collector's reach: its full collections walked every one of those objects,
    a pause of about 130 ms every few hundred requests (bench/README.md, "Garbage collector").
    Garbage is collected first so that nothing freed is frozen. Returns the objects frozen."""
    get_resolver().url_patterns  # noqa: B018 - loads the URL patterns, kept for the process
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


settle()
