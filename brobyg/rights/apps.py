from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "brobyg.rights"
    label = "rights"
    verbose_name = _("Data-protection rights")

    def ready(self):
        from brobyg.people.extensions import register_merge_step
        from brobyg.rights import services
        from brobyg.rights.registry import register_shredder
        from brobyg.rights.shredders import SHREDDER

        register_shredder(SHREDDER)
        register_merge_step(
            "rights",
            services.move_for_merge,
            moves=("rights.DataRequest", "rights.LegalHold", "rights.SubjectKey"),
        )
