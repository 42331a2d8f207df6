"""Report files: asked for by a member, made by a task with progress, cleared after a day."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.lib.replica import replica_reads
from brobyg.orgs.models import Programme
from brobyg.reports import exports, snapshots
from brobyg.reports.models import ExportFormat, ReportRun, RunStatus
from brobyg.reports.services_snapshots import (  # noqa: F401  (services.<name> for every write)
    report_for_file,
    snapshot_compute,
    snapshot_for_page,
    snapshot_refresh_request,
    snapshot_refresh_run,
    snapshot_report,
    snapshots_clear_old,
)

KEEP_FOR = timedelta(days=1)
EXTENSIONS = {
    ExportFormat.PDF: ("pdf", "application/pdf"),
    ExportFormat.XLSX: ("xlsx", exports.XLSX_TYPE),
    ExportFormat.CSV: ("csv", "text/csv; charset=utf-8"),
    ExportFormat.DATASET: ("zip", "application/zip"),
}


@transaction.atomic
def run_request(*, organisation, actor, format: str, parameters: dict, request=None) -> ReportRun:
    """Ask for a report file; the task that makes it is enqueued once this commits."""
    from brobyg.reports import tasks

    language = translation.get_language() or "da"
    run = ReportRun.objects.create(
        organisation=organisation,
        requested_by=actor,
        format=ExportFormat(format),
        parameters={**parameters, "language": language},
    )
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=run,
        reason=gettext_noop("report file asked for"),
        details={"format": run.format},
        request=request,
    )
    transaction.on_commit(lambda: tasks.make_report_file.enqueue(run_id=run.pk), robust=True)
    return run


def _set(run, **fields) -> None:
    ReportRun.objects.filter(pk=run.pk).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)


def run_make(run: ReportRun) -> ReportRun:
    """Make the file of a run (called by the task), reporting progress as it goes."""
    parameters = run.parameters
    programmes = list(
        Programme.objects.filter(
            organisation=run.organisation, public_id__in=parameters.get("programmes", [])
        ).order_by("name")
    )
    start, end = date.fromisoformat(parameters["start"]), date.fromisoformat(parameters["end"])
    _set(run, status=RunStatus.RUNNING, progress=5)

    def progress(percent: int) -> None:
        _set(run, progress=max(5, min(95, percent)))

    try:
        with translation.override(parameters.get("language", "da")), replica_reads():
            if run.format == ExportFormat.DATASET:
                content = exports.render_dataset(
                    organisation=run.organisation,
                    programmes=programmes,
                    start=start,
                    end=end,
                    progress=progress,
                )
            else:
                # Files can leave the organisation: always suppressed. A fresh snapshot of the
                # same scope gives its figures; the quotes are added live, never stored.
                report = report_for_file(
                    organisation=run.organisation,
                    parameters=snapshots.snapshot_parameters(
                        choices={
                            "programmes": programmes,
                            "start": start,
                            "end": end,
                            "follow_up": parameters.get("follow_up", "last"),
                        },
                        suppressed=True,
                        language=parameters.get("language", "da"),
                    ),
                    progress=progress,
                )
                if parameters.get("quotes", False):
                    snapshots.with_quotes(
                        report,
                        organisation=run.organisation,
                        parameters={
                            "programme_ids": [programme.pk for programme in programmes],
                            "start": parameters["start"],
                            "end": parameters["end"],
                        },
                    )
                render = {
                    ExportFormat.PDF: exports.render_pdf,
                    ExportFormat.XLSX: exports.render_xlsx,
                    ExportFormat.CSV: exports.render_csv,
                }[run.format]
                content = render(report)
    except Exception:
        _set(run, status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    extension, content_type = EXTENSIONS[run.format]
    _set(
        run,
        status=RunStatus.DONE,
        progress=100,
        content=content,
        filename=f"brobyg-report-{start.isoformat()}-{end.isoformat()}.{extension}",
        content_type=content_type,
        finished_at=timezone.now(),
    )
    return run


def run_downloaded(*, run: ReportRun, request) -> None:
    log_action(
        action=Action.EXPORT,
        actor=request.user,
        organisation=run.organisation,
        target=run,
        reason=gettext_noop("report file downloaded"),
        details={"format": run.format, **{k: v for k, v in run.parameters.items()}},
        request=request,
    )


def runs_clear_old(*, now=None) -> int:
    """Clear the files of runs older than a day (the runs stay, without content)."""
    now = now or timezone.now()
    return ReportRun.objects.filter(created_at__lt=now - KEEP_FOR, content__isnull=False).update(
        content=None
    )
