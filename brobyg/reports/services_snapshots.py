"""Stored report figures (``ReportSnapshot``): shown at once, refreshed by the background worker.

The report page asks ``snapshot_for_page``: a snapshot younger than
``BROBYG_REPORT_FRESH_MINUTES`` is shown as it is; an older one, or none, gets a refresh queued
(``snapshot_refresh_request``, also the "Compute again" button) while the page shows the old
figures or a "being computed" state with the refresh's progress. One refresh per snapshot is
queued or running at a time. The worker's ``tasks.refresh_report_snapshot`` runs
``snapshot_refresh_run``: the same ``build_report`` as before, outside a transaction so its
progress is seen, then the figures in one write. A failure keeps the old figures.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brobyg.lib.replica import replica_reads
from brobyg.orgs.models import Programme
from brobyg.reports import snapshots
from brobyg.reports.models import LIVE_SNAPSHOT_STATUSES, ReportSnapshot, SnapshotStatus
from brobyg.reports.report import Report, build_report

logger = logging.getLogger(__name__)

SNAPSHOT_KEPT = timedelta(days=1)


def fresh_since(now=None):
    """Figures computed after this moment are fresh."""
    return (now or timezone.now()) - timedelta(minutes=settings.BROBYG_REPORT_FRESH_MINUTES)


def is_fresh(snapshot: ReportSnapshot, now=None) -> bool:
    """Computed recently, in the schema this code reads (figures stored by an earlier version
    are computed again)."""
    return (
        snapshot.computed_at is not None
        and snapshot.computed_at >= fresh_since(now)
        and (snapshot.figures or {}).get("schema") == snapshots.SCHEMA_VERSION
    )


def snapshot_for_page(*, organisation, parameters: dict) -> ReportSnapshot:
    """The snapshot of the report with these ``parameters`` (``snapshots.snapshot_parameters``),
    with a refresh queued when it has no fresh figures and none is waiting or running."""
    key = snapshots.snapshot_key(parameters)
    snapshot = ReportSnapshot.objects.filter(organisation=organisation, key=key).first()
    if snapshot is not None and (snapshot.is_live or is_fresh(snapshot)):
        return snapshot
    return snapshot_refresh_request(organisation=organisation, parameters=parameters)


@transaction.atomic
def snapshot_refresh_request(*, organisation, parameters: dict) -> ReportSnapshot:
    """Queue a refresh of the snapshot with these parameters (made when missing), unless one is
    already waiting or running. Returns the snapshot as it is after the enqueue (with the
    inline task backend of development and tests, already refreshed)."""
    from brobyg.reports.tasks import refresh_report_snapshot

    key = snapshots.snapshot_key(parameters)
    snapshot, _created = _snapshot_row(organisation, key, parameters)
    # Requests for one snapshot wait for each other here, so only one can queue its refresh.
    snapshot = ReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if not _created and snapshot.is_live:
        return snapshot
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        status=SnapshotStatus.QUEUED, progress=0, refresh_started_at=timezone.now()
    )
    # The database queue's row commits with this transaction; the worker cannot see it before.
    refresh_report_snapshot.enqueue(str(snapshot.public_id))
    return ReportSnapshot.objects.get(pk=snapshot.pk)


def _build(snapshot: ReportSnapshot, progress=None) -> Report:
    parameters = snapshot.parameters
    programmes = list(
        Programme.objects.filter(
            organisation=snapshot.organisation, pk__in=parameters["programme_ids"]
        ).order_by("name")
    )
    with replica_reads():
        return build_report(
            organisations=[snapshot.organisation],
            programmes=programmes,
            start=date.fromisoformat(parameters["start"]),
            end=date.fromisoformat(parameters["end"]),
            follow_up=parameters["follow_up"],
            suppress=snapshot.suppressed,
            quotes=False,
            progress=progress,
        )


def snapshot_refresh_run(*, snapshot: ReportSnapshot) -> str:
    """The worker's part: compute the figures again, writing the progress as it goes, then
    store them. A failure keeps the old figures and says so; the log gets the snapshot's id."""
    rows = ReportSnapshot.objects.filter(pk=snapshot.pk)
    rows.update(status=SnapshotStatus.RUNNING, progress=5)

    def progress(percent: int) -> None:
        rows.update(progress=max(5, min(95, percent)))

    try:
        report = _build(snapshot, progress)
        figures = snapshots.dump(report)
    except Exception:
        logger.error("Report figures could not be computed (snapshot %s).", snapshot.public_id)
        rows.update(status=SnapshotStatus.FAILED, progress=0)
        return SnapshotStatus.FAILED
    rows.update(
        status=SnapshotStatus.DONE,
        progress=100,
        figures=figures,
        computed_at=report.generated_at,
    )
    return SnapshotStatus.DONE


def snapshot_report(snapshot: ReportSnapshot, *, quotes: bool) -> Report | None:
    """The stored report of a snapshot (None before its first figures), with the quotes added
    live where the reader may see them."""
    report = snapshots.load(snapshot.figures)
    if report is not None and quotes:
        with replica_reads():
            snapshots.with_quotes(
                report, organisation=snapshot.organisation, parameters=snapshot.parameters
            )
    return report


def report_for_file(*, organisation, parameters: dict, progress=None) -> Report:
    """The report of a report file (``services.run_make``): the figures of a fresh snapshot of
    the same scope and suppression when there is one, else built now and stored as that
    snapshot for the page and the next file (unless a refresh of it is under way)."""
    key = snapshots.snapshot_key(parameters)
    snapshot = ReportSnapshot.objects.filter(organisation=organisation, key=key).first()
    if snapshot is not None and is_fresh(snapshot):
        report = snapshots.load(snapshot.figures)
        if report is not None:
            return report
    transient = snapshot or ReportSnapshot(
        organisation=organisation, key=key, parameters=parameters
    )
    transient.suppressed = parameters["suppressed"]
    report = _build(transient, progress)
    _store(organisation=organisation, key=key, parameters=parameters, report=report)
    return report


def snapshot_compute(*, organisation, parameters: dict) -> Report:
    """Compute and store the figures at once, in this process (the demo)."""
    key = snapshots.snapshot_key(parameters)
    transient = ReportSnapshot(
        organisation=organisation,
        key=key,
        parameters=parameters,
        suppressed=parameters["suppressed"],
    )
    report = _build(transient)
    _store(organisation=organisation, key=key, parameters=parameters, report=report)
    return report


def _snapshot_row(organisation, key: str, parameters: dict, **defaults):
    """The snapshot row of ``key``, made with the parameters' fields if it is new."""
    return ReportSnapshot.objects.get_or_create(
        organisation=organisation,
        key=key,
        defaults={
            "parameters": parameters,
            "suppressed": parameters["suppressed"],
            "language": parameters["language"],
            **defaults,
        },
    )


@transaction.atomic
def _store(*, organisation, key: str, parameters: dict, report: Report) -> None:
    snapshot, _created = _snapshot_row(organisation, key, parameters, status=SnapshotStatus.DONE)
    ReportSnapshot.objects.filter(pk=snapshot.pk).exclude(status__in=LIVE_SNAPSHOT_STATUSES).update(
        status=SnapshotStatus.DONE,
        progress=100,
        figures=snapshots.dump(report),
        computed_at=report.generated_at,
    )


def snapshots_clear_old(*, now=None) -> int:
    """Delete snapshots computed more than a day ago (and those never computed, a day after
    they were asked for)."""
    cutoff = (now or timezone.now()) - SNAPSHOT_KEPT
    old = ReportSnapshot.objects.filter(computed_at__lt=cutoff) | ReportSnapshot.objects.filter(
        computed_at__isnull=True, created_at__lt=cutoff
    )
    deleted, _counts = old.delete()
    return deleted
