"""Production settings as the benchmark serves them: the same middleware, templates, cache and
database code paths, with only what a loopback load run cannot work with changed.

The runner sends `X-Forwarded-Proto: https`, as the TLS proxy in front of production does, so the
HTTPS redirect, HSTS and secure cookies stay exactly as in production. The environment sets
MFA_REQUIRED_FOR_PRIVILEGED=False so that the manager persona can use a plain session."""

from config.settings.production import *  # noqa: F403
from config.settings.production import CACHES, REST_FRAMEWORK, VAR_DIR

# The API throttles stay in the stack (their cache reads and writes are measured) but with rates
# no benchmark reaches: production's 600 requests/min per person would answer 429 within seconds.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/min", "user": "100000000/min"},
}

# Own collected static files and cache keys, apart from anything else on the machine.
STATIC_ROOT = VAR_DIR / "bench" / "static"
CACHES = {"default": {**CACHES["default"]}}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["KEY_PREFIX"] = "ishtar-bench"
else:
    CACHES["default"]["LOCATION"] = str(VAR_DIR / "bench" / "cache")

# The certificate verify page's limit against guessing codes stays in the stack, out of reach.
CERTIFICATES_VERIFY_LIMIT = 100_000_000
