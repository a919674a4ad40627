from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"
