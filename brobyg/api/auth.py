"""Who is calling: a bearer token from the OAuth 2.0 token endpoint, its client, and the client's
place in its organisation (the same ``request.org`` / ``request.membership`` /
``request.permissions`` the tenancy middleware gives a member of staff)."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_noop
from django_scopes import scope, scopes_disabled
from ninja.security import HttpBearer
from oauth2_provider.oauth2_backends import get_oauthlib_core

from brobyg.api import selectors
from brobyg.api.problems import Problem
from brobyg.audit.services import acting_as_client, log_denied
from brobyg.orgs.models import Membership
from brobyg.orgs.permissions import ALL_PERMISSIONS, permissions_for_roles

# Every operation that takes a body takes it as JSON (FHIR's JSON too).
BODY_METHODS = ("POST", "PUT", "PATCH")
JSON_TYPES = ("application/json", "application/fhir+json")


def _over_rate_limit(api_client) -> bool:
    count, seconds = settings.BROBYG_API_RATE_LIMIT
    key = f"api-calls:{api_client.pk}"
    cache.add(key, 0, timeout=seconds)
    try:
        calls = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        calls = 1
    return calls > count


class ClientToken(HttpBearer):
    """A live client's valid, unexpired bearer token, and one of ``permissions`` in the
    client's roles; the client is then ``request.auth``. Checked before the body is read, so a
    client without the permission learns nothing from validation errors."""

    def __init__(self, *permissions: str):
        super().__init__()
        for permission in permissions:
            if permission not in ALL_PERMISSIONS:
                raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
        self.permissions = frozenset(permissions)

    def authenticate(self, request, token):
        # Before the token check, which would otherwise parse a form body.
        if request.method in BODY_METHODS and request.content_type not in JSON_TYPES:
            raise Problem("unsupported-media-type")
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=["api"])
        if not valid:
            return None
        with scopes_disabled():
            credential = selectors.live_credential_of_application(
                oauth_request.access_token.application_id
            )
        if credential is None:
            return None
        api_client = credential.api_client
        if _over_rate_limit(api_client):
            _count, seconds = settings.BROBYG_API_RATE_LIMIT
            raise Problem(
                "rate-limited",
                translation.gettext("Wait %(seconds)d seconds and try again.")
                % {"seconds": seconds},
                headers={"Retry-After": str(seconds)},
            )
        request.api_client = api_client
        request.user = api_client.account
        request.org = api_client.organisation
        request.membership = Membership(
            organisation=api_client.organisation, user=api_client.account, roles=api_client.roles
        )
        request.permissions = permissions_for_roles(api_client.roles)
        if not request.permissions.intersection(self.permissions):
            with scope(organisation=request.org.pk), acting_as_client(api_client):
                log_denied(
                    request=request,
                    reason=gettext_noop("missing permission"),
                    details={"permission": " or ".join(sorted(self.permissions))},
                )
            raise Problem("forbidden")
        return api_client


def _in_client_scope(operation):
    """Run the operation scoped to the client's organisation, every audit entry naming it."""

    @wraps(operation)
    def wrapped(request, *args, **kwargs):
        with scope(organisation=request.org.pk), acting_as_client(request.api_client):
            return operation(request, *args, **kwargs)

    return wrapped


def client_operation(route, path: str, *permissions: str, **options):
    """Declare an operation for clients holding one of ``permissions``: ``route`` is the
    router's method (``router.get``), ``options`` its usual arguments."""
    auth = ClientToken(*permissions)

    def decorator(operation):
        wrapped = _in_client_scope(operation)
        wrapped.org_permission = auth.permissions
        return route(path, auth=auth, **options)(wrapped)

    return decorator
