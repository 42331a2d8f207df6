from django.core.management.base import BaseCommand

from brobyg.periodic import PERIODIC_TASKS


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (retention, reminders, ...). Run it from a timer, e.g. hourly."
    )

    def handle(self, *args, **options):
        for periodic_task in PERIODIC_TASKS:
            result = periodic_task.enqueue()
            self.stdout.write(f"{periodic_task.name}: {result.status}")
