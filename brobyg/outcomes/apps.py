from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "brobyg.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        from brobyg.outcomes.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)

        # Imports point orgs ← people ← matching ← outcomes: the apps outcomes builds on learn
        # about it only through the hooks they offer, registered here.
        from brobyg.groups.extensions import register_group_section
        from brobyg.matching.extensions import (
            register_activation_step,
            register_peer_caution_source,
        )
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.outcomes import peercare, schedules, services, views_groups, views_peers
        from brobyg.peercare.extensions import register_peer_care_section
        from brobyg.people.extensions import register_merge_step

        schedules.register_default_anchors()
        register_peer_caution_source("outcomes_checkins", peercare.asked_for_break)
        register_activation_step("outcomes", services.on_match_activated)
        register_merge_step(
            "outcomes",
            services.outcomes_move_for_merge,
            moves=("outcomes.Invitation", "outcomes.Response", "outcomes.Pseudonym"),
        )
        register_group_section(
            name="outcomes_group_evaluation",
            template="outcomes/groups/_section.html",
            build=views_groups.group_section,
        )
        register_start_panel(
            name="outcomes_peer_alerts",
            roles=[Role.SUPERVISOR, Role.COORDINATOR],
            permission="view_peer_alerts",
            template="outcomes/staff/_start_alerts.html",
            build=views_peers.alerts_panel,
        )
        register_start_panel(
            name="outcomes_overview",
            roles=[Role.COORDINATOR, Role.MANAGER, Role.ADMIN],
            permission="manage_outcome_schedules",
            template="outcomes/staff/_start_overview.html",
            build=views_peers.overview_panel,
        )
        register_start_panel(
            name="outcomes_checkin",
            roles=[Role.PEER],
            permission="answer_own_checkins",
            template="outcomes/staff/_start_checkin.html",
            build=views_peers.checkin_panel,
        )
        register_peer_care_section(
            name="outcomes_checkins",
            peer_template="outcomes/staff/_peercare_checkins.html",
            peer_build=peercare.own_section,
            flags=peercare.checkin_flags,
            flagged=peercare.checkin_flagged,
        )
