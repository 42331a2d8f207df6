from django_scopes import scope, scopes_disabled
from django_tasks import task

from brobyg.reports import services
from brobyg.reports.models import ReportRun


@task()
def make_report_file(*, run_id: int) -> str:
    """Make one asked-for report file; the run page shows its progress."""
    with scopes_disabled():
        run = ReportRun.objects.select_related("organisation").get(pk=run_id)
    with scope(organisation=run.organisation_id):
        services.run_make(run)
    return run.status


@task()
def clear_old_report_files() -> int:
    """Periodic: clear report files older than a day."""
    with scopes_disabled():
        return services.runs_clear_old()
