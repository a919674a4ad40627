"""The settings modules: environment switches and production hardening."""

import importlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION_VARIABLES = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_HOST",
    "STRIPE_SECRET_KEY",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SEALED_BID_MASTER_KEY",
)
PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-from-the-environment-4-production-only-9fQ2vX7LmZ8pW1sR6tY0uE5",
    "SEALED_BID_MASTER_KEY": "cHJvZHVjdGlvbi1zaGFwZWQtdGVzdC1rZXktMzJieXQ=",
    "ALLOWED_HOSTS": "marketplace.example.gov.uk",
}


@pytest.fixture
def load_settings(monkeypatch):
    """Import a settings module afresh under the given environment variables."""

    def load(name: str, **environment: str):
        for variable in INTEGRATION_VARIABLES:
            monkeypatch.delenv(variable, raising=False)
        for variable, value in environment.items():
            monkeypatch.setenv(variable, value)
        for module in ("marketplace.settings.base", f"marketplace.settings.{name}"):
            if module in sys.modules:
                monkeypatch.delitem(sys.modules, module)
        return importlib.import_module(f"marketplace.settings.{name}")

    return load


def test_no_environment_means_embedded_defaults(load_settings):
    settings = load_settings("dev")
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert settings.SEARCH_BACKEND == "search.backends.database"
    assert settings.STRIPE_SECRET_KEY == ""


def test_each_integration_switches_on_from_its_variable(load_settings):
    settings = load_settings(
        "dev",
        DATABASE_URL="postgres://u:p@db.internal:5432/marketplace",
        REDIS_URL="redis://cache.internal:6379/0",
        ELASTICSEARCH_URL="http://search.internal:9200",
        EMAIL_HOST="smtp.internal",
        STRIPE_SECRET_KEY="sk_test_123",
    )
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["HOST"] == "db.internal"
    assert settings.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
    assert settings.SEARCH_BACKEND == "search.backends.elasticsearch"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert settings.EMAIL_HOST == "smtp.internal"
    assert settings.STRIPE_SECRET_KEY == "sk_test_123"


def test_development_closes_database_connections_after_each_request(load_settings):
    # runserver starts a thread per request; kept connections would exhaust PostgreSQL.
    settings = load_settings("dev", DATABASE_URL="postgres://u:p@db.internal:5432/marketplace")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_development_keeps_connections_when_asked(load_settings):
    settings = load_settings("dev", DATABASE_CONN_MAX_AGE="30")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 30


def test_production_keeps_connections_for_a_minute(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60


def test_production_refuses_to_start_without_secret_key(load_settings):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        load_settings("production", ALLOWED_HOSTS="marketplace.example.gov.uk")


@pytest.mark.parametrize(
    "master_key",
    [
        "",
        "not base64!",
        "c2hvcnQ=",  # b"short": base64, but not 32 bytes
    ],
)
def test_production_refuses_to_start_without_a_32_byte_sealed_bid_master_key(
    load_settings, master_key
):
    environment = {**PRODUCTION_ENV, "SEALED_BID_MASTER_KEY": master_key}
    with pytest.raises(ImproperlyConfigured, match="SEALED_BID_MASTER_KEY is not set or is not 32"):
        load_settings("production", **environment)


def test_production_takes_the_sealed_bid_master_key_from_the_environment(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.SEALED_BID_MASTER_KEY == PRODUCTION_ENV["SEALED_BID_MASTER_KEY"]


def test_production_refuses_to_start_without_allowed_hosts(load_settings):
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS is not set"):
        load_settings("production", SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"])


def test_production_cookies_are_host_prefixed_and_secure(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.DEBUG is False


def test_production_forces_https(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_HSTS_SECONDS == 63072000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_content_security_policy_allows_no_inline_code(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "marketplace.middleware.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_sessions_have_idle_and_absolute_timeouts(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert "marketplace.accounts.middleware.SessionAbsoluteTimeoutMiddleware" in settings.MIDDLEWARE


def test_uploads_are_capped(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert settings.MAX_UPLOAD_SIZE == 20 * 1024 * 1024


def test_wagtail_documents_accept_only_listed_extensions(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.WAGTAILDOCS_EXTENSIONS == ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]


def test_sign_in_is_rate_limited_and_needs_strong_passwords(load_settings):
    settings = load_settings("production", **PRODUCTION_ENV)
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    minimum_length = next(
        validator["OPTIONS"]["min_length"]
        for validator in settings.AUTH_PASSWORD_VALIDATORS
        if validator["NAME"].endswith("MinimumLengthValidator")
    )
    assert minimum_length == 12
    assert "django_otp.middleware.OTPMiddleware" in settings.MIDDLEWARE


def test_production_settings_pass_check_deploy():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in (*INTEGRATION_VARIABLES, "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="marketplace.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_responses_carry_a_nonce_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
