from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "brobyg.support"
    label = "support"
    verbose_name = _("Support courses")

    def ready(self):
        from brobyg.rights.registry import register_shredder
        from brobyg.support.shredders import SHREDDER

        register_shredder(SHREDDER)

        from brobyg.intake.extensions import (
            register_citizen_section,
            register_later_status,
            register_personal_stage,
        )
        from brobyg.matching.extensions import (
            register_activation_step,
            register_held_places_source,
        )
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.peercare.extensions import register_load_source
        from brobyg.people.extensions import register_citizen_scope, register_merge_step
        from brobyg.support import panels, personal, selectors, services
        from brobyg.support.extensions import register_calendar_source

        register_activation_step("support", services.course_create_for_match)
        register_held_places_source("support", selectors.live_course_counts)
        register_citizen_scope(
            "view_citizens_of_own_courses", selectors.citizens_of_own_live_courses
        )
        register_merge_step("support", services.move_for_merge, moves=("support.Course",))
        register_calendar_source("support", selectors.calendar_entries)
        register_load_source(
            "courses", _("Live courses"), selectors.load_live_courses, counts_against_capacity=True
        )
        register_load_source("sessions", _("Sessions this month"), selectors.load_sessions)
        register_load_source("hours", _("Hours this month"), selectors.load_hours)
        register_citizen_section(
            name="support_courses",
            permission="view_courses",
            template="support/_citizen_courses.html",
            build=panels.citizen_courses,
        )
        register_later_status("support", panels.course_statuses)
        register_personal_stage("support_course", personal.course_stage)
        register_personal_stage("support_handover", personal.handover_stage)
        register_personal_stage("support_end", personal.end_stage)
        register_start_panel(
            name="support_coordinator",
            roles=[Role.COORDINATOR],
            permission="manage_courses",
            template="support/_start_coordinator.html",
            build=panels.coordinator_panel,
        )
        register_start_panel(
            name="support_peer",
            roles=[Role.PEER],
            permission="log_sessions",
            template="support/_start_peer.html",
            build=panels.peer_panel,
        )
