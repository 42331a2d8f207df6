"""One text message (SMS) to a citizen and what became of it.

The text is kept encrypted only until it has been handed to the provider or given up (it may hold
a personal link); then it is deleted, and the record (kind, number, delivery) stays
``BROBYG_SMS_RETENTION_DAYS`` for the coordinator's overview.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class TextKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt for a request")
    MATCH = "match", _("Match proposal")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    REMINDER = "reminder", _("Reminder")
    CODE = "code", _("One-time code")
    MESSAGE = "message", _("New secure message")


class TextStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will be tried again")
    FAILED = "failed", _("Failed")
    # From the provider's delivery report, after it took the text.
    DELIVERED = "delivered", _("Delivered to the phone")
    UNDELIVERED = "undelivered", _("Not delivered")


# A text in these states may still be sent; the others are done with.
PENDING_STATUSES = (TextStatus.QUEUED, TextStatus.RETRYING)


class TextMessage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        "people.Citizen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="text_messages",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TextKind.choices)
    # The number in international form without "+", as the provider takes it (4520304050).
    msisdn = models.CharField(_("number"), max_length=16)
    text_encrypted = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TextStatus.choices, default=TextStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, as a short code (never the provider's words, which may quote the number).
    error = models.CharField(max_length=40, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The provider's latest delivery report: its status word (DELIVERED, EXPIRED, ...) and when
    # it came.
    delivery_report = models.CharField(_("delivery report"), max_length=16, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = False

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="sms_org_created"),
            models.Index(fields=["status", "next_attempt_at"], name="sms_status_next"),
            models.Index(fields=["provider_id"], name="sms_provider_id"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def number_masked(self) -> str:
        """The last three digits only: enough to tell numbers apart on the overview."""
        return f"+{self.msisdn[:2]} ••• •• {self.msisdn[-3:]}" if self.msisdn else ""
