"""An uploaded file, read and waiting for its preview to be confirmed: kept for an hour at most,
deleted when imported, discarded or expired (``services.uploads_purge_expired``). Its cells are
stored encrypted; the file itself is never stored."""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.lib import crypto

# How long an upload waits for the import to be confirmed.
UPLOAD_KEPT_MINUTES = 60


class ImportKind(models.TextChoices):
    PEERS = "peers", _("Peers")
    REQUESTS = "requests", _("Citizens on the waiting list")
    COURSES = "courses", _("Running courses")


class ImportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for your confirmation")
    QUEUED = "queued", _("Waiting to be imported")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportUpload(models.Model):
    """The cells of an uploaded file by column, row by row, until they are imported; then what
    the import did (``status``, ``result``), without the cells."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    file_name = models.CharField(max_length=200)
    # The cells as JSON, [[row number in the file, {column key: cell text}], ...], encrypted like
    # CPR numbers elsewhere (lib.crypto): a sheet of the waiting list holds CPR numbers.
    sealed_rows = models.TextField(default="", editable=False)
    # Confirmed imports run in the background worker (tasks.run_import), all or nothing.
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default="waiting")
    options = models.JSONField(default=dict, blank=True)  # the importer's choices and language
    result = models.JSONField(default=dict, blank=True)  # {"created": n, "skipped": n}
    problem = models.TextField(blank=True)  # why nothing was imported, in the importer's words
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "created_by"], name="import_upload_owner"),
        ]

    def __str__(self):
        return f"{self.kind} upload"

    @property
    def rows(self) -> list:
        if not hasattr(self, "_rows"):
            self._rows = json.loads(crypto.decrypt(self.sealed_rows) or "[]")
        return self._rows

    @rows.setter
    def rows(self, value: list) -> None:
        self._rows = value
        self.sealed_rows = crypto.encrypt(json.dumps(value, ensure_ascii=False))
