from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local demonstrations. It uses every other app; nothing uses it."""

    name = "demo"
    verbose_name = "Demo data"
