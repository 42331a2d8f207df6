"""django-allauth adapters: identity providers come from each organisation's settings, and who
gets in is decided by ``services.admit_login``.

allauth's own SAML provider (python3-saml) and OpenID Connect provider do the protocol work;
this module only hands them each organisation's configuration as an (unsaved) ``SocialApp``.
For SAML single logout, the log-in's NameID and SessionIndex are remembered in the session and
logging out of Brobyg sends python3-saml's LogoutRequest to the identity provider; its answer,
and a logout the provider begins, are handled by allauth's own single logout service (``sls``).
"""

import logging
from functools import partial

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from allauth.socialaccount.providers.saml.utils import build_auth
from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from brobyg.audit.services import log_denied
from brobyg.orgs.adapters import AccountAdapter as OrgsAccountAdapter
from brobyg.sso import selectors
from brobyg.sso.claims import identity_from
from brobyg.sso.keys import pem_body
from brobyg.sso.models import (
    OIOSAML3_EMAIL,
    OIOSAML3_NAME,
    IdentityProvider,
    Protocol,
)
from brobyg.sso.privileges import UnreadablePrivileges
from brobyg.sso.services import LoginRefused, admit_login, sso_only_organisations

logger = logging.getLogger(__name__)

# The session keys a log-in through an identity provider leaves (read by orgs.middleware).
SSO_STATE_KEY = "brobyg_sso"

SAML_ATTRIBUTES = {
    "uid": [
        "https://data.gov.dk/model/core/eid/professional/uuid/persistent",
        "urn:oasis:names:tc:SAML:attribute:subject-id",
    ],
    "email": [OIOSAML3_EMAIL, "email", "urn:oid:0.9.2342.19200300.100.1.3"],
    "first_name": ["urn:oid:2.5.4.42", "givenName"],
    "last_name": ["urn:oid:2.5.4.4", "sn"],
    "name": [OIOSAML3_NAME, "name"],
}


class OrganisationSAMLProvider(SAMLProvider):
    """allauth's SAML provider, which also keeps what single logout needs from the answer: the
    NameID (with its format and qualifiers) and the SessionIndex."""

    def sociallogin_from_response(self, request, response):
        login = super().sociallogin_from_response(request, response)
        login.saml_session = {
            "name_id": response.get_nameid(),
            "name_id_format": response.get_nameid_format(),
            "name_id_nq": response.get_nameid_nq(),
            "name_id_spnq": response.get_nameid_spnq(),
            "session_index": response.get_session_index(),
        }
        return login


def social_app(provider: IdentityProvider) -> SocialApp:
    if provider.protocol == Protocol.OIDC:
        return SocialApp(
            provider="openid_connect",
            provider_id=provider.slug,
            name=provider.label,
            client_id=provider.client_id,
            secret=provider.client_secret,
            settings={
                "server_url": provider.server_url,
                "oauth_pkce_enabled": provider.use_pkce,
                "fetch_userinfo": True,
            },
        )
    if provider.idp_sso_url:
        idp = {
            "entity_id": provider.idp_entity_id,
            "sso_url": provider.idp_sso_url,
            "slo_url": provider.idp_slo_url,
            "x509cert": provider.idp_certificate,
        }
    else:
        idp = {"entity_id": provider.idp_entity_id, "metadata_url": provider.idp_metadata_url}
    app = SocialApp(
        provider="saml",
        provider_id=provider.slug,
        name=provider.label,
        client_id=provider.slug,
        settings={
            "idp": idp,
            "sp": {"entity_id": provider.sp_entity_id},
            "attribute_mapping": SAML_ATTRIBUTES,
            "advanced": {
                "x509cert": pem_body(provider.sp_certificate),
                "private_key": provider.sp_private_key,
                "authn_request_signed": provider.sign_requests,
                "logout_request_signed": provider.sign_requests,
                "logout_response_signed": provider.sign_requests,
                "want_assertion_signed": provider.want_assertions_signed,
                # Something is always signed: the assertion, or else the whole response.
                "want_message_signed": not provider.want_assertions_signed,
                "want_assertion_encrypted": provider.want_assertions_encrypted,
                "reject_idp_initiated_sso": True,
                # Our own addresses may be on a host without a dot (an intranet name).
                "allow_single_label_domains": True,
                "strict": True,
            },
        },
    )
    # allauth's SAML views ask the app for its provider (SocialApp.get_provider).
    app.get_provider = partial(OrganisationSAMLProvider, app=app)
    return app


def saml_logout_url(request, provider: IdentityProvider, saml_session: dict | None) -> str | None:
    """The identity provider's single logout address with our signed LogoutRequest for the
    session begun at ``provider``, or None when it has no single logout service (or cannot be
    reached: nobody is kept from logging out of Brobyg)."""
    if provider.protocol != Protocol.SAML or not saml_session:
        return None
    try:
        app = social_app(provider)
        auth = build_auth(request, app.get_provider(request))
        if not auth.get_slo_url():
            return None
        return auth.logout(
            return_to=request.build_absolute_uri(reverse("account_login")),
            name_id=saml_session.get("name_id"),
            session_index=saml_session.get("session_index"),
            nq=saml_session.get("name_id_nq"),
            name_id_format=saml_session.get("name_id_format"),
            spnq=saml_session.get("name_id_spnq"),
        )
    except Exception:  # python3-saml raises plain exceptions for an unusable configuration
        logger.warning("SAML single logout request failed for %s", provider.slug)
        return None


def _refused_page(request, message: str, status: int = 403):
    return render(request, "sso/refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = []
        for identity_provider in selectors.enabled_providers():
            app = social_app(identity_provider)
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and client_id != app.client_id:
                continue
            apps.append(app)
        return apps

    def is_open_for_signup(self, request, sociallogin):
        # Whether a person may come in is decided in pre_social_login (admit_login).
        return True

    def pre_social_login(self, request, sociallogin):
        provider = selectors.enabled_provider_by_slug(sociallogin.account.provider)
        if provider is None:
            raise ImmediateHttpResponse(
                _refused_page(request, _("This identity provider is not connected to Brobyg."))
            )
        try:
            identity = identity_from(provider, sociallogin.account.extra_data or {})
        except UnreadablePrivileges as unreadable:
            log_denied(
                request=request,
                reason=f"sso: {unreadable.reason}",
                target=provider,
                details={"sso": provider.slug},
            )
            raise ImmediateHttpResponse(
                _refused_page(
                    request,
                    _(
                        "Your identity provider sent your privileges in a form Brobyg cannot "
                        "read, so you cannot log in. Ask your administrator."
                    ),
                )
            ) from None
        try:
            user = admit_login(
                request=request,
                provider=provider,
                identity=identity,
                account_user=sociallogin.user if sociallogin.is_existing else None,
            )
        except LoginRefused as refused:
            raise ImmediateHttpResponse(_refused_page(request, refused.message)) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        sociallogin.state[SSO_STATE_KEY] = {
            "organisation": str(provider.organisation.public_id),
            "provider": provider.slug,
            "multi_factor": identity.multi_factor,
            "saml": getattr(sociallogin, "saml_session", None),
        }

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        # A tampered, unsigned, expired or replayed answer, or an error at the provider. The
        # reason goes to the audit log (never the assertion itself); the person sees one page.
        details = {"error": str(error or "")[:100]}
        reason = (extra_context or {}).get("saml_last_error_reason") or str(exception or "")
        slug = getattr(getattr(provider, "app", None), "provider_id", "") or ""
        identity_provider = selectors.enabled_provider_by_slug(slug) if slug else None
        log_denied(
            request=request,
            reason=f"sso: {reason or 'authentication error'}"[:200],
            target=identity_provider,
            details={**details, "sso": slug},
        )
        raise ImmediateHttpResponse(
            _refused_page(
                request,
                _(
                    "The answer from your identity provider could not be accepted (it was "
                    "altered, unsigned, expired or already used). Try logging in again."
                ),
            )
        )


class AccountAdapter(OrgsAccountAdapter):
    """Brobyg's account adapter, plus what single sign-on changes about logging in."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            organisations = sso_only_organisations(user)
            if organisations:
                raise forms.ValidationError(
                    _(
                        "%(organisation)s logs its staff in through its own identity provider. "
                        "Use the button below."
                    )
                    % {"organisation": organisations[0].name}
                )
        return user

    def pre_login(self, request, user, **kwargs):
        """Any log-in not through the identity provider (a password, a passkey) is refused for
        members of an organisation that requires single sign-on."""
        if (kwargs.get("signal_kwargs") or {}).get("sociallogin") is None:
            organisations = sso_only_organisations(user)
            if organisations:
                return _refused_page(
                    request,
                    _(
                        "%(organisation)s logs its staff in through its own identity provider. "
                        "Use the button below."
                    )
                    % {"organisation": organisations[0].name},
                )
        return super().pre_login(request, user, **kwargs)

    def get_login_stages(self):
        return [
            "brobyg.sso.stages.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def get_logout_redirect_url(self, request):
        """Where the identity provider supports it, logging out of Brobyg ends its session too
        (OpenID Connect RP-initiated logout, SAML single logout). allauth asks for this address
        before it ends the Brobyg session, which ends whatever the provider answers."""
        state = request.session.get(SSO_STATE_KEY) or {}
        provider = selectors.enabled_provider_by_slug(state.get("provider", ""))
        url = None
        if provider is not None and provider.protocol == Protocol.SAML:
            url = saml_logout_url(request, provider, state.get("saml"))
        elif provider is not None:
            url = selectors.end_session_url(request, provider)
        return url or super().get_logout_redirect_url(request)
