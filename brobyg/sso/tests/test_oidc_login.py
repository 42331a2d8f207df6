"""End to end: logging in through a real OpenID Connect provider (oidc-provider on Node.js)."""

from urllib.parse import urljoin

import pytest
import requests
from django.urls import reverse

from brobyg.audit.models import Action, LogEntry
from brobyg.lib import crypto
from brobyg.orgs.models import Membership, User
from brobyg.sso.models import IdentityProvider, Protocol, RoleMapping
from brobyg.test import in_org

pytestmark = pytest.mark.idp


def connect(organisation, idp, slug, **fields) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        organisation=organisation,
        protocol=Protocol.OIDC,
        slug=slug,
        label=f"Log ind med {organisation.name}",
        server_url=idp.url,
        client_id=slug,
        client_secret_encrypted=crypto.encrypt(f"{slug}-hemmelighed"),
        **fields,
    )
    RoleMapping.objects.create(provider=provider, group="brobyg-koordinatorer", role="coordinator")
    return provider


def log_in(client, slug: str, account: str, amr: str = "pwd"):
    """Press the organisation's button, log in at the provider as ``account``, come back."""
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": slug}))
    assert response.status_code == 302, response.content[:500]
    at_provider = requests.Session()
    url = response["Location"]
    while not url.startswith("http://testserver"):
        if "/interaction/" in url and "account=" not in url:
            url += f"?account={account}&amr={amr}"
        answer = at_provider.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text[:500]
        url = urljoin(url, answer.headers["Location"])
    return client.get(url.removeprefix("http://testserver"))


def membership(user, organisation):
    with in_org(organisation):
        return Membership.objects.filter(user=user, organisation=organisation).first()


def test_it_creates_the_membership_from_the_group_mapping_at_first_log_in(
    client, personas, oidc_idp
):
    connect(personas.org_a, oidc_idp, "testkommune")
    response = log_in(client, "testkommune", "anna", amr="pwd,mfa")
    assert response.status_code == 302
    anna = User.objects.get(email="anna@testkommune.dk")
    assert anna.full_name == "Anna Andersen"
    assert membership(anna, personas.org_a).roles == ["coordinator"]
    # The provider asserted multi-factor: Brobyg does not ask for its own second factor.
    page = client.get(reverse("programme_list"))
    assert page.status_code == 200
    assert page.wsgi_request.org == personas.org_a
    assert LogEntry.objects.filter(
        reason="sso: just-in-time membership", organisation=personas.org_a
    ).exists()
    assert LogEntry.objects.filter(action=Action.LOGIN, actor=anna).exists()


def test_it_asks_for_the_own_second_factor_when_the_provider_did_not_assert_one(
    client, personas, oidc_idp
):
    connect(personas.org_a, oidc_idp, "testkommune")
    log_in(client, "testkommune", "anna", amr="pwd")
    response = client.get(reverse("programme_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_user_of_one_organisations_provider_never_gets_into_another(client, personas, oidc_idp):
    connect(personas.org_a, oidc_idp, "testkommune")
    connect(personas.org_b, oidc_idp, "frivilligcenter")
    # Carl's address, vouched for by organisation A's provider: refused, and B stays closed.
    response = log_in(client, "testkommune", "carl", amr="mfa")
    assert response.status_code == 403
    assert "Testkommune" in response.content.decode()
    assert membership(personas.carl, personas.org_a) is None
    assert client.get(reverse("programme_list")).status_code == 302  # not logged in
    assert LogEntry.objects.filter(
        action=Action.DENIED,
        organisation=personas.org_a,
        reason="sso: e-mail belongs to an account outside the organisation",
    ).exists()
    # Anna of A, also invited to B with a password: a log-in through A's provider reaches A only.
    log_in(client, "testkommune", "anna", amr="mfa")
    anna = User.objects.get(email="anna@testkommune.dk")
    with in_org(personas.org_b):
        Membership.objects.create(user=anna, organisation=personas.org_b, roles=["coordinator"])
    response = client.get(reverse("programme_list"))
    assert response.wsgi_request.org == personas.org_a
    assert [m.organisation for m in response.wsgi_request.memberships] == [personas.org_a]
    switch = client.post(
        reverse("organisation_switch"), {"organisation": str(personas.org_b.public_id)}
    )
    assert switch.status_code == 302
    assert client.get(reverse("programme_list")).wsgi_request.org == personas.org_a


def test_it_refuses_a_person_whose_groups_map_to_no_role(client, personas, oidc_idp):
    connect(personas.org_a, oidc_idp, "testkommune")
    response = log_in(client, "testkommune", "peter", amr="mfa")
    assert response.status_code == 403
    assert not User.objects.filter(email="peter@testkommune.dk").exists()
    assert LogEntry.objects.filter(
        action=Action.DENIED, reason="sso: no group maps to a role"
    ).exists()


def test_it_refuses_a_callback_it_did_not_ask_for(client, personas, oidc_idp):
    """A replayed or forged answer (a code with a state this browser never started)."""
    connect(personas.org_a, oidc_idp, "testkommune")
    response = client.get(
        reverse("openid_connect_callback", kwargs={"provider_id": "testkommune"}),
        {"code": "forged", "state": "not-ours"},
    )
    assert response.status_code == 403
    assert LogEntry.objects.filter(action=Action.DENIED, reason__startswith="sso:").exists()


def test_logging_out_ends_the_session_at_the_provider_too(client, personas, oidc_idp):
    connect(personas.org_a, oidc_idp, "testkommune")
    log_in(client, "testkommune", "anna", amr="mfa")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_idp.url}/session/end")
    assert "client_id=testkommune" in response["Location"]
    assert client.get(reverse("programme_list")).status_code == 302
