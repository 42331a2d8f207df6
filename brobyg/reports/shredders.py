"""The report files: no row points to a citizen, but a finished file may quote one (answers in
their own words) or count them, so erasure clears the organisation's stored files and deletes
its stored report figures (they count the citizen; the page computes them again); datasets
that an evaluator was already given are listed in the erasure record."""

from django.utils.translation import gettext_lazy as _

from brobyg.reports.models import ExportFormat, ReportRun, ReportSnapshot
from brobyg.rights.registry import Shredder, iso


def export(*, citizens) -> dict:
    return {}


def erase(*, citizens) -> dict:
    organisation_ids = {citizen.organisation_id for citizen in citizens}
    runs = ReportRun.objects.filter(organisation_id__in=organisation_ids)
    since = min(citizen.created_at for citizen in citizens)
    datasets = [
        {"id": str(run.public_id), "made_at": iso(run.finished_at or run.created_at)}
        for run in runs.filter(format=ExportFormat.DATASET, created_at__gte=since).order_by(
            "created_at", "pk"
        )
    ]
    cleared = runs.filter(content__isnull=False).update(content=None)
    figures, _counts = ReportSnapshot.objects.filter(organisation_id__in=organisation_ids).delete()
    return {
        "report_files_cleared": cleared,
        "report_figures_deleted": figures,
        "datasets_given_before": datasets,
    }


SHREDDER = Shredder(
    name="reports",
    label=_("Report files"),
    models=(),
    export=export,
    erase=erase,
    order=80,
)
