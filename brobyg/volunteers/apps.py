from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "brobyg.volunteers"
    label = "volunteers"
    verbose_name = "Volunteers"
