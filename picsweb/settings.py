"""picsweb settings: one file, every knob an environment variable.

With nothing set it runs on an embedded default (SQLite in WAL mode, a Celery broker on the
filesystem, email to the console) so `make run` needs no server. `DATABASE_URL`,
`CELERY_BROKER_URL` and `EMAIL_HOST` switch to PostgreSQL, Redis and SMTP. See the README for the
full table.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in ("true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")
    return raw.lower() in ("true", "1")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("PICSWEB_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The port `make run` serves on (PORT=8103 make run): links in emails point there by default.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "picsweb.apps.PicswebAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_filters",
    "axes",
    "simple_history",
    "picsweb",
    "learners",
    "ilr_exports",
    "payments",
    "regcert",
    "progress_apply",
    "demo",
]
# Widgets render through TEMPLATES, so templates/ may override one (the admin's date and time
# boxes get labels: templates/admin/widgets/split_datetime.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "picsweb.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "picsweb.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "picsweb.access.AccessMiddleware",
    "progress_apply.middleware.FirstLogInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "picsweb.middleware.StatementTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "picsweb.urls"
WSGI_APPLICATION = "picsweb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "picsweb.context_processors.navigation",
                "picsweb.context_processors.page_messages",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, else SQLite in WAL mode so the web process and the
# worker can write without "database is locked" on every job.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES: dict[str, Any] = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "picsweb.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds the password reset counts: Redis (CACHE_URL) so every web process shares
# them; else each process has its own memory cache.
CACHE_URL = env_str("CACHE_URL", "")
CACHES: dict[str, Any] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Web requests only (picsweb.db.use_web_statement_timeout, from wsgi.py): PostgreSQL cancels a
# statement running longer than this; 0 turns it off. The worker has no such limit.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 30_000)
# Every search box, on pages and in the admin: its cost grows with its words (two prefix
# matches each); a name, an LRN or a ULN fits well inside these (picsweb.search).
SEARCH_MAX_CHARS = env_int("SEARCH_MAX_CHARS", 100)
SEARCH_MAX_WORDS = env_int("SEARCH_MAX_WORDS", 5)

# One password rule for staff and portal learners (seed 003 §3.4): 6-20 characters, at least
# one letter and one digit or symbol; common passwords and ones like the username refused.
# The seed's rule for everyone, staff and learners (6-20 characters, a letter, a digit or
# symbol), with its message: a password a manager may issue is one the learner may choose.
# Guessing is bounded by the lock-out after LOGIN_FAILURE_LIMIT failures (django-axes).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "progress_apply.rules.PortalPasswordValidator"},
]
# Portal learners log in with the password they were issued (kept encrypted, not hashed,
# until their first log-in) as well as a hashed one; usernames match ignoring case.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account before the password check
    "progress_apply.auth.PortalBackend",  # Django's ModelBackend, plus the above
]
# Sign-in throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords lock the account (by
# username, from any client) until a superuser unlocks it (admin: Access attempts, or
# `manage.py axes_reset_username NAME`) or the password is reset through the emailed link.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "picsweb.accounts.axes_username"
AXES_COOLOFF_TIME = None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "picsweb.accounts.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # no table of every sign-in's address and browser
# axes.W006 asks for ip_address among the lockout parameters, against a lock that a rotating
# client dodges; ours follows the account from any client, and locking an IP address until a
# superuser acts would lock out a whole college behind one NAT address after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Password reset emails: at most this many per address and per client in each window.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 1)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 5)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 15 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views
STORAGES: dict[str, Any] = {
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: SMTP when EMAIL_HOST is set, else the console (or EMAIL_BACKEND if given).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "picsweb <noreply@picsweb.localhost>")
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# Celery: Redis from CELERY_BROKER_URL, else a filesystem broker that needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    # The embedded broker is a folder: make it so the web process can queue before the
    # worker has started.
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_queue_dir),
            "data_folder_out": str(_queue_dir),
            "processed_folder": str(VAR_DIR / "celery" / "processed"),
            "store_processed": False,
            # Its exchange tables too (kombu's default is ./control, in the checkout).
            "control_folder": str(VAR_DIR / "celery" / "control"),
        }
    )
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_RESULT_BACKEND = None  # the Job row is the truth, not a result backend
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 30 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 35 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ["default", "imports", "exports"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Security when not in DEBUG. Behind a TLS proxy (BEHIND_TLS_PROXY), plain HTTP is redirected
# to HTTPS and browsers are told to keep to HTTPS (HSTS, sent on HTTPS responses only).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# A signed-in session lasts a working day.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a decision for the owner of the whole domain (it is submitted to the browsers'
# list by hand); SECURE_HSTS_PRELOAD turns the header's part on when they have made it.
SILENCED_SYSTEM_CHECKS += ["security.W021"]

# Imports: the largest file accepted at the door.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# A request body above this is refused (413) from its Content-Length before it is read: the
# largest import plus room for the form's other fields and the multipart framing.
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals": {"()": "picsweb.logs.NoTracebackForRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["refusals"]},
    },
}

# Jobs: a running job whose worker has not reported for this long is failed.
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 15 * 60)
# A running job's worker writes a heartbeat this often, whatever the job is doing (waiting
# for a lock, writing a file), so only jobs whose worker died look stale.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 60)
# Celery beat (`make run`, the compose `beat` service) sweeps stale jobs this often...
JOB_SWEEP_SECONDS = env_int("JOB_SWEEP_SECONDS", 60)
# ...and removes the files (uploads, results) of jobs that finished this many days ago.
FILE_RETENTION_DAYS = env_int("FILE_RETENTION_DAYS", 30)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "sweep-stale-jobs": {
        "task": "picsweb.sweep_stale_jobs",
        "schedule": float(JOB_SWEEP_SECONDS),
        "options": {"queue": "default", "expires": JOB_SWEEP_SECONDS},
    },
    "remove-expired-files": {
        "task": "picsweb.remove_expired_files",
        "schedule": 3600.0,
        "options": {"queue": "default", "expires": 3600},
    },
}
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# The key that encrypts portal learners' issued passwords until their first log-in (a Fernet
# key: 32 url-safe base64-encoded bytes); derived from SECRET_KEY when not set.
PORTAL_CREDENTIALS_KEY = env_str("PORTAL_CREDENTIALS_KEY", "")
# Staff account verification links (seed 003 §1.4) last this many days.
PORTAL_VERIFICATION_DAYS = env_int("PORTAL_VERIFICATION_DAYS", 7)
# Downloads of more rows than this (learners, registrations) run as a job.
DIRECT_DOWNLOAD_LIMIT = env_int("DIRECT_DOWNLOAD_LIMIT", 500)
# Imports: what a file may hold. Reading an XLSX runs in a process of its own limited to
# IMPORT_MEMORY_LIMIT_MB, so a hostile workbook fails its job instead of the worker.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 32_767)  # Excel's own limit
IMPORT_MEMORY_LIMIT_MB = env_int("IMPORT_MEMORY_LIMIT_MB", 1024)
