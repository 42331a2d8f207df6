"""End to end: logging in and out through a real SAML 2.0 identity provider (pysaml2's IdP, its
own process), with allauth's SAML provider (python3-saml) on our side."""

import base64
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import Action, LogEntry
from brobyg.orgs.models import Membership, User
from brobyg.sso import services
from brobyg.test import in_org

pytestmark = pytest.mark.idp

PRIVILEGES = "https://data.gov.dk/model/core/eid/privileges"


def connect(
    client,
    organisation,
    admin,
    idp,
    slug="testkommune",
    encrypted=False,
    signed_assertions=True,
    metadata=None,
):
    metadata = metadata or requests.get(f"{idp.url}/metadata", timeout=10).text
    provider = services.provider_save(
        actor=admin,
        organisation=organisation,
        data={
            "protocol": "saml",
            "slug": slug,
            "label": f"Log ind med {organisation.name}",
            "is_enabled": True,
            "admission": "just_in_time",
            "sso_only": False,
            "groups_claim": PRIVILEGES,
            "cvr": "",
            "server_url": "",
            "client_id": "",
            "use_pkce": True,
            "idp_metadata_url": "",
            "sp_entity_id": "",
            "sign_requests": True,
            "want_assertions_signed": signed_assertions,
            "want_assertions_encrypted": encrypted,
        },
        metadata_xml=metadata,
        mappings=[("koordinator", "coordinator")],
    )
    ours = client.get(reverse("saml_metadata", kwargs={"organization_slug": slug}))
    assert ours.status_code == 200
    requests.post(f"{idp.url}/sp", data=ours.content, timeout=10).raise_for_status()
    return provider


def answer(client, idp, slug, account, **options):
    """Press the button; the provider answers the request as ``account``."""
    response = client.post(reverse("saml_login", kwargs={"organization_slug": slug}))
    assert response.status_code == 302, response.content[:500]
    location = urlparse(response["Location"])
    assert location.netloc == f"127.0.0.1:{idp.port}"
    query = f"{location.query}&{urlencode({'account': account, **options})}"
    reply = requests.get(f"{idp.url}{location.path}?{query}", timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def post_to_acs(client, reply):
    path = urlparse(reply["destination"]).path
    response = client.post(
        path, {"SAMLResponse": reply["SAMLResponse"], "RelayState": reply["RelayState"]}
    )
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.fixture
def client():
    # python3-saml builds the addresses it checks from the Host header, which a browser sends.
    return Client(HTTP_HOST="testserver")


@pytest.fixture
def admin(personas):
    from brobyg.test import make_member, make_user

    user = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, user, ["admin"])
    return user


def test_it_logs_in_through_saml_with_a_signed_assertion(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    response = post_to_acs(client, answer(client, saml_idp, "testkommune", "anna", mfa="1"))
    assert response.status_code == 302
    anna = User.objects.get(email="anna@testkommune.dk")
    with in_org(personas.org_a):
        assert Membership.objects.get(user=anna).roles == ["coordinator"]
    assert LogEntry.objects.filter(reason="sso: just-in-time membership").exists()
    # NSIS "Substantial": no second factor asked of her by Brobyg.
    page = client.get(reverse("programme_list"))
    assert page.status_code == 200 and page.wsgi_request.org == personas.org_a


def test_it_logs_in_with_an_encrypted_assertion_in_a_signed_response(
    client, personas, admin, saml_idp
):
    connect(client, personas.org_a, admin, saml_idp, encrypted=True, signed_assertions=False)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1", sign_assertion="0")
    assertion = base64.b64decode(reply["SAMLResponse"]).decode()
    assert "EncryptedAssertion" in assertion and "anna@testkommune.dk" not in assertion
    response = post_to_acs(client, reply)
    assert response.status_code == 302
    assert User.objects.filter(email="anna@testkommune.dk").exists()


def test_it_asks_for_the_own_second_factor_below_substantial(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    post_to_acs(client, answer(client, saml_idp, "testkommune", "anna", mfa="0"))
    response = client.get(reverse("programme_list"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_one_organisations_provider_never_reaches_another_organisations_account(
    client, personas, admin, saml_idp
):
    connect(client, personas.org_a, admin, saml_idp)
    response = post_to_acs(client, answer(client, saml_idp, "testkommune", "carl", mfa="1"))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert LogEntry.objects.filter(action=Action.DENIED, organisation=personas.org_a).exists()


def _refused(response):
    assert response.status_code in (200, 403)
    assert "_auth_user_id" not in response.wsgi_request.session
    assert LogEntry.objects.filter(action=Action.DENIED, reason__startswith="sso:").exists()
    assert "identitetsudbyder" in response.content.decode()


def test_it_refuses_an_unsigned_assertion(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    _refused(post_to_acs(client, answer(client, saml_idp, "testkommune", "anna", sign="0")))


def test_it_refuses_a_tampered_assertion(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1")
    xml = base64.b64decode(reply["SAMLResponse"]).decode()
    assert "anna@testkommune.dk" in xml
    forged = xml.replace("anna@testkommune.dk", "alice@example.org")
    reply["SAMLResponse"] = base64.b64encode(forged.encode()).decode()
    _refused(post_to_acs(client, reply))
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_expired_assertion(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        _refused(post_to_acs(client, reply))


def test_it_refuses_a_replayed_assertion(client, personas, admin, saml_idp):
    connect(client, personas.org_a, admin, saml_idp)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1")
    assert post_to_acs(client, reply).status_code == 302
    client.post(reverse("account_logout"))
    _refused(post_to_acs(client, reply))
    assert json.dumps(reply)  # the same answer, posted twice


# Single logout: logging out of Brobyg ends the session at the provider too; a logout begun at
# the provider ends the Brobyg session; a provider without single logout still lets anyone log
# out of Brobyg.


def sessions_at(idp) -> dict:
    return requests.get(f"{idp.url}/sessions", timeout=10).json()


def log_in_anna(client, personas, admin, idp, **options):
    connect(client, personas.org_a, admin, idp, **options)
    post_to_acs(client, answer(client, idp, "testkommune", "anna", mfa="1"))
    assert "_auth_user_id" in client.session
    assert "anna" in sessions_at(idp)


def test_logging_out_of_brobyg_ends_the_session_at_the_identity_provider(
    client, personas, admin, saml_idp
):
    log_in_anna(client, personas, admin, saml_idp)
    response = client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    # To the provider's single logout service, with a signed LogoutRequest for Anna's session.
    location = urlparse(response["Location"])
    assert location.netloc == f"127.0.0.1:{saml_idp.port}" and location.path == "/slo/redirect"
    query = parse_qs(location.query)
    assert {"SAMLRequest", "Signature", "SigAlg"} <= set(query)
    at_idp = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302, at_idp.text
    assert "anna" not in sessions_at(saml_idp)
    # The provider's LogoutResponse comes back to allauth's single logout service.
    back = urlparse(at_idp.headers["Location"])
    assert back.path == reverse("saml_sls", kwargs={"organization_slug": "testkommune"})
    finished = client.get(f"{back.path}?{back.query}")
    assert finished.status_code == 302
    assert finished["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_a_logout_begun_at_the_identity_provider_ends_the_brobyg_session(
    client, personas, admin, saml_idp
):
    log_in_anna(client, personas, admin, saml_idp)
    location = requests.get(f"{saml_idp.url}/logout?account=anna", timeout=10).json()["location"]
    request = urlparse(location)
    response = client.get(f"{request.path}?{request.query}")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("programme_list")).status_code == 302
    # Brobyg answers the provider with a signed LogoutResponse, which it accepts.
    assert response.status_code == 302
    assert urlparse(response["Location"]).netloc == f"127.0.0.1:{saml_idp.port}"
    reply = requests.get(response["Location"], timeout=10).json()
    assert reply == {"status": "ok"}


def test_a_forged_logout_request_leaves_the_session_alone(client, personas, admin, saml_idp):
    log_in_anna(client, personas, admin, saml_idp)
    location = requests.get(f"{saml_idp.url}/logout?account=anna", timeout=10).json()["location"]
    request = urlparse(location)
    forged = re.sub(r"Signature=[^&]+", "Signature=AAAA", request.query)
    response = client.get(f"{request.path}?{forged}")
    assert response.status_code == 400
    assert "identitetsudbyder" in response.content.decode()
    assert "_auth_user_id" in client.session
    assert LogEntry.objects.filter(
        action=Action.DENIED, reason="sso: refused SAML logout message"
    ).exists()


def test_a_provider_without_single_logout_still_logs_out_of_brobyg(
    client, personas, admin, saml_idp
):
    metadata = requests.get(f"{saml_idp.url}/metadata", timeout=10).text
    without_slo = re.sub(r"<[\w:]*SingleLogoutService [^>]*/>", "", metadata)
    assert without_slo != metadata
    log_in_anna(client, personas, admin, saml_idp, metadata=without_slo)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    # The provider offers no single logout: its own session is its business.
    assert "anna" in sessions_at(saml_idp)


def test_it_logs_in_with_a_signed_assertion_inside_an_encrypted_one(
    client, personas, admin, saml_idp
):
    # The OIOSAML 3 profile: the provider signs the assertion, then encrypts it.
    connect(client, personas.org_a, admin, saml_idp, encrypted=True, signed_assertions=True)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1")
    xml = base64.b64decode(reply["SAMLResponse"]).decode()
    assert "EncryptedAssertion" in xml and "anna@testkommune.dk" not in xml
    response = post_to_acs(client, reply)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email="anna@testkommune.dk").exists()


def test_it_refuses_a_signed_assertion_altered_inside_the_encryption(
    client, personas, admin, saml_idp
):
    connect(client, personas.org_a, admin, saml_idp, encrypted=True, signed_assertions=True)
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1", tamper="1")
    assert "EncryptedAssertion" in base64.b64decode(reply["SAMLResponse"]).decode()
    _refused(post_to_acs(client, reply))
    # Alice (organisation A's own user) was named inside; nobody is logged in.
    assert "_auth_user_id" not in client.session


def test_it_logs_in_with_kombit_privileges_for_the_own_cvr_number(
    client, personas, admin, saml_idp
):
    from brobyg.sso.privileges import KOMBIT_PRIVILEGES
    from brobyg.sso.tests.test_kombit_privileges import (
        COORDINATOR,
        FOREIGN_CVR,
        OWN_CVR,
        PEER,
        privilege_list,
    )

    provider = connect(client, personas.org_a, admin, saml_idp)
    provider.groups_claim, provider.cvr = KOMBIT_PRIVILEGES, OWN_CVR
    provider.save()
    provider.role_mappings.create(group=COORDINATOR, role="coordinator")
    provider.role_mappings.create(group=PEER, role="peer")
    privileges = privilege_list((OWN_CVR, [COORDINATOR]), (FOREIGN_CVR, [PEER]))
    reply = answer(client, saml_idp, "testkommune", "anna", mfa="1", privileges=privileges)
    assert post_to_acs(client, reply).status_code == 302
    anna = User.objects.get(email="anna@testkommune.dk")
    with in_org(personas.org_a):
        # The peer privilege was given for another organisation's CVR number: not counted.
        assert Membership.objects.get(user=anna).roles == ["coordinator"]
