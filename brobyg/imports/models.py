"""An uploaded file, read and waiting for its preview to be confirmed: kept for an hour at most,
deleted when imported, discarded or expired (``services.uploads_purge_expired``)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# How long an upload waits for the import to be confirmed.
UPLOAD_KEPT_MINUTES = 60


class ImportKind(models.TextChoices):
    PEERS = "peers", _("Peers")
    REQUESTS = "requests", _("Citizens on the waiting list")
    COURSES = "courses", _("Running courses")


class ImportUpload(models.Model):
    """The cells of an uploaded file by column, row by row; nothing is imported yet."""

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
    # [[row number in the file, {column key: cell text}], ...]
    rows = models.JSONField(default=list)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "created_by"], name="import_upload_owner"),
        ]

    def __str__(self):
        return f"{self.kind} upload"
