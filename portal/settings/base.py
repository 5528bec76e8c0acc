"""Settings shared by every environment.

Every deployment value comes from the environment through ``portal.settings.env``
(see README, "Configuration"). Environment-specific modules (dev, test,
production) import this one and adjust.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from portal.plugins import discover
from portal.settings.env import env_bool, env_int, env_list, env_str
from portal.settings.plugin_settings import plugin_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var"), doc="writable data"))

# A value that marks "not configured". Production refuses to start with it.
INSECURE_SECRET_KEY = "django-insecure-dev-only-not-a-secret"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY, doc="Django secret key")
DEBUG = env_bool("DEBUG", False, doc="debug mode (never in production)")
# With DEBUG, the site's own 404/500 pages still (portal/errorpages.py), so the
# demo looks like the site; Django's technical pages only when asked for.
DEBUG_TECHNICAL_ERRORS = env_bool(
    "DEBUG_TECHNICAL_ERRORS", False, doc="with DEBUG, Django's debug 404/500 pages"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], doc="hosts")
# Reverse proxies in front of the portal whose X-Forwarded-For is trusted, for
# per-client rate limits (portal/ratelimit.py); 0 means use the peer address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, doc="trusted proxy hops")
# The addresses (or networks) of those proxies. Forwarding headers from any
# other peer are forged and dropped (portal/proxy.py); empty: none trusted.
TRUSTED_PROXY_ADDRESSES = env_list(
    "TRUSTED_PROXY_ADDRESSES", [], doc="addresses of the trusted reverse proxies"
)
# /healthz answers only ok or not to the public; the per-backend details go
# to local probes and to a request carrying this value in X-Health-Token.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "", doc="header token for /healthz details")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [], doc="https origins")

# --- Plugins ------------------------------------------------------------------
PORTAL_PLUGINS_EXCLUDE = env_list(
    "PORTAL_PLUGINS_EXCLUDE", [], doc="entry-point names of plugins to skip"
)
PORTAL_PLUGINS = discover(exclude=PORTAL_PLUGINS_EXCLUDE)

INSTALLED_APPS = [
    "portal",
    "staffauth",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "audit",
    *[plugin.module for plugin in PORTAL_PLUGINS],
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "simple_history",
    "django_q",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: forwarding headers from anyone but our proxy never reach the rest.
    "portal.proxy.ForwardedHeadersMiddleware",
    "portal.middleware.HealthCheckMiddleware",
    # Only with DEBUG: the site's 404/500 pages instead of Django's debug pages.
    "portal.errorpages.SiteErrorPagesMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.csrf.FetchMetadataCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staffauth.middleware.StaffSignInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------
DATABASE_URL = (
    env_str(
        "DATABASE_URL",
        doc="database URL (postgres://… in production; SQLite file by default)",
    )
    or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "", doc="redis://… for the cache")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage degrades the site instead of taking it down or
            # silently lifting rate limits: portal/cache.py answers from a
            # per-process local-memory cache meanwhile (see its docstring).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                "FALLBACK_RETRY_SECONDS": 15,
                "FALLBACK_LOG_SECONDS": 60,
            },
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# --- Background tasks (django-q2) ---------------------------------------------
Q_CLUSTER = {
    "name": "portal",
    "workers": env_int("TASK_WORKERS", 2, doc="task worker processes"),
    "timeout": 300,
    # Must exceed timeout, so a task killed mid-run is handed out again
    # rather than lost.
    "retry": 360,
    "max_attempts": 5,
    "save_limit": 1000,
    "catch_up": False,
    "label": _("Background tasks"),
}
# The ORM broker even where Redis runs: it locks a task while a worker holds
# it and deletes it only once its result is saved, so a worker killed mid-task
# or a failed task (ack_failures off) is handed out again after "retry"
# seconds. django-q2's Redis broker pops a task (BLPOP) and never hands it out
# again, and it would stop every enqueue while Redis is down.
Q_CLUSTER["orm"] = "default"

# --- Search -------------------------------------------------------------------
# The search engine is a backing service like Redis (/healthz probes it).
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "", doc="http://… search engine")
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "portal", doc="index prefix")
# The search backends and the task backend that indexes in the cluster are
# the search plugin's (search/conf.py); without it, Wagtail's own.
# Full-text searches per client and window (seconds), the public search page
# and the API's ?search= alike (portal/search_budget.py).
SEARCH_RATE_LIMIT = env_int("SEARCH_RATE_LIMIT", 30, doc="searches per client/min")
SEARCH_RATE_WINDOW = 60

# --- Auth ---------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The admin is Chinese only (issue #17): with one language and one time zone
# the account page offers neither choice, and a stored preference for another
# language falls back to this one at sign-in (portal/admin_language.py).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static"), doc="static"))
STATICFILES_DIRS = [BASE_DIR / "static_src"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media"), doc="uploads"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage",
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = "历城区行政执法容错纠错平台"
WAGTAILADMIN_BASE_URL = env_str(
    "PORTAL_BASE_URL", "http://127.0.0.1:8000", doc="public base URL"
)
WAGTAIL_I18N_ENABLED = False
# The admin as the office's own platform (issue #17; templates/wagtailadmin/):
# no avatars fetched from gravatar.com (the default icon instead), no check
# for Wagtail releases and no "what's new" banner pointing at wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_USER_LOGIN_FORM = "staffauth.forms.StaffLoginForm"
# No autosave: Wagtail 8 writes a draft revision at every pause in typing and
# says "已自动保存" although the editor saved nothing; here a draft is saved
# when the editor chooses 保存草稿, and each revision is one they made.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Admin menu items the office does not use, by menu and item name, hidden
# for every role (portal/admin_menu.py): no images or documents (no page
# type or rich-text field takes them; case files are casework's own), no
# redirects, promoted search results or search-term counts (the public search
# is the search plugin's), no collections (they only group images and
# documents), no page-type and page-age reports, and no links to Wagtail's
# English guides. The addresses stay for superusers who need one.
PORTAL_ADMIN_HIDDEN_MENU_ITEMS = {
    "main": ["images", "documents"],
    "settings": ["redirects", "promoted-search-results", "collections"],
    "reports": ["search-terms", "aging-pages", "page-types-usage"],
    "help": ["whats-new-in-wagtail-*", "editor-guide"],
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# --- Logging ------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO", doc="root log level")
# No line names a client (Art. 22): portal/logfilter.py scrubs addresses and
# user agents on every handler; times to the minute.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"anonymize": {"()": "portal.logfilter.AnonymizingFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%d %H:%M %z",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["anonymize"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "jieba": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Security headers (#8) ------------------------------------------------------
# portal/headers.py sends these; the public templates carry no inline script or
# style, so the public policy needs no 'unsafe-inline'. Wagtail's admin does.
# 'wasm-unsafe-eval' lets the proof-of-work worker (reporting's vendored
# ALTCHA scrypt worker, a same-origin file) compile its WebAssembly; it allows
# no eval() of JavaScript and no script from anywhere else.
CSP_PUBLIC = env_str(
    "CSP_PUBLIC",
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    doc="Content-Security-Policy of public pages",
)
CSP_ADMIN = env_str(
    "CSP_ADMIN",
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    doc="Content-Security-Policy of the admin",
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# No address leaves the site, not even to itself: portal/csrf.py accepts the
# "Origin: null" browsers then send when Sec-Fetch-Site says same-origin.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Django's W003 asks for its CSRF class by name; portal.checks asks for any
# subclass of it instead (portal.csrf's is one).
# axes.W006 asks for the address among AXES_LOCKOUT_PARAMETERS: the lockout is
# by username on purpose (see the axes block below), which rotating addresses,
# agents or cookies cannot get round.
SILENCED_SYSTEM_CHECKS = ["security.W003", "axes.W006"]

# --- Page cache (#8) ------------------------------------------------------------
# portal/pagecache.py: anonymous public pages served from the default cache
# (Redis in production, shared by every process), purged on publish. 0 disables.
PAGE_CACHE_SECONDS = env_int(
    "PAGE_CACHE_SECONDS", 300, doc="seconds a public page stays cached (0: off)"
)
# Which views it keeps besides Wagtail's pages (feeds), and which models purge
# it besides pages, settings and snippets, the plugins say through their
# hooks (portal/hooks.py). Anything else (admin, forms, search, API) never is.

# --- Audit log (#8) -------------------------------------------------------------
# Rows are kept at least this many days; the database itself refuses to delete
# one younger than 180 (audit/database.py), and a smaller value fails the
# system checks. The daily purge removes older rows.
AUDIT_RETENTION_DAYS = env_int(
    "AUDIT_RETENTION_DAYS", 365, doc="days audit rows are kept (at least 180)"
)
# Who may read the audit log besides superusers: the groups the plugins name
# (register_audit_viewer_groups: the supervision head), and any group a
# deployment lists in AUDIT_VIEWER_GROUPS (audit/permissions.py).

# --- Backups (#8) ---------------------------------------------------------------
# Where 'manage.py backup' writes its archives unless given --output-dir
# (portal/backup.py; README, "Backups and recovery").
BACKUP_DIR = Path(
    env_str("BACKUP_DIR", str(VAR_DIR / "backups"), doc="backup archives directory")
)

# --- Staff sign-in (#8) -----------------------------------------------------------
# staffauth/: every admin user signs in with a password and a TOTP code
# (django-otp); failures, wrong codes included, lock the username at the
# client's address (django-axes); an idle session ends everywhere.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
STAFF_IDLE_TIMEOUT = env_int(
    "STAFF_IDLE_TIMEOUT", 30 * 60, doc="seconds without activity before sign-out"
)
# No session outlives the idle limit; staffauth's middleware extends a
# signed-in session on activity and ends it server-side once idle.
SESSION_COOKIE_AGE = STAFF_IDLE_TIMEOUT
AXES_FAILURE_LIMIT = env_int(
    "STAFF_LOCKOUT_FAILURES", 5, doc="failed sign-ins before a lockout"
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("STAFF_LOCKOUT_MINUTES", 30, doc="lockout length (minutes)")
)
# The username, whatever the address (issue #14): locking only the pair of
# username and address gave a guesser with many addresses (a botnet, or an
# IPv6 network with addresses to spare) AXES_FAILURE_LIMIT tries per address,
# and let a locked account sign in at once from the next address. The price
# is a denial of service: whoever knows a username can keep that person out
# for the cool-off by failing on purpose. We accept it for staff accounts:
# they guard case files and reporters' identities, so a guessed password costs
# far more than half an hour without the admin; the lockout ends by itself;
# every failure is kept with its address (axes AccessAttempt), so the office
# sees who jams an account; and an administrator unlocks at once on the
# server (manage.py axes_reset_username). The pair needs no entry of its own:
# its count never exceeds the username's, under the same limit.
AXES_LOCKOUT_PARAMETERS = ["username"]
# A correct password must not clear earlier wrong codes; staffauth clears
# the failures once the second factor is verified.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "staffauth.views.lockout"
# Its log lines name the user and path, never the address or agent.
AXES_CLIENT_STR_CALLABLE = "portal.logfilter.axes_client_str"
AXES_ENABLE_ADMIN = False
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "otp_token",
    "csrfmiddlewaretoken",
]
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Groups whose members may reset another user's second factor (besides
# superusers); granted after every migrate when the group exists.
STAFF_OTP_RESET_GROUPS = env_list(
    "STAFF_OTP_RESET_GROUPS", ["监督机构负责人"], doc="groups that reset 2FA"
)
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {
        "NAME": "staffauth.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
]

# --- Faults (#8) ----------------------------------------------------------------
# The database down: pages answer 503 with this Retry-After (seconds), from
# portal.middleware.DatabaseUnavailableMiddleware.
DATABASE_UNAVAILABLE_RETRY_AFTER = env_int(
    "DATABASE_UNAVAILABLE_RETRY_AFTER", 30, doc="Retry-After of the 503 page"
)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # libpq waits forever for a host that drops packets: a request (and the
    # /healthz probe) gives up after this many seconds and answers 503.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout",
        env_int("DATABASE_CONNECT_TIMEOUT", 5, doc="seconds to reach PostgreSQL"),
    )
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The development database: the task worker indexes while a command or
    # a request writes. A write waits up to 30 s for the other's lock (5 s by
    # default: an import_policy beside the demo's indexing failed with
    # "database is locked"), and a transaction takes the write lock when it
    # begins, so that a read turning into a write cannot fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    )

# --- The plugins' own settings ----------------------------------------------
# Each plugin's conf.py (portal/settings/plugin_settings.py): case files,
# report attachments and the reporting channel's limits and secrets, the search
# backends, the office rules. Last, so that a plugin reads the portal's values;
# dev.py, test.py and production.py adjust them after this.
plugin_settings(PORTAL_PLUGINS, globals())
