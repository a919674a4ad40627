from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "marketplace.opendata"
    label = "opendata"
    verbose_name = "Open data"
