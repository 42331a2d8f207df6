from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "brobyg.rights"
    label = "rights"
    verbose_name = _("Data-protection rights")

    def ready(self):
        from brobyg.rights.registry import register_shredder
        from brobyg.rights.shredders import SHREDDER

        register_shredder(SHREDDER)
