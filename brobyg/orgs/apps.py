from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "brobyg.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from brobyg.orgs import checks  # noqa: F401  (registers the deploy checks)
