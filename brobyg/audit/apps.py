from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "brobyg.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from brobyg.audit import receivers  # noqa: F401  (connects the log-in signal receivers)
