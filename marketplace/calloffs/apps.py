from django.apps import AppConfig


class CalloffsConfig(AppConfig):
    name = "marketplace.calloffs"
    label = "calloffs"
    verbose_name = "Call-offs"
