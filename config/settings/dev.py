"""Local development and the demo that `make run` serves: e-mails to the console, the product's own
error pages (DEBUG off unless DEBUG=1; tracebacks still go to the console through the root
logger), static files served by WhiteNoise from the source folders."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# The local demo: seed_demo may load its accounts (they share a published password), and course
# covers are served by the app itself.
DEMO = True
# In the demo, new accounts can sign in before confirming their address (the link is printed
# on the console); production makes verification mandatory.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")

# Static files straight from the source folders (no collectstatic, no manifest), served by
# WhiteNoise with DEBUG off as on: `make run` and a bare `manage.py runserver` both work.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
