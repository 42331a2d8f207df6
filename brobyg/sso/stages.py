"""allauth's second-factor stage, skipped when the identity provider asserted multi-factor (or
an NSIS assurance level of at least substantial) at this log-in."""

from allauth.mfa.stages import AuthenticateStage as MfaAuthenticateStage

from brobyg.sso.adapters import SSO_STATE_KEY


def multi_factor_asserted(login) -> bool:
    sociallogin = (login.signal_kwargs or {}).get("sociallogin")
    if sociallogin is None:
        return False
    return bool((sociallogin.state.get(SSO_STATE_KEY) or {}).get("multi_factor"))


class AuthenticateStage(MfaAuthenticateStage):
    def _should_handle(self, request) -> bool:
        if multi_factor_asserted(self.login):
            return False
        return super()._should_handle(request)
