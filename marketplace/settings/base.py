"""Settings shared by every environment.

Each integration switches on when its environment variable is present; with none set the
service runs on SQLite, the local-memory cache, console e-mail and database search.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = os.environ


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


def env_flag(name: str, default: bool = False) -> bool:
    return env.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first, so their templates (GOV.UK error pages, sign-in) win.
    "marketplace",
    "marketplace.accounts",
    "marketplace.organisations",
    "marketplace.audit",
    "marketplace.calloffs",
    "marketplace.competitions",
    "marketplace.levy",
    "marketplace.opendata",
    "frameworks",
    "suppliers",
    "search",
    "cms",
    "demo",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.accounts.middleware.SessionAbsoluteTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "marketplace.accounts.middleware.RequireSecondFactorMiddleware",
    "marketplace.organisations.middleware.ActingOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "marketplace.middleware.AdminDomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must be last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "marketplace.context_processors.service",
                "cms.context_processors.cookie_consent",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if "REDIS_URL" in env:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in-process unless a worker queue is asked for (production sets "database").
if env.get("TASKS_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Accounts and sign-in -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILADMIN_LOGIN_URL = "accounts:sign-in"

AXES_FAILURE_LIMIT = int(env.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("AXES_COOLOFF_MINUTES", "15")))
# Lock an account after repeated failures from anywhere, and a browser (IP + user agent) that
# sprays many accounts; no single shared office IP locks out a whole council.
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Framework marketplace"

# Sessions end after this long idle (each request renews the cookie) and, regardless of
# activity, SESSION_ABSOLUTE_TIMEOUT after sign-in.
SESSION_COOKIE_AGE = int(env.get("SESSION_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_TIMEOUT = int(env.get("SESSION_ABSOLUTE_TIMEOUT_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INVITATION_VALID_FOR = timedelta(days=int(env.get("INVITATION_VALID_DAYS", "7")))

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# GOV.UK Frontend's CSS asks for its fonts and images at /assets/ on the site root.
WHITENOISE_ROOT = BASE_DIR / "static" / "govuk"
# Public files (image renditions) are served at MEDIA_URL from MEDIA_ROOT. Everything else
# uploaded (documents, original images, import files) is private by default: it lives under
# PRIVATE_MEDIA_ROOT, which nothing serves directly (see marketplace.storage).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
PRIVATE_STORAGE = {
    "BACKEND": "marketplace.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
}
STORAGES = {
    "default": PRIVATE_STORAGE,
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Checkpoints of the audit chain's head, written once each, away from the database and
    # from media: in production a separate volume or bucket that the web role cannot rewrite.
    "audit_checkpoints": {
        "BACKEND": "marketplace.audit.storage.WriteOnceFileSystemStorage",
        "OPTIONS": {
            "location": Path(env.get("AUDIT_CHECKPOINT_ROOT", str(BASE_DIR / "audit-checkpoints")))
        },
    },
}
WAGTAILIMAGES_RENDITION_STORAGE = "public"
# An audit write also checkpoints the chain, after it commits, once the newest checkpoint is
# this old (hourly cron does it too: docs/audit.md). None: only cron and open-data exports do.
AUDIT_CHECKPOINT_EVERY = timedelta(hours=1)
# An audit write also seals the chain after it commits, unless its process sealed within this
# long (the seal_audit_chain command, by cron, seals the rest). None: only the command, the
# checkpoints and verify_audit_chain seal.
AUDIT_SEAL_EVERY = timedelta(seconds=1)

# Uploads: anything above these caps is refused rather than buffered.
MAX_UPLOAD_SIZE = int(env.get("MAX_UPLOAD_SIZE_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_UPLOAD_SIZE
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Sealed bids (docs/sealed-bids.md): each competition's key is derived from this master key,
# 32 random bytes in base64, which only the environment holds; production refuses to start
# without it. Bid files are kept in memory, never on disk, and refused past this size.
SEALED_BID_MASTER_KEY = env.get("SEALED_BID_MASTER_KEY", "")
BID_UPLOAD_MAX_BYTES = int(env.get("BID_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))

# --- E-mail --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Framework marketplace <noreply@localhost>")
if "EMAIL_HOST" in env:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env["EMAIL_HOST"]
    EMAIL_PORT = int(env.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Framework marketplace"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILADMIN_COMMENTS_ENABLED = False
# Avatars only from uploads: no call to gravatar.com, which the policy would refuse anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Authority staff have no publish permission; an approved workflow publishes as its approver.
WAGTAIL_FINISH_WORKFLOW_ACTION = "frameworks.approval.publish_approved"

# --- Integrations --------------------------------------------------------------------------
ELASTICSEARCH_URL = env.get("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = (
    "search.backends.elasticsearch" if ELASTICSEARCH_URL else "search.backends.database"
)
# The alias searches read; each rebuild builds "<alias>-<timestamp>" and swaps the alias to it.
ELASTICSEARCH_INDEX = env.get("ELASTICSEARCH_INDEX", "marketplace-offerings")
STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET", "")
OCDS_OCID_PREFIX = env.get("OCDS_OCID_PREFIX", "ocds-xxxxxx")

# --- Security headers ----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin sets inline style attributes, which cannot carry a nonce.
CONTENT_SECURITY_POLICY_ADMIN_PREFIX = "/admin/"

SERVICE_PHASE = env.get("SERVICE_PHASE", "Beta")
# Turn on only with an analytics script: the cookie banner then asks for consent, and
# `analytics_allowed` in templates says whether the script may run.
ANALYTICS_ENABLED = env_flag("ANALYTICS_ENABLED")
SERVICE_NAME = _("Find a framework supplier")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    # Task start/finish lines at INFO drown everything else; failures still log at WARNING+.
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
