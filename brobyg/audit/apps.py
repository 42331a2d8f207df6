from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "brobyg.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from brobyg.audit import (
            mail,  # noqa: F401  (knows which task is running)
            receivers,  # noqa: F401  (connects the log-in signal receivers)
        )
