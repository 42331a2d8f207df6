import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ExportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV")
    DATASET = "dataset", _("Pseudonymised dataset with data dictionary")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportRun(models.Model):
    """One report file asked for by one member: made by a background task, shown with its
    progress, and downloadable by that member only. The file is cleared after a day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(max_length=16, choices=ExportFormat.choices)
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being computed")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# A snapshot in one of these has its one refresh waiting or running.
LIVE_SNAPSHOT_STATUSES = (SnapshotStatus.QUEUED, SnapshotStatus.RUNNING)


class ReportSnapshot(models.Model):
    """The figures of one report, computed by a background task and shown at once the next time
    someone asks for the same report: one row per organisation and ``key`` (the scope form's
    choices, the suppression, the language; ``snapshots.snapshot_key``). ``figures`` is the
    report without its quotes (``snapshots.dump``), never free text; ``status`` and
    ``progress`` are those of its latest refresh. Cleared a day after it was computed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(max_length=64)
    parameters = models.JSONField(default=dict)
    suppressed = models.BooleanField()
    language = models.CharField(max_length=8)
    status = models.CharField(
        max_length=16, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    figures = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    refresh_started_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="reports_one_snapshot_per_key"
            )
        ]
        indexes = [models.Index(fields=["computed_at"], name="reports_snapshot_computed")]

    def __str__(self):
        return f"{self.key[:8]} {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_SNAPSHOT_STATUSES
