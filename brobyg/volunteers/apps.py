from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "brobyg.volunteers"
    label = "volunteers"
    verbose_name = "Volunteers"

    def ready(self):
        from brobyg.reports.extensions import register_organisation_section
        from brobyg.volunteers.figures import recruitment_section

        register_organisation_section("volunteers", recruitment_section)
