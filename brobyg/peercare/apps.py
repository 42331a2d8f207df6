from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeercareConfig(AppConfig):
    name = "brobyg.peercare"
    label = "peercare"
    verbose_name = _("Care for the peers")
