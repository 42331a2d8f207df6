"""Demo: Københavns Kommune's report for the last year is stored as the page would store it, in
Danish for its managers (small cells shown) and its evaluators (suppressed), so the report page
opens at once with "Tallene er beregnet <tid>" and "Beregn igen"; once the figures are older than
``BROBYG_REPORT_FRESH_MINUTES`` a visit computes them again (inline in the demo).

They are computed once the whole demo is committed, so that they count what the apps seeded
after this one (volunteers) and leave out the citizen the rights demo erases."""

from datetime import timedelta

from django.db import transaction
from django_scopes import scope

from brobyg.reports import services, snapshots
from brobyg.reports.change import FOLLOW_UPS

ORGANISATION = "Københavns Kommune"


def seed(context) -> None:
    organisation = context.organisations[ORGANISATION]
    transaction.on_commit(lambda: _store(organisation, context.today))


def _store(organisation, today) -> None:
    choices = {
        "programmes": [],
        "start": today - timedelta(days=365),
        "end": today,
        "follow_up": FOLLOW_UPS[0],
    }
    with scope(organisation=organisation.pk):
        for suppressed in (False, True):
            services.snapshot_compute(
                organisation=organisation,
                parameters=snapshots.snapshot_parameters(
                    choices=choices, suppressed=suppressed, language="da"
                ),
            )
