"""Settings of the KITZ-Portal, configured from the environment.

With no environment at all the portal runs embedded: SQLite, Celery tasks run
eagerly and e-mail goes to the console. Production sets DJANGO_DEBUG=0 and the
variables listed in the README ("Sicherheit und Betrieb").
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A fixed key is only acceptable for the embedded development run.
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="insecure-development-key-only-for-the-embedded-run" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "csp",
    "django_filters",
    "kitz_portal",
    "accounts",
    "handlungsfelder",
    "applications",
    "networks",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kitz_portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecurityMiddleware",
    "kitz_portal.middleware.StaffPagesInGermanMiddleware",
]

ROOT_URLCONF = "kitz_portal.urls"
WSGI_APPLICATION = "kitz_portal.wsgi.application"

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
                "kitz_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env(
        "DATABASE_TEST_NAME", default="test_kitz_portal"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("English")),
    # Offered on the applicant side; staff pages stay German (kitz_portal.middleware).
    ("ar", _("Arabisch")),
    ("uk", _("Ukrainisch")),
    ("ru", _("Russisch")),
    ("tr", _("Türkisch")),
    ("fa", _("Farsi")),
    ("fa-af", _("Dari")),
]
# Django has no locale data for Dari; its catalogue lives in locale/fa_AF and falls back to Farsi.
LANG_INFO.update({"fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"}})
# Languages staff pages are shown in; in any other language they are shown in German.
STAFF_LANGUAGES = ["de", "en"]
# locale/ is ours (make messages); locale_overrides/ holds formal German ("Sie") for allauth.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Ids and years stay plain (URLs, e-mails); amounts are grouped explicitly by kitz_portal.money.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["kitz_portal.formats"]

# Static files and uploads (uploads are private: never under STATIC_ROOT, never served directly)
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body: a few 10 MB uploads plus the form; larger ones get 413 before reading.
PORTAL_MAX_REQUEST_SIZE = env.int("PORTAL_MAX_REQUEST_SIZE", default=32 * 1024 * 1024)

# E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Another backend class (e.g. a file sink on a test or staging machine) by its dotted path.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="KITZ-Portal <kitz@schleswig-flensburg.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when a broker is configured, eager tasks otherwise
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A safety net for memory that native libraries (Pango, Fontconfig) keep: a worker process
# whose resident memory passes this many KiB is replaced after its current task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=500_000)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Publishing must fail fast when the broker is down; the outbox resends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "resend-pending-notifications": {
        "task": "accounts.tasks.resend_pending_notifications",
        "schedule": 300.0,
    },
    "remind-information-requests": {
        "task": "applications.tasks.remind_information_requests",
        "schedule": 3600.0,
    },
    "remind-usage-reports": {
        "task": "applications.tasks.remind_usage_reports",
        "schedule": 3600.0,
    },
    "remind-upcoming-network-meetings": {
        "task": "networks.tasks.send_meeting_reminders",
        "schedule": 3600.0,
    },
    "remind-overdue-network-tasks": {
        "task": "networks.tasks.send_overdue_task_reminders",
        "schedule": 6 * 3600.0,
    },
    "extend-network-meeting-series": {
        "task": "networks.tasks.extend_meeting_series",
        "schedule": 24 * 3600.0,
    },
    "apply-retention-periods": {
        "task": "privacy.tasks.apply_retention_periods",
        "schedule": 24 * 3600.0,
    },
}

# Data protection: closed cases are anonymised this many years after closing; drafts
# untouched for DRAFT_RETENTION_DAYS are deleted, with a warning DRAFT_WARNING_DAYS before.
PORTAL_RETENTION_YEARS = env.int("PORTAL_RETENTION_YEARS", default=10)
PORTAL_DRAFT_RETENTION_DAYS = env.int("PORTAL_DRAFT_RETENTION_DAYS", default=365)
PORTAL_DRAFT_WARNING_DAYS = env.int("PORTAL_DRAFT_WARNING_DAYS", default=30)
# Basiszinssatz nach § 247 BGB in percent, for the interest rule of a Widerrufsbescheid.
PORTAL_BASE_RATE = env.str("PORTAL_BASE_RATE", default="1.27")

# Accounts (django-allauth): e-mail login, mandatory confirmation, rate limits on
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    # The public feedback form of the Erklärung zur Barrierefreiheit (kitz_portal.views).
    "accessibility_feedback": env("PORTAL_ACCESSIBILITY_FEEDBACK_RATE_LIMIT", default="5/10m/ip"),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KITZ-Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "KITZ-Portal"

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = ("kern",)
CRISPY_TEMPLATE_PACK = "kern"
CRISPY_FAIL_SILENTLY = not DEBUG

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Security defaults; the production values are switched on with DJANGO_DEBUG=0.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Staff work with personal data: a second factor is mandatory and idle sessions end.
PORTAL_STAFF_MFA_REQUIRED = env.bool("PORTAL_STAFF_MFA_REQUIRED", default=not DEBUG)
PORTAL_STAFF_IDLE_TIMEOUT_SECONDS = env.int("PORTAL_STAFF_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# Public pages for anonymous visitors are kept rendered this long at most (0 = off); a change
# of what they show makes them stale at once (kitz_portal/public_cache.py).
PORTAL_PUBLIC_PAGE_CACHE_SECONDS = env.int("PORTAL_PUBLIC_PAGE_CACHE_SECONDS", default=300)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Portal facts shown in letters and pages
PORTAL_DEMO_PASSWORD = "Kitz-Demo-2026"
# Feedback on barriers (Erklärung zur Barrierefreiheit) goes here; empty: to the administrators.
PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL = env("PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
