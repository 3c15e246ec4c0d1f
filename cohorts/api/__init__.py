"""The cohorts API (see views/); config/api.py registers the viewsets."""

from .views import *  # noqa: F403 - the viewsets, listed in views.__all__
from .views import __all__  # noqa: F401
