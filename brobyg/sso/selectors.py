"""Reads of the identity-provider settings (configuration, not personal data)."""

import logging
from urllib.parse import urlencode

from django.urls import reverse

from brobyg.sso.models import IdentityProvider, Protocol

logger = logging.getLogger(__name__)


def enabled_providers():
    return IdentityProvider.objects.filter(
        is_enabled=True, organisation__is_active=True
    ).select_related("organisation")


def enabled_provider_by_slug(slug: str) -> IdentityProvider | None:
    if not slug:
        return None
    return enabled_providers().filter(slug=slug).first()


def provider_of(organisation) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.filter(organisation=organisation)
        .prefetch_related("role_mappings")
        .first()
    )


def login_buttons() -> list[dict]:
    """The log-in page's buttons, one per connected organisation."""
    return [
        {"label": provider.label, "url": login_url(provider)}
        for provider in enabled_providers().order_by("label")
    ]


def login_url(provider: IdentityProvider) -> str:
    if provider.protocol == Protocol.SAML:
        return reverse("saml_login", kwargs={"organization_slug": provider.slug})
    return reverse("openid_connect_login", kwargs={"provider_id": provider.slug})


def sp_metadata_url(provider: IdentityProvider) -> str:
    return reverse("saml_metadata", kwargs={"organization_slug": provider.slug})


def end_session_url(request, provider: IdentityProvider) -> str | None:
    """The OpenID Connect provider's logout address (RP-initiated logout), or None."""
    if provider.protocol != Protocol.OIDC:
        return None
    from allauth.socialaccount.providers.openid_connect.views import (
        OpenIDConnectOAuth2Adapter,
    )

    try:
        config = OpenIDConnectOAuth2Adapter(request, provider.slug).openid_config
    except Exception:  # an unreachable provider must not stop anyone logging out
        logger.warning("OIDC discovery failed at logout for %s", provider.slug)
        return None
    endpoint = config.get("end_session_endpoint")
    if not endpoint:
        return None
    back = request.build_absolute_uri(reverse("account_login"))
    query = urlencode({"client_id": provider.client_id, "post_logout_redirect_uri": back})
    return f"{endpoint}?{query}"
