"""Settings shared by every profile. Values that differ per deployment come from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    # Our apps, in dependency order: accounts <- courses <- cohorts <- mentoring; certificates
    # reads the others; core and notifications are leaves everyone may use.
    "core",
    "notifications",
    "accounts",
    "courses",
    "cohorts",
    "mentoring",
    "proposals",
    "certificates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.middleware.FormErrorStatusMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
            ],
            "builtins": ["core.templatetags.dates"],
        },
    },
]
# Django's form renderer, with the common widgets written in Python (core.widgets).
FORM_RENDERER = "core.widgets.PythonWidgets"

# --- Data stores -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that a Celery worker process can see what the tests commit.
    DATABASES["default"]["TEST"] = {
        "NAME": env("SQLITE_TEST_NAME", default=str(VAR_DIR / "test.sqlite3"))
    }
    # Writers queue for the lock instead of failing with "database is locked" when two requests
    # (or the web server and the worker) write at once; production uses PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: the pages' queries are short, and a query whose estimated cost
        # passes jit_above_cost (the dashboard's figures of a large cohort, with their
        # subqueries) spent a second compiling for 30 ms of work (bench/README.md).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        # Parameters bound by the server, and a query run a few times on a connection prepared
        # there: PostgreSQL parses and plans it once per connection instead of on every request.
        # DB_PREPARE=off turns both off (a pooler in transaction mode cannot keep them).
        if env.bool("DB_PREPARE", default=True):
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ishtar",
        }
    }
else:
    # Embedded default: a file cache is shared by the web server and the worker process, which
    # allauth's rate limits need (a per-process memory cache would let each process count apart).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, reading the signed-in person faster (accounts.backends).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# allauth counts attempts in the default cache (Redis when configured).
ACCOUNT_RATE_LIMITS = {
    # Per account (key) tightly, per IP generously: trainees sign in together behind one venue
    # Wi-Fi address, and one person's typos must not lock out the others.
    "login_failed": "60/5m/ip,5/5m/key",
    # Every sign-in attempt, right or wrong: a whole venue signs in within a minute or two.
    "login": "200/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# App clients (phones, scripts) sign in through allauth's headless API under /_allauth/app/v1/
# (with its two-factor flow) and send the session token it returns as X-Session-Token.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app",)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ishtar LMS"
# Managers and staff must enrol a second factor before using the site (production turns it on).
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=False)

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Baghdad"
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Requests bigger than this are refused with a 400 before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Assignment files and lesson PDFs: checked by courses.files (file bodies are not counted by
# DATA_UPLOAD_MAX_MEMORY_SIZE; bigger uploads spill to a temporary file, then are refused).
COURSES_MAX_UPLOAD_BYTES = env.int("COURSES_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ishtar LMS <no-reply@ishtar.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers that hold in every profile -----------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous request gets 401 with a WWW-Authenticate header.
        "accounts.mfa.TokenAuthentication",
        "accounts.mfa.SessionTokenAuthentication",
        "accounts.mfa.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ishtar Youth Leadership LMS API",
    "DESCRIPTION": "Cohorts, courses, mentoring and initiatives of the Ishtar Center's youth track.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Ids in paths (core.converters.IdConverter): whole numbers a database key column holds.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},
    # Several models have a "status" or "role": name each app's choice sets explicitly.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "accounts.models.User.Role",
        "CohortStatusEnum": "cohorts.models.Cohort.Status",
        "CohortMembershipRoleEnum": "cohorts.models.Membership.Role",
        "CohortMembershipStatusEnum": "cohorts.models.Membership.Status",
        "ApplicationStatusEnum": "cohorts.models.Application.Status",
        "ApplicationDecisionEnum": "cohorts.api.serializers.DECISION_CHOICES",
        "AttendanceStatusEnum": "cohorts.models.Attendance.Status",
        "ExcuseStatusEnum": "cohorts.models.ExcuseRequest.Status",
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "SessionModeEnum": "cohorts.models.Session.Mode",
        "NotificationPreferenceModeEnum": "notifications.models.Preference.Mode",
        "MatchRoundStatusEnum": "mentoring.models.MatchRound.Status",
    },
}

# --- Celery ------------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # How long Redis waits before handing an unacknowledged message (its worker died) to
        # another worker. Longer than the longest task (refresh_progress_snapshots: 30 min hard
        # limit) and than any countdown plus run (e-mail retries: at most 10 + 1.5 min), or a
        # running or waiting message is delivered twice. E-mails do not wait for it: their lease
        # expires after 90 s and the sweep re-enqueues them (notifications.tasks).
        "visibility_timeout": 40 * 60,
    }
else:
    # Embedded default: a broker in plain files under var/, shared by the web process and a real
    # worker process that `make run` starts, so tasks really execute without Redis.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Tasks are written to be idempotent, so a message whose worker died is redelivered and run again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    # E-mails whose worker died (expired lease) or whose enqueue failed go out again.
    "sweep-notification-emails": {
        "task": "notifications.tasks.sweep_notification_emails",
        "schedule": 60,
    },
    # Reminders (docs/decisions/005-reminders.md): every app's scans, the deliveries whose
    # message was lost or whose quiet hours ended, and the daily digest at 08:00 Baghdad.
    "run-reminder-scans": {
        "task": "notifications.tasks.run_reminder_scans",
        "schedule": 5 * 60,
    },
    "sweep-reminder-deliveries": {
        "task": "notifications.tasks.sweep_reminder_deliveries",
        "schedule": 60,
    },
    "send-daily-digests": {
        "task": "notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    "purge-read-notifications": {
        "task": "notifications.tasks.purge_old_notifications",
        "schedule": 60 * 60 * 24,
    },
    # Recount the dashboard's stored figures from the records, at night (decision 002).
    "refresh-progress-snapshots": {
        "task": "cohorts.tasks.refresh_progress_snapshots",
        "schedule": crontab(hour=3, minute=15),
    },
    # Announcements, certificate PDFs and bulk runs whose message was lost (the broker could not
    # be reached after commit, or the worker died) are enqueued again.
    "sweep-announcements": {
        "task": "cohorts.tasks.sweep_announcements",
        "schedule": 2 * 60,
    },
    "sweep-unfinished-certificates": {
        "task": "certificates.sweep_unfinished",
        "schedule": 5 * 60,
    },
    # Issue the certificates of everyone who completed a cohort and has none yet.
    "sweep-certificates": {
        "task": "certificates.sweep_certificates",
        "schedule": crontab(hour=3, minute=45),
    },
}
# Ed25519 private key (PEM) signing Open Badges credentials; empty: a key derived from
# SECRET_KEY, fine for development and tests only.
CERTIFICATES_SIGNING_KEY = env("CERTIFICATES_SIGNING_KEY", default="")
# Lookups of the public verify page per address per minute (a guard against guessing codes).
CERTIFICATES_VERIFY_LIMIT = 30
# Days on which non-urgent reminders wait for the next working day's 08:00 (Python weekdays:
# Monday 0 ... Sunday 6; Friday by default). Nothing is sent 22:00-08:00 Baghdad time.
NOTIFICATIONS_WEEKEND_DAYS = tuple(env.list("NOTIFICATIONS_WEEKEND_DAYS", cast=int, default=[4]))
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Identifies this deployment in e-mails and the certificate footer.
SITE_NAME = _("Ishtar Youth Leadership")
# Absolute address used in e-mails sent outside a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
