"""Settings for the Maydan web tool, read from the environment.

With nothing set, it runs the embedded default: SQLite under ./var, local-memory cache,
debug on for 127.0.0.1. Production sets DJANGO_DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (PostgreSQL).
"""
import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

from maydan.tasks import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MAYDAN_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or ("maydan-insecure-development-key" if DEBUG else None)
if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY when DJANGO_DEBUG=0.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
MAYDAN_BASE_URL = os.environ.get("MAYDAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where the sandbox platform answers: the same site (MAYDAN_BASE_URL) if empty; its own server in the benchmarks,
# so that the tool's workers serve only the tool.
MAYDAN_SANDBOX_URL = os.environ.get("MAYDAN_SANDBOX_URL", "").rstrip("/")
# Platform keys and configurations are fetched over HTTPS only, except on a development machine.
MAYDAN_LTI_ALLOW_HTTP = os.environ.get("MAYDAN_LTI_ALLOW_HTTP", "1" if DEBUG else "0") == "1"
# First retry of an undelivered grade after this many seconds, doubling each time (up to an hour).
MAYDAN_GRADE_RETRY_SECONDS = float(os.environ.get("MAYDAN_GRADE_RETRY_SECONDS", "10"))
# If set, dynamic registration needs ?key=<this> in the registration URL an administrator pastes.
# Without a key it is open only on a development machine: the tool fetches the address it is given.
MAYDAN_LTI_REGISTRATION_KEY = os.environ.get("MAYDAN_LTI_REGISTRATION_KEY", "")
MAYDAN_LTI_OPEN_REGISTRATION = DEBUG
# The sandbox platform and the XBlock workbench let anyone act as anyone: the demo only.
MAYDAN_DEMO_SITES = os.environ.get("MAYDAN_DEMO_SITES", "1" if DEBUG else "0") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "maydan",
    "lti_tool",
    "workbench",
]
# Open edX's submissions app (the `openedx` extra): the Open edX gradebook channel's store when
# the blocks run here (workbench, tests); inside the LMS it is already installed.
if find_spec("submissions") is not None:
    INSTALLED_APPS.append("submissions")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's own, left out for the LTI tool's requests, which no cookie proves (lti_tool/middleware.py).
    "lti_tool.middleware.SessionMiddleware",
    "lti_tool.middleware.LocaleMiddleware",
    "lti_tool.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "lti_tool.middleware.AuthenticationMiddleware",
    "lti_tool.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lti_tool.urls"
WSGI_APPLICATION = "lti_tool.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'maydan.sqlite3'}", conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0"))
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers wait for each other instead of failing with "database is locked".
    # WAL: readers never block the writer, so the web workers and the grade worker share the file
    # without waiting on each other's reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

# The cache holds LTI states and nonces: Django's default cull at 300 entries would drop pending
# launches as soon as a few hundred people launch within the nonce lifetime.
_CULL = {"MAX_ENTRIES": 100_000}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": _CULL}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "lti_tool.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
elif os.environ.get("MAYDAN_CACHE") == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "maydan_cache",
                          "OPTIONS": _CULL}}

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "maydan" / "conf" / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Cairo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
# Uploaded files (readiness documents, a course's logo, a scenario's media) are kept here through the
# storage API and never served as they are: they leave only through views that check who asks.
# Production may name another storage (MAYDAN_DOCUMENT_STORAGE, README) or place (MAYDAN_MEDIA_ROOT).
MEDIA_ROOT = Path(os.environ.get("MAYDAN_MEDIA_ROOT") or VAR_DIR / "files")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# LTI launches arrive from another site inside an iframe. The one cookie that must survive
# that is pylti1p3's login state (SameSite=None; Secure, set by pylti1p3 itself); launched
# screens carry a signed context instead of a session, and their forms need no CSRF cookie
# (see lti_tool.context). Django's own cookies serve first-party pages only (admin, demo
# sites), so they stay SameSite=Lax: no other site can send them along.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "0" if DEBUG else "1") == "1"
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True

# The xblock-sdk workbench, mounted at /workbench/ for the demo and the tests.
WORKBENCH = {
    "reset_state_on_restart": False,
    "services": {"user": "xblocks.demo.RoleUserService"},
}
EXCLUDED_XBLOCKS = set()
# The workbench mounts its own admin beside ours.
SILENCED_SYSTEM_CHECKS = ["urls.W005"]

# E-mail (notifications): SMTP from the environment; any django-anymail provider through EMAIL_BACKEND.
# Without EMAIL_HOST a development machine writes e-mails under var/mail (and the demo shows them at /demo/outbox/).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("EMAIL_HOST") or not DEBUG
    else "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "maydan@localhost")
# First retry of an e-mail the server refused after this many seconds, doubling each time (up to an hour).
MAYDAN_MAIL_RETRY_SECONDS = float(os.environ.get("MAYDAN_MAIL_RETRY_SECONDS", "30"))

# Background and scheduled work on Celery with Redis as broker (CELERY_BROKER_URL, or REDIS_URL in production).
# Without a broker (the demo, the tests) tasks run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or ("" if DEBUG else os.environ.get("REDIS_URL", ""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
# A broker that cannot be reached must not hold a web request: the rows wait for the next scheduled round.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    **beat_schedule(digest_seconds=float(os.environ.get("MAYDAN_DIGEST_SECONDS", "3600"))),
    "lti-deliver-grades": {"task": "lti_tool.deliver_grades", "schedule": 30.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
