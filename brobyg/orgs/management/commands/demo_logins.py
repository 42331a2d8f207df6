"""Print the demo logins, and where the demo's e-mails go: the last thing `make demo` says before
the server starts, so the logins are not scrolled away by the seeding and the periodic jobs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from brobyg.orgs.management.commands.seed_demo import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins and where the demo's e-mails are written."

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for local_part, _roles, description in DEMO_LOGINS:
            self.stdout.write(f"  {local_part + '@' + DEMO_DOMAIN:<36} {description}")
        folder = getattr(settings, "EMAIL_FILE_PATH", None)
        if folder:
            self.stdout.write(f"\nE-mails the demo sends are written to {folder}/")
        self.stdout.write(
            "\nDemo mode lets staff in without a second factor; production never does.\n"
            "Open http://127.0.0.1:8000 and log in.\n"
        )
