from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeercareConfig(AppConfig):
    name = "brobyg.peercare"
    label = "peercare"
    verbose_name = _("Care for the peers")

    def ready(self):
        from brobyg.matching.extensions import register_peer_caution_source
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.peercare import load, panels, selectors
        from brobyg.peercare.extensions import register_load_source

        register_peer_caution_source("peercare_credentials", selectors.expired_credentials)

        register_load_source(
            "pending_proposals",
            _("Proposals waiting"),
            load.pending_proposals,
            counts_against_capacity=True,
        )
        register_start_panel(
            name="peercare_flags",
            roles=[Role.COORDINATOR, Role.MANAGER],
            permission="view_peer_care",
            template="peercare/_start_flags.html",
            build=panels.coordinator_panel,
        )
        register_start_panel(
            name="peercare_supervision",
            roles=[Role.SUPERVISOR],
            permission="record_supervision",
            template="peercare/_start_supervision.html",
            build=panels.supervisor_panel,
        )
        register_start_panel(
            name="peercare_own",
            roles=[Role.PEER],
            permission="use_own_peer_care",
            template="peercare/_start_own.html",
            build=panels.peer_panel,
        )
