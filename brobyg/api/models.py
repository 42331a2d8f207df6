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
