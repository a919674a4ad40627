import logging
import sys

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger(__name__)


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        if "runserver" in sys.argv or "gunicorn" in sys.argv[0]:
            logger.info("Integrations: %s", "; ".join(integration_summary()))


def integration_summary() -> list[str]:
    """One phrase per integration saying what this process runs on."""
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return [
        f"database: {engine}",
        f"cache: {cache}",
        "e-mail: "
        + ("SMTP" if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") else "console"),
        "search: " + ("Elasticsearch" if settings.ELASTICSEARCH_URL else "database"),
        "payments: " + ("Stripe" if settings.STRIPE_SECRET_KEY else "off (pay by invoice)"),
    ]
