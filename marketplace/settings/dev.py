"""Local development: the defaults of base.py plus debugging conveniences."""

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env

DEBUG = True
# runserver answers each request on a new thread, so a kept connection is never reused and
# a loop of requests exhausts PostgreSQL's connections: close each one unless asked not to.
DATABASES["default"]["CONN_MAX_AGE"] = int(env.get("DATABASE_CONN_MAX_AGE", "0"))
SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-not-for-any-real-deployment")
# Not a secret: base64 of b"dev-only-sealed-bid-key-NOT-SAFE", so demo bids open anywhere.
SEALED_BID_MASTER_KEY = env.get(
    "SEALED_BID_MASTER_KEY", "ZGV2LW9ubHktc2VhbGVkLWJpZC1rZXktTk9ULVNBRkU="
)
# Uploads stay private as in production; only the static files are served unhashed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
