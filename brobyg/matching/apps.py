from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "brobyg.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from brobyg.intake.extensions import register_close_step, register_personal_stage
        from brobyg.matching.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)

        from brobyg.matching import panels, personal, services
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.people.extensions import register_merge_step

        register_close_step("matching", services.withdraw_pending_for_closed_request)
        register_personal_stage("matching", personal.personal_stage)
        register_merge_step(
            "matching", services.move_for_merge, moves=("matching.Match", "matching.Exclusion")
        )

        register_start_panel(
            name="matching_coordinator",
            roles=[Role.COORDINATOR],
            permission="manage_matching",
            template="matching/_start_coordinator.html",
            build=panels.coordinator_panel,
        )
        register_start_panel(
            name="matching_peer",
            roles=[Role.PEER],
            permission="answer_proposals",
            template="matching/_start_peer.html",
            build=panels.peer_panel,
        )
