from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "brobyg.intake"
    label = "intake"
    verbose_name = _("Requests for support")

    def ready(self):
        from brobyg.intake.shredders import SHREDDER
        from brobyg.rights.registry import register_shredder

        register_shredder(SHREDDER)

        # orgs and people must not import intake (imports point orgs ← people ← intake), so
        # intake hands them what they need from it here.
        from brobyg.intake import services, views_staff
        from brobyg.orgs.choices import Role
        from brobyg.orgs.extensions import register_start_panel
        from brobyg.people.extensions import register_merge_step

        for name, template, build in (
            ("intake_urgent", "intake/staff/_start_urgent.html", views_staff.urgent_panel),
            ("intake_queues", "intake/staff/_start_queues.html", views_staff.queues_panel),
        ):
            register_start_panel(
                name=name,
                roles=[Role.COORDINATOR, Role.MANAGER],
                permission="view_waiting_list",
                template=template,
                build=build,
            )
        # sms comes before intake (intake texts receipts through it), so intake shows its
        # section on the citizen page: the texts to the citizen and how each went.
        from brobyg.intake.extensions import register_citizen_section
        from brobyg.sms import panels as sms_panels

        register_citizen_section(
            name="sms_texts",
            permission="view_text_messages",
            template="sms/_citizen_texts.html",
            build=sms_panels.citizen_texts,
        )
        register_merge_step(
            "support_requests", services.requests_move_for_merge, moves=("intake.SupportRequest",)
        )
