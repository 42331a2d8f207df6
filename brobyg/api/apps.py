from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "brobyg.api"
    label = "api"
    verbose_name = "API"
