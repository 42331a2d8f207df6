from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "brobyg.groups"
    label = "groups"
    verbose_name = _("Group courses")

    def ready(self):
        from brobyg.groups.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)

        from brobyg.groups import calendar, panels, selectors, services
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.peercare.extensions import register_load_source
        from brobyg.people.extensions import register_merge_step
        from brobyg.support.extensions import register_calendar_source

        register_calendar_source("groups", calendar.group_sessions_source)
        register_merge_step("groups", services.move_for_merge, moves=("groups.Participant",))
        register_load_source("groups", _("Groups facilitated"), selectors.groups_facilitated)
        register_start_panel(
            name="groups_coordinator",
            roles=[Role.COORDINATOR],
            permission="manage_groups",
            template="groups/_start_coordinator.html",
            build=panels.coordinator_panel,
        )
        register_start_panel(
            name="groups_facilitator",
            roles=[Role.PEER, Role.COORDINATOR],
            permission="take_attendance",
            template="groups/_start_facilitator.html",
            build=panels.facilitator_panel,
        )
