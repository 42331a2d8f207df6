"""After a log-in through an identity provider, the session remembers which organisation it is
for and whether the provider asserted multi-factor (orgs.middleware reads both)."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from brobyg.orgs.middleware import SSO_MULTI_FACTOR_KEY, SSO_ORGANISATION_KEY
from brobyg.sso.adapters import SSO_STATE_KEY


@receiver(user_logged_in, dispatch_uid="sso_session")
def remember_sso(sender, request, user, sociallogin=None, **kwargs):
    state = (sociallogin.state.get(SSO_STATE_KEY) if sociallogin is not None else None) or {}
    if not state:
        return
    request.session[SSO_STATE_KEY] = state
    request.session[SSO_ORGANISATION_KEY] = state["organisation"]
    request.session[SSO_MULTI_FACTOR_KEY] = bool(state["multi_factor"])
