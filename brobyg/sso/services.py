"""Saving an organisation's identity provider, and deciding who gets in through it, as what.

Every decision at log-in is in the audit log: a membership made just in time, roles changed by
the groups, and every refusal (``denied``, with the reason).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on, log_denied
from brobyg.lib import crypto
from brobyg.orgs.models import Membership, Organisation, User
from brobyg.sso.claims import Identity
from brobyg.sso.keys import make_key_pair
from brobyg.sso.models import Admission, IdentityProvider, Protocol, RoleMapping

# The fields of IdentityProvider an administrator sets on the settings page.
EDITABLE_FIELDS = (
    "protocol",
    "slug",
    "label",
    "is_enabled",
    "admission",
    "sso_only",
    "groups_claim",
    "cvr",
    "server_url",
    "client_id",
    "use_pkce",
    "idp_metadata_url",
    "sp_entity_id",
    "sign_requests",
    "want_assertions_signed",
    "want_assertions_encrypted",
)


class LoginRefused(Exception):
    """A log-in through an identity provider that Brobyg does not let in; ``message`` is shown."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason


def _apply_metadata(provider: IdentityProvider, metadata_xml: str) -> None:
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml)
    except Exception as error:  # python3-saml raises plain exceptions for malformed XML
        raise ValidationError(
            {"metadata_file": _("The file is not SAML metadata of an identity provider.")}
        ) from error
    idp = parsed.get("idp") or {}
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certificate = idp.get("x509cert") or next(
        iter((idp.get("x509certMulti") or {}).get("signing") or []), ""
    )
    if not idp.get("entityId") or not sso_url or not certificate:
        raise ValidationError(
            {
                "metadata_file": _(
                    "The metadata lacks the entity id, the log-in address or the signing "
                    "certificate."
                )
            }
        )
    provider.idp_entity_id = idp["entityId"]
    provider.idp_sso_url = sso_url
    provider.idp_slo_url = (idp.get("singleLogoutService") or {}).get("url", "")
    provider.idp_certificate = certificate


@transaction.atomic
def provider_save(
    *,
    actor,
    organisation: Organisation,
    data: dict,
    client_secret: str = "",
    metadata_xml: str = "",
    mappings: list[tuple[str, str]],
) -> IdentityProvider:
    """Create or change the organisation's identity provider and replace its role mapping.

    An empty ``client_secret`` keeps the stored one. A SAML provider gets its key pair (for
    signed requests and encrypted assertions) the first time it is saved.
    """
    provider = IdentityProvider.objects.filter(organisation=organisation).first()
    created = provider is None
    if created:
        provider = IdentityProvider(organisation=organisation)
    changed = [field for field in EDITABLE_FIELDS if getattr(provider, field) != data.get(field)]
    for field in EDITABLE_FIELDS:
        setattr(provider, field, data[field])
    if client_secret:
        provider.client_secret_encrypted = crypto.encrypt(client_secret)
        changed.append("client_secret")
    if metadata_xml:
        _apply_metadata(provider, metadata_xml)
        changed.append("idp_metadata")
    if provider.protocol == Protocol.OIDC and not provider.client_secret_encrypted:
        raise ValidationError({"client_secret": _("Required for OpenID Connect.")})
    if provider.protocol == Protocol.SAML and not provider.sp_certificate:
        private_key, certificate = make_key_pair(f"Brobyg {organisation.name}")
        provider.sp_private_key_encrypted = crypto.encrypt(private_key)
        provider.sp_certificate = certificate
    provider.full_clean()
    provider.save()
    before = sorted((m.group, m.role) for m in provider.role_mappings.all())
    after = sorted(set(mappings))
    if before != after:
        provider.role_mappings.all().delete()
        RoleMapping.objects.bulk_create(
            RoleMapping(provider=provider, group=group, role=role) for group, role in after
        )
        changed.append("role_mappings")
    log_action(
        action=Action.CREATE if created else Action.UPDATE,
        actor=actor,
        organisation=organisation,
        target=provider,
        details={"fields": sorted(changed)},
    )
    return provider


def roles_for_groups(provider: IdentityProvider, groups) -> list[str]:
    groups = set(groups)
    return sorted(
        {mapping.role for mapping in provider.role_mappings.all() if mapping.group in groups}
    )


def _refuse(request, provider, message: str, reason: str, details: dict):
    log_denied(
        request=request,
        reason=reason,
        target=provider,
        details={"sso": provider.slug, **details},
    )
    raise LoginRefused(message, reason)


def _membership(user, organisation):
    if user is None:
        return None
    with scopes_disabled():
        return Membership.objects.filter(user=user, organisation=organisation).first()


def admit_login(
    *, request, provider: IdentityProvider, identity: Identity, account_user=None
) -> User:
    """Decide whether the person the provider vouches for gets into its organisation, and with
    which roles; returns the user to log in, or raises ``LoginRefused`` (logged ``denied``).

    ``account_user`` is the user already linked to this provider's account, if any. Otherwise
    the e-mail address finds the user; an existing account is let in only if it is already a
    member of this organisation, so one organisation's provider can never take over, or reach,
    an account of another. The groups decide the roles at every log-in: groups that no longer
    map to any role end the membership. Each write is atomic; a refusal's ``denied`` entry stays.
    """
    with scope(organisation=provider.organisation_id):
        return _admit(request, provider, identity, account_user)


def _admit(request, provider: IdentityProvider, identity: Identity, account_user) -> User:
    organisation = provider.organisation
    refused = _("You cannot log in to %(organisation)s through its identity provider.") % {
        "organisation": organisation.name
    }
    if not provider.is_enabled or not organisation.is_active:
        _refuse(request, provider, refused, "sso: provider disabled", {})
    user = account_user
    if user is None:
        if not identity.email:
            _refuse(request, provider, refused, "sso: no e-mail from provider", {})
        user = User.objects.filter(email__iexact=identity.email).first()
    if user is not None and not user.is_active:
        _refuse(request, provider, refused, "sso: account inactive", {})
    membership = _membership(user, organisation)
    roles = roles_for_groups(provider, identity.groups)
    details = {"groups": list(identity.groups), "roles": roles}
    if membership is None and (user is not None or provider.admission == Admission.INVITED_ONLY):
        reason = (
            "sso: not invited"
            if provider.admission == Admission.INVITED_ONLY
            else "sso: e-mail belongs to an account outside the organisation"
        )
        _refuse(request, provider, refused, reason, details)
    if not roles:
        if membership is not None and membership.is_active:
            _deactivate(membership, details)
        _refuse(
            request,
            provider,
            _("Your groups at %(organisation)s give you no role in Brobyg. Ask your administrator.")
            % {"organisation": organisation.name},
            "sso: no group maps to a role",
            details,
        )
    if membership is None:
        return _create_member(organisation, identity, roles, details)
    if membership.roles != roles or not membership.is_active:
        _update_roles(membership, roles, details)
    return user


@transaction.atomic
def _deactivate(membership: Membership, details: dict) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    log_action_on(
        membership,
        action=Action.UPDATE,
        actor=membership.user,
        subject=membership.user,
        reason="sso: groups no longer map to a role",
        details={**details, "is_active": False},
    )


@transaction.atomic
def _create_member(organisation, identity: Identity, roles: list[str], details: dict) -> User:
    user = User(email=identity.email, full_name=identity.full_name[:200])
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(user=user, organisation=organisation, roles=roles)
    membership.full_clean()
    membership.save()
    log_action(
        action=Action.CREATE,
        actor=user,
        organisation=organisation,
        target=membership,
        subject=user,
        reason="sso: just-in-time membership",
        details=details,
    )
    return user


@transaction.atomic
def _update_roles(membership: Membership, roles: list[str], details: dict) -> None:
    log_action_on(
        membership,
        action=Action.UPDATE,
        actor=membership.user,
        subject=membership.user,
        reason="sso: roles from groups",
        details={**details, "before": membership.roles, "was_active": membership.is_active},
    )
    membership.roles = roles
    membership.is_active = True
    membership.full_clean()
    membership.save(update_fields=["roles", "is_active"])


def sso_only_organisations(user) -> list[Organisation]:
    """The organisations whose provider forbids ``user`` a Brobyg password."""
    with scopes_disabled():
        return [
            membership.organisation
            for membership in Membership.objects.filter(
                user=user,
                is_active=True,
                organisation__identity_provider__sso_only=True,
                organisation__identity_provider__is_enabled=True,
            ).select_related("organisation")
        ]
