"""Settings for Menetelmäpankki, driven by the environment (django-environ).

Defaults give a working development bank: SQLite file in ./var, console e-mail,
local-memory cache. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL), CACHE_URL (Redis) and EMAIL_URL.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
# A .env file is optional; the environment always wins. scripts/bootstrap.sh writes a development one
# on the first run; production has none. ENV_FILE names another file ("" reads none).
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_INSECURE_DEV_KEY = "dev-only-insecure-key-not-for-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Refuse to run a non-debug bank with a guessable key (cookiecutter-django's rule).
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = _INSECURE_DEV_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The one address every absolute link names (reports, open data, e-mails, hreflang). ./run.sh sets it
# from HOST/PORT; without it, HOST/PORT decide as well.
SITE_URL = env.str(
    "SITE_URL", default=f"http://{env.str('HOST', default='127.0.0.1')}:{env.str('PORT', default='8000')}"
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "methodbank.core",
    "methodbank.accounts",
    "methodbank.catalog",
    "methodbank.search",
    "methodbank.reports",
    "methodbank.contributions",
    "methodbank.evaluation",
    "methodbank.usage",
    "ninja",  # for its templates and static files: /api/docs loads Swagger UI locally, no CDN
    "methodbank.api",
    "methodbank.follows",
    # After the methodbank apps, so that methodbank/accounts/templates overrides allauth's templates.
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    # Outermost: counts uses of an entry, those answered from the page cache too (see the module).
    "methodbank.usage.middleware.UsageCountingMiddleware",
    # Recomputes, once the response is sent, the shared figures a page served stale (core/cache.py).
    "methodbank.core.cache.SharedFiguresMiddleware",
    # Next: a HEAD request runs as a GET everywhere below and loses only its body.
    "methodbank.core.head.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Innermost, so a view that loses the database answers a friendly 503 (see the module).
    "methodbank.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "methodbank" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "methodbank.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'menetelmapankki.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Accounts (django-allauth): log-in by e-mail, mandatory e-mail verification, rate-limited log-in,
# sign-up and password reset (allauth's limits, counted in the cache).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "contributions:own_page"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "methodbank.accounts.forms.SignupForm"}
# The bank's own e-mail layout, in the recipient's language, with links from SITE_URL.
ACCOUNT_ADAPTER = "methodbank.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
    "change_password": "5/m/user",
}

# Attachments: checked by content (see methodbank/contributions/uploads.py) and limited in size.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# How often (milliseconds) the contribution forms save a draft in the background.
AUTOSAVE_INTERVAL_MS = env.int("AUTOSAVE_INTERVAL_MS", default=5000)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://menetelmapankki")}
# Anonymous visitors get public pages from the cache; every catalog change retires them (0 = off).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=3600)
# Behind nginx with proxy_cache (deploy/nginx/): how long nginx may serve such a page itself, sent
# as X-Accel-Expires. nginx cannot see a publish, so this is how stale an anonymous visitor's page
# can be; keep it to seconds. 0 = nginx caches nothing.
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=0)
# How many processes serve the bank (gunicorn reads the same variable as its worker count; count
# every app server's). Above 1 the bank refuses a process-local cache unless DEBUG is on: each
# worker would count log-in locks and rate limits on its own (methodbank/core/checks.py).
APP_PROCESSES = env.int("WEB_CONCURRENCY", default=1)
# A redis:// CACHE_URL gives django-redis (django-environ picks it when it is installed). The cache
# is used for speed only (pages, search statistics, rate-limit counters), never as storage, so an
# unreachable Redis behaves as an empty cache, not an error page: reads miss, writes are dropped, a
# failed incr returns None (rate limits fail open), and a warning is logged. It fails fast: a hung
# Redis must not hold a request for long.
REDIS_CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if CACHES["default"]["BACKEND"] in ("django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache"):
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {**REDIS_CACHE_OPTIONS, **CACHES["default"].get("OPTIONS", {})}
# The API's whole entries, kept per entry and language (methodbank/api/entry_json.py): small values
# that a client walking the bank writes by the thousand. Beside a process-local default cache they
# get one of their own, so that they never push the pages, figures and rate-limit counters out of it
# (LocMemCache keeps a few hundred keys and culls the least recently used); any other cache (Redis,
# or none) they share. About 2.5 KB each: API_ENTRY_CACHE_ENTRIES of them at most, per process.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    CACHES["api-entries"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "menetelmapankki-api-entries",
        "OPTIONS": {"MAX_ENTRIES": env.int("API_ENTRY_CACHE_ENTRIES", default=20000)},
    }
# After a catalog change the background worker recomputes the figures every visitor shares (the
# front page's counts, the search page's facets), so the first visitor after a publish does not wait
# for them (core/cache.py). It helps only where the worker shares the cache: on by default with Redis.
WARM_SHARED_FIGURES = env.bool(
    "WARM_SHARED_FIGURES", default=CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
)
# Until they are recomputed, an anonymous visitor is served those figures as they were before the
# change, for at most this many seconds after it (they are recomputed after the first such page is
# sent); signed-in users always get them exact (core/cache.py, "Stale while revalidate"). 0 = never
# stale: the first visitor after a change computes them.
SHARED_FIGURES_STALE_SECONDS = env.int("SHARED_FIGURES_STALE_SECONDS", default=30)

# Usage figures (methodbank/usage/): uses of each entry counted in Redis without cookies or
# addresses, and added to the monthly figures in batches. USAGE_COUNTING=false stops counting.
USAGE_COUNTING = env.bool("USAGE_COUNTING", default=True)
# Every this many seconds the first counted hit queues the flush task; 0 = only `manage.py flush_usage`
# (cron) flushes.
USAGE_FLUSH_SECONDS = env.int("USAGE_FLUSH_SECONDS", default=300)
# Another Redis for the counters than the cache's (redis://...); empty = the cache's Redis, or this
# process's memory when the cache is not Redis (development).
USAGE_REDIS_URL = env.str("USAGE_REDIS_URL", default="")

# The search log (queries, result counts, clicked ranks, language, hour; nothing about who searched):
# rows older than this many days are deleted (hourly, from the log write, and by
# `manage.py purge_search_log`). SEARCH_LOG_ENABLED=false stops writing it.
SEARCH_LOG_ENABLED = env.bool("SEARCH_LOG_ENABLED", default=True)
SEARCH_LOG_RETENTION_DAYS = env.int("SEARCH_LOG_RETENTION_DAYS", default=90)

# Background jobs (report builds) are stored in the database and run by `manage.py db_worker`
# (django-tasks-db: the database backend left django-tasks in 0.12). TASKS_BACKEND lets a dev
# machine without a worker run them inline: TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "methodbank" / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
# Finland-Swedish and day-month-year English date formats (see config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "methodbank" / "static",
    # Front-end packages installed from npm by the set-up script; served with the site, no CDN.
    ("vendor/hds", BASE_DIR / "node_modules" / "hds-core" / "lib"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Static files are collected under content-hashed names (WhiteNoise's manifest storage, which also
# writes gzip and Brotli copies), so nginx and browsers may keep them for long and a new release is
# never served old CSS. With DEBUG the names stay plain (runserver serves the sources). The manifest
# exists only after collectstatic: the test settings (pyproject.toml) turn it off with
# STATIC_MANIFEST=false, and core/tests/test_static.py collects once to check the hashed names.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Object storage for attachments and generated files when several app servers share nothing but
# the database, the cache and the storage (pip install -e ".[s3]"; see docs/deployment.md).
STORAGE_BUCKET = env.str("STORAGE_BUCKET", default="")
if STORAGE_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": env.str("STORAGE_ENDPOINT_URL", default="") or None,
            "access_key": env.str("STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("STORAGE_SECRET_KEY", default="") or None,
            # Private objects: files are only ever served through the permission-checked views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Uploaded files live outside the web root and are served by a view with safe headers.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Menetelmäpankki <noreply@menetelmapankki.local>")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) without 'unsafe-inline': templates carry no inline scripts,
# styles or event handlers; everything is a static file from our own origin.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Where visitors send accessibility feedback (shown on the accessibility statement page).
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="saavutettavuus@menetelmapankki.local")

# Open data licence shown with the dumps and the API.
OPEN_DATA_LICENCE = env.str("OPEN_DATA_LICENCE", default="CC BY 4.0")
OPEN_DATA_LICENCE_URL = env.str("OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/")
# Rebuild the dumps under MEDIA_ROOT/opendata/ whenever published content changes (the test
# settings turn it off so test data never lands in the development dumps).
OPEN_DATA_REBUILD_ON_PUBLISH = env.bool("OPEN_DATA_REBUILD_ON_PUBLISH", default=True)
# API rate limits ("number/s|min|hour|day"; empty = no limit): anonymous clients per IP address,
# and each personal API token.
API_THROTTLE_ANON_RATE = env.str("API_THROTTLE_ANON_RATE", default="120/min")
API_THROTTLE_TOKEN_RATE = env.str("API_THROTTLE_TOKEN_RATE", default="600/min")
# Anonymous evaluation links: requests per client address and link ("number/s|min|hour|day"; empty =
# no limit). Generous, because a workshop of 40 often shares one address behind its Wi-Fi.
EVALUATION_ANON_RATE = env.str("EVALUATION_ANON_RATE", default="1200/hour")
# Reverse proxies in front of the bank that append to X-Forwarded-For (1 behind nginx). With 0 the
# client address is REMOTE_ADDR, so a forged X-Forwarded-For cannot dodge the rate limit.
NINJA_NUM_PROXIES = env.int("API_NUM_PROXIES", default=0)
# The log-in, sign-up and password-reset limits (ACCOUNT_RATE_LIMITS) count per client address too:
# behind nginx every request comes from 127.0.0.1, so without this one client's failed log-ins would
# lock out everyone. allauth takes the address the last trusted proxy appended to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = NINJA_NUM_PROXIES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
