"""Settings for tcdash. Every environment variable is read in the block at the top (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _flag(name, default="0"):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def _list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Environment: the only place the process environment is read. -----------------------------
# Without SECRET_KEY the key below, marked insecure, lets tests and management commands run; the web
# app itself (tcdash/wsgi.py: `make serve`, runserver) refuses it unless DEBUG is on.
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-key-do-not-use-in-production"
DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# A yearly file by country (100,000 rows, about 7.2 MB as CSV) fits the default.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(16 * 1024 * 1024)))
# Where cached responses live: `locmem://` (each process its own, the default), `redis://host:port/db`
# (one cache shared by every app server), or `dummy://` (no caching).
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
# An office may require that whoever publishes a release is not the person who uploaded it.
REQUIRE_SEPARATE_PUBLISHER = _flag("REQUIRE_SEPARATE_PUBLISHER")
# HTTPS, usually behind a proxy that terminates TLS (README: Production).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("SECURE_COOKIES")
# Trust the proxy's header saying the request came over HTTPS, e.g. "X-Forwarded-Proto". Only set it
# when a proxy you run sets (and overwrites) that header: a client could send it itself otherwise.
_PROXY_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
# Mail (for password reset): without EMAIL_HOST no mail is sent and reset is not offered.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", "1")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tcdash@localhost")
# Sign-in throttling: this many failures for one username, or from one address, pause its sign-in.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_COOLOFF_MINUTES", "15")))
# -----------------------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_HEADER.upper().replace("-", "_"), "https") if _PROXY_HEADER else None
# A load balancer's health check may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
EMAIL_CONFIGURED = bool(EMAIL_HOST)
if not EMAIL_CONFIGURED:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "funding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "funding.middleware.SecurityHeadersMiddleware",
    "funding.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, the header built once
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /healthz whatever the Host header (a load balancer's probe by address), before anything reads it.
    "funding.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed); never on pages with a CSRF token (BREACH).
    "funding.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "funding.languages.FirstVisitLanguageMiddleware",
    "funding.middleware.AdminNulMiddleware",  # in the address's language: its 400 is worded in it
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, so an undeclared method is told 405 rather than a missing token 403.
    "funding.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the cool-off page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tcdash.urls"
WSGI_APPLICATION = "tcdash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "funding.languages.languages",
                "funding.provenance.sources",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# A connection is kept a minute between requests, and checked before a request reuses it: one closed
# since (PostgreSQL restarted, a proxy's idle timeout) is opened again, not used for a 500.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that accepts connections and answers nothing (a host gone behind a proxy) fails a
    # request in 5 s instead of holding it, and /healthz with it, for ever. The URL may say otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a second writer waits for the lock (up to `timeout` seconds) instead of failing
    # half-way through with "database is locked". WAL lets readers carry on during a publish.
    # The page cache (32 MB a connection, 2 MB by default) holds the indexes' upper pages while a
    # publish writes 100,000 values into them; reads go through a shared memory map.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768; "
        "PRAGMA mmap_size=268435456;",
    }


def _caches(url):
    """CACHE_URL -> Django's CACHES. Keys carry the live data's generation (funding.caching), so entries
    are never deleted: a publish makes them unreachable, and the backend's eviction reclaims them."""
    scheme, _, rest = url.partition("://")
    if scheme in {"redis", "rediss", "unix"}:
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        # A Redis that hangs fails a call in half a second (redis-py waits 5 s by default, and a page
        # makes several calls), then caching.cache_call leaves it alone for a while.
        backend["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    elif scheme == "locmem":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "tcdash"}
        backend["OPTIONS"] = {"MAX_ENTRIES": 2000}
    elif scheme == "dummy":
        backend = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(f"CACHE_URL {url!r}: use redis://HOST:PORT/DB, locmem:// or dummy://")
    return {"default": {**backend, "KEY_PREFIX": "tcdash", "TIMEOUT": 24 * 3600}}


CACHES = _caches(CACHE_URL)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in during a cool-off before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, with its address, in the admin
AXES_LOCKOUT_CALLABLE = "funding.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "funding.signin.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "funding:overview"
LOGOUT_REDIRECT_URL = "funding:overview"

LANGUAGE_CODE = "en"
# The Governing Body's working languages; translations in locale/, compiled by `make` (see README).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["tcdash.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` writes the hashed, compressed files WhiteNoise serves (a deployment may put them
# elsewhere; the `make serve` test writes its own copy outside the checkout).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js comes from the installed plotly package, never from a CDN or a committed copy.
    "funding.staticfinders.PlotlyJsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "funding.static_storage.CompressedOnceStaticFilesStorage"
    },
}
# collectstatic keeps, and compresses, only the hashed copies, the names every page asks for through
# {% static %}: plotly.js is brotli-compressed once, not twice (some 2.6 s a deployment), on half the disk.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Uploads are read in memory up to the product's own limit; the form rejects anything larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "funding.sessions"  # database sessions; a forged key is no session (funding/sessions.py)
# Headers on every response (README: Production). Scripts come from this site only; no inline style
# either: the one <style> element is the empty one in base.html, which plotly.js fills through the
# CSSOM (its hash is the SHA-256 of the empty string), so a style injected into the page cannot run.
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
# plotly.js writes the <b> of a hover label as <tspan style="font-weight:bold">: that one attribute
# value, by its hash, is the only inline style attribute allowed.
BOLD_ATTRIBUTE_HASH = "'sha256-wkY2X5hecQzbhnFCqvTpwrUJ1f4X8LH5WFjYUzv1wmU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, EMPTY_STYLE_HASH],
        "style-src-attr": [UNSAFE_HASHES, BOLD_ATTRIBUTE_HASH],
        # data: for the images plotly.js draws its "download as PNG" from.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
# A form whose token has expired gets the site's page saying what to do (funding.views.health).
CSRF_FAILURE_VIEW = "funding.views.health.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 or 404 in one line (method, path, status), and a request refused by Django's security checks
    # (django.security.DisallowedHost...) in one line too; a 5xx with its traceback. On the handler: a
    # logger's filter would not see the records of its children (django.security.*).
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_client_errors"]}},
    "filters": {"one_line_client_errors": {"()": "funding.logs.OneLineClientErrors"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Lockouts are worth a line in the server log (they are also in the admin).
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Each upload, publish and withdrawal, accepted or refused, in one line (funding.views.releases).
        "funding.releases": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
