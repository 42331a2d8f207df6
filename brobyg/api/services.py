"""Creating API clients, rotating and retiring their secrets, revoking them. Webhooks are in
``services_webhooks`` (imported here too)."""

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from brobyg.api.models import CLIENT_ROLES, ApiClient, ApiCredential
from brobyg.api.services_webhooks import (  # noqa: F401  (services.<name> for every write)
    delivery_send_again,
    subscription_create,
    subscription_stop,
)
from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on

# A client may hold two live secrets at once: the old one keeps working while the case system
# is switched to the new one, then the admin retires the old one.
MAX_LIVE_CREDENTIALS = 2


def _new_credential(api_client) -> tuple[ApiCredential, str]:
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{api_client.organisation.name}: {api_client.name}"[:255],
        user=api_client.account,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed when saved
        hash_client_secret=True,
    )
    credential = ApiCredential.objects.create(
        organisation=api_client.organisation, api_client=api_client, application=application
    )
    return credential, secret


@transaction.atomic
def api_client_create(
    *, actor, organisation, name: str, roles: list[str], expires_on, request=None
) -> tuple[ApiClient, ApiCredential, str]:
    """A new client with its first credential. Returns the secret in clear: shown once, never
    stored."""
    if not roles or any(role not in CLIENT_ROLES for role in roles):
        raise ValidationError({"roles": _("Choose at least one role a client can hold.")})
    if expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("Choose a day after today.")})
    if ApiClient.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": _("Another client has this name.")})
    account = get_user_model().objects.create_user(
        f"api-{uuid.uuid4().hex}@clients.invalid",
        None,
        full_name=_("API client: %(name)s") % {"name": name},
        is_active=False,
    )
    api_client = ApiClient(
        organisation=organisation,
        name=name,
        roles=list(roles),
        expires_on=expires_on,
        account=account,
        created_by=actor,
    )
    api_client.full_clean()
    api_client.save()
    credential, secret = _new_credential(api_client)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=api_client,
        details={"roles": list(roles), "expires_on": expires_on.isoformat()},
        request=request,
    )
    return api_client, credential, secret


@transaction.atomic
def api_credential_add(*, actor, api_client, request=None) -> tuple[ApiCredential, str]:
    """A second secret for rotation without downtime: both work until the old one is retired."""
    if not api_client.is_live():
        raise ValidationError(_("This client is revoked or expired."))
    if api_client.credentials.filter(retired_at=None).count() >= MAX_LIVE_CREDENTIALS:
        raise ValidationError(
            _("Retire the old secret first: a client has at most two secrets at a time.")
        )
    credential, secret = _new_credential(api_client)
    log_action_on(
        api_client,
        action=Action.UPDATE,
        actor=actor,
        details={"credential_added": credential.application.client_id},
        request=request,
    )
    return credential, secret


def _retire(credentials, now) -> None:
    for credential in credentials:
        credential.retired_at = now
        credential.save(update_fields=["retired_at"])
        AccessToken.objects.filter(application_id=credential.application_id).delete()


@transaction.atomic
def api_credential_retire(*, actor, credential, request=None) -> None:
    """Retire one secret; its tokens stop working at once."""
    if credential.retired_at is not None:
        return
    _retire([credential], timezone.now())
    log_action(
        action=Action.UPDATE,
        actor=actor,
        organisation=credential.organisation,
        target=credential.api_client,
        details={"credential_retired": credential.application.client_id},
        request=request,
    )


@transaction.atomic
def api_client_revoke(*, actor, api_client, request=None) -> None:
    """Stop a client at once: every secret retired, every token deleted."""
    if api_client.revoked_at is not None:
        return
    now = timezone.now()
    api_client.revoked_at = now
    api_client.save(update_fields=["revoked_at"])
    _retire(api_client.credentials.filter(retired_at=None), now)
    log_action_on(
        api_client, action=Action.UPDATE, actor=actor, details={"revoked": True}, request=request
    )
