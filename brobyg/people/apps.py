from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "brobyg.people"
    label = "people"
    verbose_name = _("Citizens")

    def ready(self):
        from brobyg.people.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)
