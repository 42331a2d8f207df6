"""API clients: the case systems and data warehouses that call the JSON API.

A client belongs to one organisation and acts there with the roles it was given, through the same
permission table as a member of staff. Its secrets are OAuth 2.0 applications of
django-oauth-toolkit (client credentials, stored hashed): a client has one or, while a secret is
being rotated, two live credentials.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from brobyg.orgs.choices import Role

# The roles a machine may act with: the ones whose view of the organisation does not depend on
# being a particular person (a peer's own courses, a supervisor's own peers).
CLIENT_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.REFERRER, Role.EVALUATOR)


class ApiClient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    roles = models.JSONField(_("roles"), default=list)
    expires_on = models.DateField(_("expires on"))
    # The account the client's writes are recorded under (a referral's "referred by"): never
    # able to log in, and no membership, so it is on no member list and is told of nothing.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    AUDIT_LABEL = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="apiclient_unique_name")
        ]

    def __str__(self):
        return self.name

    def is_live(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and today <= self.expires_on

    def get_roles_display(self):
        return [Role(code).label for code in self.roles]


class ApiCredential(models.Model):
    """One client id and (hashed) secret of a client: an OAuth application."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    api_client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="credentials")
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("API credential")
        verbose_name_plural = _("API credentials")

    def __str__(self):
        return self.application.client_id


class WebhookEvent(models.TextChoices):
    """The events a client may subscribe to (``orgs.extensions.EVENTS``)."""

    REQUEST_STATUS_CHANGED = "request.status_changed", _("A request's status changed")
    COURSE_STARTED = "course.started", _("A support course started")
    COURSE_ENDED = "course.ended", _("A support course ended")
    QUESTIONNAIRE_ANSWERED = "questionnaire.answered", _("A citizen answered a questionnaire")
    HANDOVER_ACCEPTED = "handover.accepted", _("A hand-over was accepted")


class WebhookSubscription(models.Model):
    """Where a client is told of events: an address and the events. The signing secret is shown
    once and kept encrypted (``lib.crypto``), because the server signs with it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    api_client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="subscriptions"
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret_encrypted = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.url

    def get_events_display(self):
        return [WebhookEvent(code).label for code in self.events]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will be tried again")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


# A delivery in one of these may be handed to the worker.
SENDABLE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class WebhookDelivery(models.Model):
    """One event for one subscription, and how its delivery went. ``payload`` holds ids only
    (the event's type, the objects' public ids, when it happened); ``last_error`` a short code,
    never anything the receiver answered."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=60, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organisation="organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due"),
            models.Index(fields=["created_at"], name="webhookdelivery_created"),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id}"
