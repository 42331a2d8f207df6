from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_scopes import scope

from brobyg.orgs.permissions import permissions_for_roles, requires_second_factor
from brobyg.orgs.selectors import active_memberships_for_user

SESSION_ORGANISATION_KEY = "current_organisation"
# Set by a log-in through an organisation's identity provider (brobyg.sso): the session then
# reaches that organisation only, and whether the provider asserted multi-factor.
SSO_ORGANISATION_KEY = "sso_organisation"
SSO_MULTI_FACTOR_KEY = "sso_multi_factor"


class TenancyMiddleware:
    """Resolve the current organisation and membership once per request and scope every query
    on personal data to that organisation for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.org = None
        request.membership = None
        request.memberships = []
        request.permissions = frozenset()
        if request.user.is_authenticated:
            request.memberships = active_memberships_for_user(request.user)
            sso_organisation = request.session.get(SSO_ORGANISATION_KEY)
            if sso_organisation is not None:
                request.memberships = [
                    membership
                    for membership in request.memberships
                    if str(membership.organisation.public_id) == sso_organisation
                ]
            request.membership = self._choose(request)
            if request.membership is not None:
                request.org = request.membership.organisation
                request.permissions = permissions_for_roles(request.membership.roles)
        # An empty list, never None: django-scopes treats None as "no filter".
        with scope(organisation=request.org.pk if request.org else []):
            return self.get_response(request)

    @staticmethod
    def _choose(request):
        if not request.memberships:
            return None
        by_org = {str(m.organisation.public_id): m for m in request.memberships}
        chosen = request.session.get(SESSION_ORGANISATION_KEY)
        if chosen in by_org:
            return by_org[chosen]
        remembered = request.user.last_organisation_id
        for membership in request.memberships:
            if membership.organisation_id == remembered:
                return membership
        # No choice yet: the organisation the person joined first is their home organisation.
        return min(request.memberships, key=lambda membership: membership.created_at)


# Paths a user without a required second factor can still reach: log-in, log-out, setting up
# the second factor, changing language, and static files.
SECOND_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/static/")


def _has_second_factor(request) -> bool:
    """Read with the membership (``active_memberships_for_user``), or asked of allauth."""
    known = getattr(request.membership, "has_second_factor", None)
    return known if known is not None else is_mfa_enabled(request.user)


class SecondFactorRequiredMiddleware:
    """Staff whose roles let them see identifiable personal data must have a second factor,
    unless they logged in through an identity provider that asserted multi-factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.membership is not None
            and not settings.DEMO_MODE
            and not request.path.startswith(SECOND_FACTOR_EXEMPT_PREFIXES)
            and requires_second_factor(request.membership.roles)
            and not request.session.get(SSO_MULTI_FACTOR_KEY)
            and not _has_second_factor(request)
        ):
            messages.info(
                request,
                _(
                    "Your role lets you see personal data, so your account needs a second "
                    "factor. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
