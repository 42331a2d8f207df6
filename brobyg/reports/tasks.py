from django.utils import translation
from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.reports import services
from brobyg.reports.models import LIVE_SNAPSHOT_STATUSES, ReportRun, ReportSnapshot


@task()
def make_report_file(*, run_id: int) -> str:
    """Make one asked-for report file; the run page shows its progress."""
    with scopes_disabled():
        run = ReportRun.objects.select_related("organisation").get(pk=run_id)
    with scope(organisation=run.organisation_id):
        services.run_make(run)
    return run.status


@task()
def refresh_report_snapshot(snapshot_id: str) -> str:
    """Compute a report's stored figures again (``services.snapshot_refresh_request``), in its
    organisation's scope and language; the report page shows the progress. A refresh whose
    worker died is queued again by the periodic jobs and starts again from nothing."""
    with scopes_disabled():
        snapshot = (
            ReportSnapshot.objects.select_related("organisation")
            .filter(public_id=snapshot_id)
            .first()
        )
    if snapshot is None or snapshot.status not in LIVE_SNAPSHOT_STATUSES:
        return ""
    with scope(organisation=snapshot.organisation_id), translation.override(snapshot.language):
        return services.snapshot_refresh_run(snapshot=snapshot)


@task()
def clear_old_report_files() -> int:
    """Periodic: clear report files, and delete stored report figures, older than a day."""
    with scopes_disabled():
        return services.runs_clear_old() + services.snapshots_clear_old()
