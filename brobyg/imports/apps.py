from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "brobyg.imports"
    label = "imports"
    verbose_name = "Imports"
