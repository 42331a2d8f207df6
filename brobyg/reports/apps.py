from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "brobyg.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from brobyg.reports.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)
