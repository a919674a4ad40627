from django.apps import AppConfig


class LevyConfig(AppConfig):
    name = "marketplace.levy"
    label = "levy"
    verbose_name = "Management information and levy"
