"""Settings for the test suite: fast hashing, immediate tasks, in-memory e-mail."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-with-enough-length-and-variety-0123456789"  # noqa: S105
# Not a secret: base64 of b"test-only-sealed-bid-key-NOTSAFE".
SEALED_BID_MASTER_KEY = "dGVzdC1vbmx5LXNlYWxlZC1iaWQta2V5LU5PVFNBRkU="
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "tests.storage.StreamingInMemoryStorage"},
    "public": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "audit_checkpoints": {"BACKEND": "marketplace.audit.storage.WriteOnceInMemoryStorage"},
}
# Each test starts the chain again from event #1, so checkpoints kept from an earlier test
# would not match it: only tests that ask for checkpoints take them (tests/audit/conftest.py).
AUDIT_CHECKPOINT_EVERY = None
# Nor do audit writes seal after commit: tests that need sealed events seal them.
AUDIT_SEAL_EVERY = None
# The audit tables refuse TRUNCATE unless the session says otherwise (migration audit.0004);
# the test runner's flush truncates every table, so test connections say so on connecting.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(None, [_options.get("options"), "-c marketplace.allow_audit_truncate=on"])
    )
# Reference data loaded by migrations is neither flushed nor reloaded after a transactional test.
DATABASE_ROUTERS = ["tests.reference_data.KeepReferenceData"]
# Tests search the database; the Elasticsearch tests choose that backend themselves (and run
# only when ELASTICSEARCH_URL names a cluster), so no other test writes to a cluster.
SEARCH_BACKEND = "search.backends.database"
WAGTAILADMIN_BASE_URL = "http://testserver"
OCDS_OCID_PREFIX = env.get("OCDS_OCID_PREFIX", "ocds-test01")
# Serve static files from the finders, as runserver does; no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
