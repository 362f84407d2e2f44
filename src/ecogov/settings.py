"""Django settings for EcoGov, read from the environment.

With no environment at all EcoGov runs in development mode on SQLite under ``var/``.
Production is ``ECOGOV_ENV=production`` plus ``SECRET_KEY``, ``DATABASE_URL`` and
``ALLOWED_HOSTS``; see ``.env.example``.
"""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_var_dir() -> Path:
    # In a source checkout (editable install) the data lives beside pyproject.toml;
    # an installed package keeps it in the working directory.
    checkout = PACKAGE_DIR.parents[1]
    base = checkout if (checkout / "pyproject.toml").exists() else Path.cwd()
    return base / "var"


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("", "True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use 'True' or 'False'")
    return value in ("True", "true", "1")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


ECOGOV_ENV = os.getenv("ECOGOV_ENV", "development")
if ECOGOV_ENV not in ("development", "production"):
    raise ImproperlyConfigured(
        f"Unexpected value ECOGOV_ENV={ECOGOV_ENV}, use 'production' or 'development'"
    )
PRODUCTION = ECOGOV_ENV == "production"

VAR_DIR = Path(os.getenv("ECOGOV_VAR_DIR", str(_default_var_dir())))


def _secret_key() -> str:
    key = os.getenv("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when ECOGOV_ENV=production")
    # Development: a random key kept under var/ so that sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", "False" if PRODUCTION else "True")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when ECOGOV_ENV=production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "ecogov.org",
    "ecogov.accounts",
    "ecogov.grid",
    "ecogov.holidays",
    "ecogov.plans",
    "ecogov.sources",
    "ecogov.patrols",
    "ecogov.cases",
    "ecogov.monitoring",
    "ecogov.supervision",
    "ecogov.suggestions",
    "ecogov.meetings",
    "ecogov.campaigns",
    "ecogov.rectification",
    "ecogov.sanctions",
    "ecogov.assess",
    "ecogov.enterprises",
    "ecogov.open311",
    "ecogov.disclosure",
    "ecogov.consultations",
    "ecogov.jobs",
    "ecogov.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "huey.contrib.djhuey",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (django-csp); uploads.serve sets its own.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Bodies over the limit answer 413 (counted against the client's budget).
    "ecogov.limits.BodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Cleans query strings and form posts; bad query parameters answer 400 (ecogov.params).
    "ecogov.web.middleware.CleanInputMiddleware",
    # Records who made each change in the audit history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a refused login of a locked-out account or client into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecogov.urls"
WSGI_APPLICATION = "ecogov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ecogov.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ecogov.sqlite3'}"),
        conn_max_age=int(os.getenv("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several processes (server, jobs, command line) share one SQLite file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins are counted by django-axes (first backend: it refuses a locked-out
# account or client before the password is checked); the admin login shares it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# An account is locked after this many wrong passwords in a row (from any client), a
# client after this many on any accounts (larger: an office may share one address), for
# the cool-off after the last failure. Locked-out attempts do not extend the cool-off, so
# the time the page names holds.
ECOGOV_LOGIN_FAILURES_PER_ACCOUNT = int(os.getenv("ECOGOV_LOGIN_FAILURES_PER_ACCOUNT", "5"))
ECOGOV_LOGIN_FAILURES_PER_CLIENT = int(os.getenv("ECOGOV_LOGIN_FAILURES_PER_CLIENT", "20"))
ECOGOV_LOGIN_COOLOFF_MINUTES = int(os.getenv("ECOGOV_LOGIN_COOLOFF_MINUTES", "15"))
AXES_HANDLER = "ecogov.accounts.lockout.LoginAttemptHandler"
AXES_FAILURE_LIMIT = ECOGOV_LOGIN_FAILURES_PER_ACCOUNT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "ecogov.accounts.lockout.cool_off"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "ecogov.limits.client_address"
AXES_LOCKOUT_CALLABLE = "ecogov.accounts.lockout.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False  # no banner on every command; our own log line names who is locked

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Simplified Chinese first; English through the language switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A request body beyond this (file uploads included) is refused with 413 unread.
ECOGOV_MAX_REQUEST_MB = int(os.getenv("ECOGOV_MAX_REQUEST_MB", "30"))

# Audit history is kept forever: nothing in EcoGov deletes historical records.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.getenv("SESSION_COOKIE_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    # Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
    _proxy_header = os.getenv("SECURE_PROXY_SSL_HEADER", "")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Map tiles are off by default: intranets have no internet. An intranet tile server
# can be configured, e.g. ECOGOV_MAP_TILES=https://tiles.example.gov/{z}/{x}/{y}.png
ECOGOV_MAP_TILES = os.getenv("ECOGOV_MAP_TILES", "")
# What the tile server's licence asks the map to say, e.g. "© OpenStreetMap contributors".
ECOGOV_MAP_ATTRIBUTION = os.getenv("ECOGOV_MAP_ATTRIBUTION", "")


def _tile_origin(template: str) -> list[str]:
    """The origin of a tile URL template for img-src (``{s}`` subdomains as ``*``)."""
    parts = urlsplit(template)
    if not (parts.scheme and parts.netloc):
        return []
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


# Content-Security-Policy (django-csp): scripts only from EcoGov's own static files, plus
# the inline blocks of our templates, each carrying the request's nonce
# (``nonce="{{ request.csp_nonce }}"``); no inline event handlers (static/ecogov/app.js).
# Styles allow 'unsafe-inline' for the style attributes that carry data colours (AQI,
# water classes) and depths; a style cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_tile_origin(ECOGOV_MAP_TILES)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Background and scheduled jobs (monthly dispatch, reminders): huey, run by
# `ecogov run_huey`. SQLite storage under var/ by default; Redis in production with
# HUEY_REDIS_URL=redis://…
_HUEY_REDIS_URL = os.getenv("HUEY_REDIS_URL", "")
HUEY = {
    "name": "ecogov",
    "huey_class": "huey.RedisHuey" if _HUEY_REDIS_URL else "huey.SqliteHuey",
    "immediate": envbool("HUEY_IMMEDIATE", "False"),
    "utc": False,  # crontab times are local (Asia/Shanghai): dispatch runs at 01:10 local
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if _HUEY_REDIS_URL:
    HUEY["url"] = _HUEY_REDIS_URL
else:
    HUEY["filename"] = str(VAR_DIR / "huey.sqlite3")

# Monthly dispatch (seed 004 §四.(三) 月调度): a month's progress is due on this working
# day of the following month; reminders go out this many working days before it.
ECOGOV_DISPATCH_DUE_WORKDAY = int(os.getenv("ECOGOV_DISPATCH_DUE_WORKDAY", "3"))
ECOGOV_DISPATCH_REMIND_BEFORE = int(os.getenv("ECOGOV_DISPATCH_REMIND_BEFORE", "2"))

# From this day of the year (MM-DD) the home page of administrators and dispatchers warns
# when next year's holiday table is not declared complete: the State Council publishes
# the arrangement in late October or November, and January's deadlines need it.
ECOGOV_HOLIDAYS_WARN_FROM = os.getenv("ECOGOV_HOLIDAYS_WARN_FROM", "10-01")
try:
    datetime.date.fromisoformat(f"2000-{ECOGOV_HOLIDAYS_WARN_FROM}")
except ValueError:
    raise ImproperlyConfigured(
        f"Unexpected value ECOGOV_HOLIDAYS_WARN_FROM={ECOGOV_HOLIDAYS_WARN_FROM}, use MM-DD"
    ) from None

# Cases: a report whose duty clause names one unit is assigned to it at once (the unit
# may return it); without this every report waits for a dispatcher's decision.
ECOGOV_CASES_AUTO_ASSIGN = envbool("ECOGOV_CASES_AUTO_ASSIGN", "True")
# Public reports per client and hour (portal abuse); refused submissions have their own,
# larger allowance; tracking-code lookups (page, form and API together) and ratings;
# request bodies over the limit elsewhere than on the report paths. See ecogov/limits.py.
ECOGOV_PUBLIC_REPORTS_PER_HOUR = int(os.getenv("ECOGOV_PUBLIC_REPORTS_PER_HOUR", "5"))
ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR = int(
    os.getenv("ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR", "30")
)
ECOGOV_PUBLIC_LOOKUPS_PER_HOUR = int(os.getenv("ECOGOV_PUBLIC_LOOKUPS_PER_HOUR", "30"))
ECOGOV_PUBLIC_RATINGS_PER_HOUR = int(os.getenv("ECOGOV_PUBLIC_RATINGS_PER_HOUR", "10"))
ECOGOV_OVERSIZED_REQUESTS_PER_HOUR = int(os.getenv("ECOGOV_OVERSIZED_REQUESTS_PER_HOUR", "10"))


def _trusted_proxies() -> list[str]:
    names = envlist("ECOGOV_TRUSTED_PROXIES", "")
    for name in names:
        try:
            ipaddress.ip_network(name, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"Unexpected value in ECOGOV_TRUSTED_PROXIES: {name!r}, use addresses or "
                "networks such as 127.0.0.1,10.0.0.0/8"
            ) from None
    return names


# The proxies whose X-Forwarded-For is believed (addresses or networks); empty: none,
# the connection's peer is the client.
ECOGOV_TRUSTED_PROXIES = _trusted_proxies()

# Online monitoring (HJ 212). The ingestion server: `ecogov hj212 serve`.
ECOGOV_HJ212_HOST = os.getenv("ECOGOV_HJ212_HOST", "127.0.0.1")
ECOGOV_HJ212_PORT = int(os.getenv("ECOGOV_HJ212_PORT", "9212"))
# Close a connection whose logger is unknown or gives a wrong password (else keep it).
ECOGOV_HJ212_CLOSE_ON_AUTH_FAILURE = envbool("ECOGOV_HJ212_CLOSE_ON_AUTH_FAILURE", "False")
# A connection that sends nothing for this many seconds is closed (half-open sockets too).
ECOGOV_HJ212_IDLE_SECONDS = int(os.getenv("ECOGOV_HJ212_IDLE_SECONDS", "600"))
# Accept the CRC-16/MODBUS many field loggers send instead of the standard's CRC.
ECOGOV_HJ212_CRC = os.getenv("ECOGOV_HJ212_CRC", "tolerant")
ECOGOV_MONITORING_FLAT_HOURS = int(os.getenv("ECOGOV_MONITORING_FLAT_HOURS", "6"))
ECOGOV_MONITORING_MISSING_HOURS = int(os.getenv("ECOGOV_MONITORING_MISSING_HOURS", "3"))
# Alarms of one point, pollutant and kind within this many hours are one alarm.
ECOGOV_MONITORING_MERGE_HOURS = int(os.getenv("ECOGOV_MONITORING_MERGE_HOURS", "24"))
# An alarm that occurred this many times (hours) becomes a case.
ECOGOV_MONITORING_CASE_AFTER = int(os.getenv("ECOGOV_MONITORING_CASE_AFTER", "3"))
# A missing-data alarm becomes a case after this many hours without data.
ECOGOV_MONITORING_CASE_AFTER_MISSING = int(os.getenv("ECOGOV_MONITORING_CASE_AFTER_MISSING", "24"))
# Minute and real-time readings (and their packets) are deleted after this many days;
# hourly and daily data are kept.
ECOGOV_MONITORING_MINUTE_DAYS = int(os.getenv("ECOGOV_MONITORING_MINUTE_DAYS", "30"))

# Supervision notices (reminders, escalations, new items) reach people in the app; with
# ECOGOV_NOTIFY_SMTP_HOST set (an intranet mail server) they go by e-mail too, to the
# people whose account has an address. ECOGOV_SITE_URL makes the links in e-mails absolute.
ECOGOV_NOTIFIERS = ["ecogov.supervision.notify.in_app"]
EMAIL_HOST = os.getenv("ECOGOV_NOTIFY_SMTP_HOST", "")
if EMAIL_HOST:
    ECOGOV_NOTIFIERS.append("ecogov.supervision.notify.email")
    EMAIL_PORT = int(os.getenv("ECOGOV_NOTIFY_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.getenv("ECOGOV_NOTIFY_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("ECOGOV_NOTIFY_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = envbool("ECOGOV_NOTIFY_SMTP_TLS", "False")
    DEFAULT_FROM_EMAIL = os.getenv("ECOGOV_NOTIFY_FROM", "ecogov@localhost")
    EMAIL_TIMEOUT = 10
ECOGOV_SITE_URL = os.getenv("ECOGOV_SITE_URL", "")

# Open311 GeoReport v2 at /open311/v2/: API keys that may post requests, comma-separated;
# empty: anyone may post, as on the portal.
ECOGOV_OPEN311_API_KEYS = envlist("ECOGOV_OPEN311_API_KEYS", "")

# How long a public page's version marker is reused within a process (seconds): under
# many readers the pages cost no query at all, and show data up to that much older.
ECOGOV_PUBLIC_FRESH_SECONDS = float(os.getenv("ECOGOV_PUBLIC_FRESH_SECONDS", "2"))

# Public consultation (征求意见). 《重大行政决策程序暂行条例》第十四条: the public comment
# period is generally not less than 30 days; a consultation cannot open for fewer days.
ECOGOV_CONSULTATION_MIN_DAYS = int(os.getenv("ECOGOV_CONSULTATION_MIN_DAYS", "30"))
ECOGOV_PUBLIC_COMMENTS_PER_HOUR = int(os.getenv("ECOGOV_PUBLIC_COMMENTS_PER_HOUR", "10"))
