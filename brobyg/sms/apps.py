from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmsConfig(AppConfig):
    name = "brobyg.sms"
    label = "sms"
    verbose_name = _("Text messages")

    def ready(self):
        from brobyg.people.extensions import register_merge_step
        from brobyg.rights.registry import register_shredder
        from brobyg.sms import services
        from brobyg.sms.shredders import SHREDDER

        register_shredder(SHREDDER)
        register_merge_step("sms", services.move_for_merge, moves=("sms.TextMessage",))
