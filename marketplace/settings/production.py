"""Production: everything from the environment, hardened, refusing to start half-configured."""

import base64

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_list

DEBUG = False

SECRET_KEY = env.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings refuse to start without it: set the "
        "SECRET_KEY environment variable to a long random string (50+ characters)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the comma-separated host names this service answers to."
    )
SEALED_BID_MASTER_KEY = env.get("SEALED_BID_MASTER_KEY", "")
try:
    _sealed_bid_key_bytes = len(base64.b64decode(SEALED_BID_MASTER_KEY, validate=True))
except ValueError:  # not base64, or not ASCII
    _sealed_bid_key_bytes = 0
if _sealed_bid_key_bytes != 32:
    raise ImproperlyConfigured(
        "SEALED_BID_MASTER_KEY is not set or is not 32 bytes of base64. Production settings "
        "refuse to start without it: generate one with `python -c 'import base64, secrets; "
        "print(base64.b64encode(secrets.token_bytes(32)).decode())'` and keep it outside the "
        "database and its backups (docs/sealed-bids.md)."
    )

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# HTTPS everywhere, behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# __Host- cookies are only sent over HTTPS, for this exact host, on every path.
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
