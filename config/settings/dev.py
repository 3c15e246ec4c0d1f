"""Local development and the demo that `make run` serves: DEBUG on, e-mails to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# In the demo, new accounts can sign in before confirming their address (the link is printed
# on the console); production makes verification mandatory.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
