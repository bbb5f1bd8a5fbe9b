"""Django settings for giamngheo.

Everything that differs between a laptop and a server comes from the environment:

- ``DATABASE_URL``: PostgreSQL (``postgres://user@host:5432/name``); unset means SQLite at
  ``<repo>/var/giamngheo.sqlite3``.
- ``SECRET_KEY``: required when ``DEBUG`` is off.
- ``DEBUG``: ``1``/``0`` (default ``1`` for local work).
- ``ALLOWED_HOSTS``: comma-separated, added to ``localhost`` and ``127.0.0.1``.
- ``GIAMNGHEO_VAR_DIR``: where runtime files live (default ``<repo>/var``): the SQLite database and
  the collected static files (``var/static``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SITE_DIR = Path(__file__).resolve().parent  # src/giamngheo/site
PACKAGE_DIR = SITE_DIR.parent  # src/giamngheo
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root
VAR_DIR = Path(os.environ.get("GIAMNGHEO_VAR_DIR", BASE_DIR / "var"))
STATIC_ROOT = VAR_DIR / "static"  # filled by ``collectstatic``, served by WhiteNoise
# Uploaded files (progress-report attachments): served only through views that check who may see them,
# never under MEDIA_URL (there is no route for it).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/tep/"
# A plan's import draft posts one field per kept row and column: a 100-task plan needs well over
# Django's default 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Security ----------------------------------------------------------------------------------------
DEBUG = _env_bool("DEBUG", default=True)
_DEV_SECRET_KEY = "django-insecure-giamngheo-local-development-only-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = ["localhost", "127.0.0.1"] + [
    host.strip() for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()
]

# --- Applications ------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "giamngheo.accounts",
    "giamngheo.geo",
    "giamngheo.registry",
    "giamngheo.review",
    "giamngheo.reports",
    "giamngheo.planning",
    "giamngheo.support",
    "giamngheo.jobs",
    "giamngheo.api",
    "ninja",  # serves its own Swagger UI / Redoc files from static/ (nothing from a CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamngheo.site.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "giamngheo.site.urls"
WSGI_APPLICATION = "giamngheo.site.wsgi.application"
ASGI_APPLICATION = "giamngheo.site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "giamngheo.site.context_processors.navigation",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------------
_DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: the pages' queries are short index lookups, but on a million households
        # a query the planner costs high (a province's count) spent 300-450 ms compiling for nothing.
        # random_page_cost 1.1 (SSD storage, the default 4 assumes spinning disks): with 4 the planner
        # scanned all 3 million review entries instead of the round's index, 190-530 ms against 25-35 ms
        # for one round's results (benchmarks/dashboard.py).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "giamngheo.sqlite3"),
            "OPTIONS": {
                # Writers queue instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, formats -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the choice made with the VI/EN switch is kept for a year
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["giamngheo.site.formats"]

# --- Static files ------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
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

# --- Logging (English, to the console) ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own loggers print once, through the same handler, in production too.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Background jobs (công việc chạy nền, ``giamngheo.jobs``) ----------------------------------------
# The queue is a table (django-tasks-db, the backport of Django 6's tasks), on SQLite or PostgreSQL.
# ``GIAMNGHEO_JOBS_WORKER``: ``thread`` (default) runs queued jobs in a thread of ``manage.py runserver``,
# so ``make run`` needs no second process; other processes (gunicorn) leave them to
# ``manage.py jobs_worker``. ``external``: only ``jobs_worker`` runs them. ``inline``: each job runs in the
# process that submits it, right after the commit (tests).
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_WORKER = os.environ.get("GIAMNGHEO_JOBS_WORKER", "").strip() or "thread"
