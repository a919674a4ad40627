from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "marketplace.competitions"
    label = "competitions"
    verbose_name = "Further competitions"
