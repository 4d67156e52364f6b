"""Django settings for ParkLink, read from the environment.

`DATABASE_URL` picks the database (default: a SQLite file under the project's `var/`).
`PARKLINK_DEBUG=1` turns on debug mode; outside debug mode `SECRET_KEY` is required.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("PARKLINK_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("PARKLINK_VAR", PROJECT_DIR / "var")).resolve()


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    """A comma-separated variable ("a.org, b.org") as a list, spaces and empty items dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("PARKLINK_DEBUG", default=False)
# The test suite needs no secret; it never serves real users.
TESTING = env_flag("PARKLINK_TESTING") or "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when PARKLINK_DEBUG is off "
            "(set PARKLINK_DEBUG=1 for development)."
        )
    SECRET_KEY = "parklink-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (["*"] if DEBUG else ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form refused by the CSRF check gets the 403 page in the user's language, with its request id.
CSRF_FAILURE_VIEW = "parklink.core.error_pages.csrf_failure"
# Outside debug mode the session and CSRF cookies are sent over HTTPS only, so a login cannot
# be sniffed on the way; a plain-HTTP intranet install turns this off explicitly.
SECURE_COOKIES = env_flag("PARKLINK_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES

# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto: trust
# that header for "is this request HTTPS" (only when the proxy overwrites it; docs/deploy.md).
if env_flag("PARKLINK_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain-HTTP requests are redirected to HTTPS, except the health checks a load balancer sends.
SECURE_SSL_REDIRECT = env_flag("PARKLINK_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# HSTS: browsers refuse plain HTTP to this host for that many seconds (0: no header).
SECURE_HSTS_SECONDS = int(os.environ.get("PARKLINK_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("PARKLINK_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("PARKLINK_HSTS_PRELOAD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver, too, serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Serves Swagger UI's files from this installation (/static/ninja/), not from a CDN.
    "ninja",
    "simple_history",
    "axes",
    # Background work (imports): django-tasks, with django-tasks-db keeping the queue in the
    # database; `parklink db_worker` runs it.
    "django_tasks",
    "django_tasks_db",
    "parklink.core",
    "parklink.regions",
    "parklink.accounts",
    "parklink.attachments",
    "parklink.reminders",
    "parklink.parks",
    "parklink.enterprises",
    "parklink.projects",
    "parklink.engagements",
    "parklink.cobuild",
    "parklink.chains",
    "parklink.positioning",
    "parklink.intel",
    "parklink.matching",
    "parklink.kpi",
    "parklink.web",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id; slow requests are logged.
    "parklink.core.observability.RequestLogging",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A service's Forbidden or NotFound that leaves a view becomes the page's 403 or 404.
    "parklink.core.views.ServiceErrors",
    # Report and dashboard pages read from the replica when one is configured.
    "parklink.core.replica.ReplicaReads",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parklink.urls"
WSGI_APPLICATION = "parklink.wsgi.application"
# Django's form renderer with the plain widgets built in Python (core/form_renderer.py).
FORM_RENDERER = "parklink.core.form_renderer.Renderer"
ASGI_APPLICATION = "parklink.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parklink.web.context_processors.navigation",
                "parklink.core.observability.request_id_context",
            ],
            # `{% form_field %}` everywhere, as the field template it replaces needed no load.
            "builtins": ["parklink.core.templatetags.fields"],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'parklink.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a transaction takes the write lock when it begins. Under the default (DEFERRED)
    # a transaction that reads and then writes fails at once with "database is locked" when
    # another request wrote in between, instead of waiting its turn for up to `timeout` seconds.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

# A read replica (PostgreSQL streaming replication): report and dashboard pages
# (PARKLINK_REPLICA_VIEWS) read from it, everything else uses the primary (core/replica.py).
PARKLINK_READ_REPLICA = ""
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    PARKLINK_READ_REPLICA = "replica"
PARKLINK_REPLICA_VIEWS = env_list("PARKLINK_REPLICA_VIEWS") or ["home", "projects:export"]
DATABASE_ROUTERS = ["parklink.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"

MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"


def storage_backend(url: str) -> dict[str, object]:
    """`STORAGES["default"]` from PARKLINK_STORAGE_URL: empty = MEDIA_ROOT on this disk,
    `s3://BUCKET/PREFIX?endpoint_url=…&region_name=…` = an S3-compatible bucket (the `s3`
    extra: django-storages + boto3; keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            f"PARKLINK_STORAGE_URL must be empty or s3://BUCKET[/PREFIX][?options], not {url!r}"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options: dict[str, object] = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for key in ("endpoint_url", "region_name", "addressing_style", "signature_version"):
        if key in query:
            options[key] = query[key]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# Static files: collected into STATIC_ROOT (`parklink collectstatic`, part of `make install`)
# with content-hashed names and gzip copies (brotli too where the brotli package is installed),
# served by WhiteNoise with a year's cache.
# The tests render pages without collecting first, so they keep Django's plain storage.
STORAGES = {
    "default": storage_backend(os.environ.get("PARKLINK_STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if not DEBUG else 0
if TESTING:
    STATIC_ROOT = None  # nothing collected: WhiteNoise has no folder to watch

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Project ageing (三类三色): months without progress before a project turns yellow, red,
# and is proposed for removal. Organisations may override these in the admin.
PARKLINK_AGEING_YELLOW_MONTHS = int(os.environ.get("PARKLINK_AGEING_YELLOW_MONTHS", "2"))
PARKLINK_AGEING_RED_MONTHS = int(os.environ.get("PARKLINK_AGEING_RED_MONTHS", "3"))
PARKLINK_AGEING_REMOVAL_MONTHS = int(os.environ.get("PARKLINK_AGEING_REMOVAL_MONTHS", "6"))

# The dashboard after a write (docs/deploy.md): the figures from before it are shown, with the
# time they were computed, while one background task recomputes them; never longer than this
# many seconds after the write (then the request computes them itself). 0: always at once.
PARKLINK_DASHBOARD_STALE_SECONDS = int(os.environ.get("PARKLINK_DASHBOARD_STALE_SECONDS", "60"))

# The day projects are judged on (ageing, overdue milestones, the dashboard's year): unset is
# the real local date; `make run` sets the demo's data date (YYYY-MM-DD) so its ageing means
# something. Shown on the dashboard as 数据截至 ….
PARKLINK_TODAY = (
    date.fromisoformat(os.environ["PARKLINK_TODAY"]) if os.environ.get("PARKLINK_TODAY") else None
)

# Imports (docs/development.md, "Settings"): the largest file, rows, cell, unpacked .xlsx and
# compression ratio an import accepts, checked before the file is parsed or while streaming.
# The import page stops at the synchronous row limit, which a request checks in a few seconds.
PARKLINK_IMPORT_MAX_BYTES = int(os.environ.get("PARKLINK_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
PARKLINK_IMPORT_MAX_ROWS = int(os.environ.get("PARKLINK_IMPORT_MAX_ROWS", "50000"))
PARKLINK_IMPORT_SYNC_MAX_ROWS = int(os.environ.get("PARKLINK_IMPORT_SYNC_MAX_ROWS", "10000"))
PARKLINK_IMPORT_MAX_CELL_CHARS = int(os.environ.get("PARKLINK_IMPORT_MAX_CELL_CHARS", "10000"))
PARKLINK_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("PARKLINK_IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024))
)
PARKLINK_IMPORT_MAX_COMPRESSION_RATIO = int(
    os.environ.get("PARKLINK_IMPORT_MAX_COMPRESSION_RATIO", "100")
)

# The client address that login and API throttling count: REMOTE_ADDR, unless this many
# trusted reverse proxies stand in front and append to X-Forwarded-For (see core/clients.py).
PARKLINK_PROXY_COUNT = int(os.environ.get("PARKLINK_PROXY_COUNT", "0"))

# Login throttling (django-axes): after this many failed logins within the lockout time, the
# account and, separately, the address are refused for that long after the last failure.
AXES_FAILURE_LIMIT = int(os.environ.get("PARKLINK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PARKLINK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # only failures are kept, not a record of every login
AXES_CLIENT_IP_CALLABLE = "parklink.core.clients.client_address"
AXES_LOCKOUT_CALLABLE = "parklink.accounts.lockout.lockout_response"

# API bearer tokens: after this many unknown or revoked tokens from one address, that address
# gets 429 until this many minutes have passed since its last bad token. Counted in the cache
# (per process by default; several processes need a shared CACHES backend).
PARKLINK_API_TOKEN_FAILURE_LIMIT = int(os.environ.get("PARKLINK_API_TOKEN_FAILURE_LIMIT", "20"))
PARKLINK_API_TOKEN_LOCKOUT_MINUTES = int(os.environ.get("PARKLINK_API_TOKEN_LOCKOUT_MINUTES", "15"))

# Background tasks: queued in the database and run by `parklink db_worker`; the tests run
# each task at once, inside the request that enqueues it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Attachments (docs/attachments.md): the largest file accepted, and the kinds of file accepted,
# named by what their bytes are sniffed as (pdf, ofd, docx, xlsx, pptx, doc, xls, ppt, jpeg,
# png, gif, webp, txt, csv, zip); HTML, SVG and programs are refused whatever this says.
PARKLINK_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("PARKLINK_ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024))
)
PARKLINK_ATTACHMENT_TYPES = env_list("PARKLINK_ATTACHMENT_TYPES") or [
    *("pdf", "ofd", "docx", "xlsx", "pptx", "doc", "xls", "ppt"),
    *("jpeg", "png", "gif", "webp", "txt", "csv"),
]

# Reminders (docs/reminders.md): digests by email through Django's email backends. Empty: the
# console backend (development: printed, nothing sent); smtp://USER:PASSWORD@HOST:PORT
# (STARTTLS with ?tls=1) or smtps://USER:PASSWORD@HOST:PORT (TLS from the start) sends them.
PARKLINK_EMAIL_URL = os.environ.get("PARKLINK_EMAIL_URL", "")


def email_backend(url: str) -> dict[str, object]:
    """EMAIL_* settings from PARKLINK_EMAIL_URL (user and password percent-encoded)."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"PARKLINK_EMAIL_URL must be empty, smtp://… or smtps://…, not {parts.scheme}://…"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and query.get("tls") in {"1", "true", "yes"},
        "EMAIL_TIMEOUT": 20,
    }


globals().update(email_backend(PARKLINK_EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("PARKLINK_EMAIL_FROM", "ParkLink <noreply@localhost>")
# The address links in digests and robot messages start with (`parklink demo` names it too).
PARKLINK_SITE_URL = os.environ.get("PARKLINK_URL", "http://127.0.0.1:8000/")
# Seconds a group robot's webhook (WeCom, DingTalk) may take to answer before the delivery
# counts as failed (it is tried again on the next run).
PARKLINK_WEBHOOK_TIMEOUT = int(os.environ.get("PARKLINK_WEBHOOK_TIMEOUT", "10"))
# Robot addresses never reach the server's own network (loopback, private, link-local such as
# cloud metadata) and redirects are not followed; hosts listed here (comma-separated names or
# addresses, e.g. an intranet robot gateway) are allowed even though they are internal.
PARKLINK_WEBHOOK_INTERNAL_HOSTS = [
    h.strip().lower()
    for h in os.environ.get("PARKLINK_WEBHOOK_INTERNAL_HOSTS", "").split(",")
    if h.strip()
]

# Shared state: Django's cache (sessions, throttling counters, cached aggregates).
# PARKLINK_CACHE_URL: empty or locmem:// = this process only (one process, development);
# redis://HOST:PORT/DB (or rediss://) = Redis, shared by every process and machine;
# db:// = the database's table `parklink_cache` (`parklink createcachetable`), shared without
# Redis. Sessions live in the database, and are also cached in Redis when it is configured.
PARKLINK_CACHE_URL = os.environ.get("PARKLINK_CACHE_URL", "")


def cache_backend(url: str) -> dict[str, object]:
    scheme = urlsplit(url).scheme
    if not url or scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "parklink",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "parklink_cache",
        }
    raise ImproperlyConfigured(
        f"PARKLINK_CACHE_URL must be empty, locmem://, db:// or redis://…, not {url!r}"
    )


CACHES = {"default": cache_backend(PARKLINK_CACHE_URL)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Read from Redis, written through to the database: nobody is logged out if Redis restarts.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Production server (`parklink serve`, gunicorn): address, worker processes (0: twice the
# cores plus one), seconds a request may take before its worker is replaced.
PARKLINK_BIND = os.environ.get("PARKLINK_BIND", "127.0.0.1:8000")
PARKLINK_WORKERS = int(os.environ.get("PARKLINK_WORKERS", "0"))
PARKLINK_TIMEOUT = int(os.environ.get("PARKLINK_TIMEOUT", "60"))

# Readiness: a task worker (`parklink worker`) counts as running while its heartbeat, written
# every PARKLINK_HEARTBEAT_SECONDS, is younger than PARKLINK_WORKER_STALE_SECONDS.
PARKLINK_HEARTBEAT_SECONDS = int(os.environ.get("PARKLINK_HEARTBEAT_SECONDS", "15"))
PARKLINK_WORKER_STALE_SECONDS = int(os.environ.get("PARKLINK_WORKER_STALE_SECONDS", "90"))
# Whether /readyz requires a worker at all (a web-only machine of a larger installation may
# leave the check to the workers' own monitoring).
PARKLINK_READY_NEEDS_WORKER = env_flag("PARKLINK_READY_NEEDS_WORKER", default=True)

# Backups (`parklink backup`): where archives go and how many are kept; the folder holding
# pg_dump/pg_restore when they are not the ones on PATH (their major version must be at least
# the server's).
PARKLINK_BACKUP_DIR = Path(os.environ.get("PARKLINK_BACKUP_DIR", VAR_DIR / "backups"))
PARKLINK_BACKUP_KEEP = int(os.environ.get("PARKLINK_BACKUP_KEEP", "14"))
PARKLINK_PG_BIN = os.environ.get("PARKLINK_PG_BIN", "")

# Logs: one line per event on standard error, as JSON objects (`json`) or readable text
# (`text`); every line names the request it belongs to. Requests slower than
# PARKLINK_SLOW_REQUEST_MS and queries slower than PARKLINK_SLOW_QUERY_MS are logged as
# warnings (0 turns either off).
PARKLINK_LOG_FORMAT = os.environ.get("PARKLINK_LOG_FORMAT", "text")
if PARKLINK_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"PARKLINK_LOG_FORMAT must be json or text, not {PARKLINK_LOG_FORMAT!r}"
    )
PARKLINK_SLOW_REQUEST_MS = int(os.environ.get("PARKLINK_SLOW_REQUEST_MS", "1000"))
PARKLINK_SLOW_QUERY_MS = int(os.environ.get("PARKLINK_SLOW_QUERY_MS", "200"))
PARKLINK_LOG_REQUESTS = env_flag("PARKLINK_LOG_REQUESTS")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO" if not TESTING else "WARNING")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "parklink.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "parklink.core.observability.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": PARKLINK_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own request errors go to the root handler once (with the traceback).
        "django": {"level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # django-axes announces itself at INFO in every process; only its warnings matter.
        "axes": {"level": "WARNING", "propagate": True},
    },
}

if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Fast hashing keeps fixtures that create many users cheap; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A second alias for the router's tests: the same test database under another connection
    # (a test mirror); nothing is routed to it unless a test sets PARKLINK_READ_REPLICA.
    if "replica" not in DATABASES:
        DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
