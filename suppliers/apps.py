from django.apps import AppConfig


class SuppliersConfig(AppConfig):
    name = "suppliers"
    label = "suppliers"
    verbose_name = "Suppliers"
