"""The administrator's page for connecting the organisation's identity provider."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brobyg.audit.models import Action, LogEntry
from brobyg.lib import crypto
from brobyg.sso.models import IdentityProvider, RoleMapping
from brobyg.test import PASSWORD

IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://n2adfs.kombit.dk/adfs/services/trust">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://n2adfs.kombit.dk/adfs/ls/"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://n2adfs.kombit.dk/adfs/ls/"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def saml_metadata() -> bytes:
    from brobyg.sso.keys import make_key_pair, pem_body

    return IDP_METADATA.format(certificate=pem_body(make_key_pair("KOMBIT test")[1])).encode()


def form_data(**overrides):
    data = {
        "protocol": "oidc",
        "slug": "testkommune",
        "label": "Log ind med Testkommune",
        "is_enabled": "on",
        "admission": "just_in_time",
        "groups_claim": "groups",
        "cvr": "",
        "server_url": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "brobyg-app",
        "client_secret": "meget-hemmelig",
        "use_pkce": "on",
        "want_assertions_signed": "on",
        "mappings": "Brobyg-koordinatorer = coordinator\nBrobyg-peers = Peer",
    }
    data.update(overrides)
    return data


def test_it_connects_an_openid_connect_provider_with_the_secret_encrypted(client, personas):
    client.force_login(personas.alice)
    # Alice is a coordinator, not an administrator: she may not.
    assert client.get(reverse("sso_settings")).status_code == 403
    admin = personas.per
    from brobyg.test import make_member, make_user

    admin = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, admin, ["admin"])
    client.force_login(admin)
    response = client.post(reverse("sso_settings"), form_data())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organisation=personas.org_a)
    assert "meget-hemmelig" not in provider.client_secret_encrypted
    assert provider.client_secret == "meget-hemmelig"
    assert sorted(RoleMapping.objects.values_list("group", "role")) == [
        ("Brobyg-koordinatorer", "coordinator"),
        ("Brobyg-peers", "peer"),
    ]
    entry = LogEntry.objects.get(action=Action.CREATE, object_type="sso.identityprovider")
    assert "meget-hemmelig" not in str(entry.details)
    page = client.get(reverse("sso_settings")).content.decode()
    assert "/accounts/oidc/testkommune/login/callback/" in page
    assert "meget-hemmelig" not in page
    # Saved again without a secret: the stored one stays.
    client.post(reverse("sso_settings"), form_data(client_secret="", label="Ny tekst"))
    provider.refresh_from_db()
    assert provider.client_secret == "meget-hemmelig" and provider.label == "Ny tekst"
    # The button is on the log-in page.
    client.logout()
    assert "Ny tekst" in client.get(reverse("account_login")).content.decode()


def test_it_connects_saml_from_uploaded_metadata_and_offers_our_metadata(client, personas):
    from brobyg.test import make_member, make_user

    admin = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, admin, ["admin"])
    client.force_login(admin)
    data = form_data(
        protocol="saml",
        server_url="",
        client_id="",
        client_secret="",
        sign_requests="on",
        want_assertions_encrypted="on",
        groups_claim="https://data.gov.dk/model/core/eid/privileges",
    )
    data["metadata_file"] = SimpleUploadedFile("idp.xml", saml_metadata(), "text/xml")
    response = client.post(reverse("sso_settings"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(organisation=personas.org_a)
    assert provider.idp_entity_id == "https://n2adfs.kombit.dk/adfs/services/trust"
    assert provider.idp_sso_url == "https://n2adfs.kombit.dk/adfs/ls/"
    assert "BEGIN PRIVATE KEY" not in provider.sp_private_key_encrypted
    assert "BEGIN PRIVATE KEY" in crypto.decrypt(provider.sp_private_key_encrypted)
    metadata = client.get("/accounts/saml/testkommune/metadata/")
    assert metadata.status_code == 200
    body = metadata.content.decode()
    assert 'AuthnRequestsSigned="true"' in body
    assert 'use="encryption"' in body and "/accounts/saml/testkommune/acs/" in body


def test_bad_input_is_explained_and_keeps_the_form(client, personas):
    from brobyg.test import make_member, make_user

    admin = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, admin, ["admin"])
    client.force_login(admin)
    response = client.post(
        reverse("sso_settings"),
        form_data(client_secret="", mappings="Brobyg-koordinatorer = chef"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Linje 1" in page
    assert "Log ind med Testkommune" in page
    assert not IdentityProvider.objects.exists()
    response = client.post(reverse("sso_settings"), form_data(client_secret=""))
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()
    data = form_data(protocol="saml", server_url="", client_id="", client_secret="")
    data["metadata_file"] = SimpleUploadedFile("idp.xml", b"<not-metadata/>", "text/xml")
    response = client.post(reverse("sso_settings"), data)
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()


def test_sso_only_organisations_refuse_the_brobyg_password(client, personas):
    from brobyg.sso.tests.test_role_mapping import make_provider

    make_provider(personas.org_a, sso_only=True)
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "identity provider" in response.content.decode() or "identitetsudbyder" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # Carl's organisation has no such rule: on to his second factor.
    response = client.post(
        reverse("account_login"), {"login": "carl@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_demo_connects_one_organisation_to_the_test_provider(personas):
    from types import SimpleNamespace

    from brobyg.sso import demo

    context = SimpleNamespace(
        users={"admin@brobyg.demo": personas.alice},
        domain="brobyg.demo",
        organisations={"Helsingør Kommune": personas.org_b},
    )
    demo.seed(context)
    provider = IdentityProvider.objects.get(organisation=personas.org_b)
    assert provider.server_url == "http://127.0.0.1:9400"
    assert provider.client_secret == "demo-hemmelighed"
    assert provider.role_mappings.count() == 2


def test_sso_only_refuses_every_log_in_not_through_the_provider(rf, personas):
    """A passkey log-in reaches allauth's pre_login without a password: refused there too."""
    from brobyg.sso.adapters import AccountAdapter
    from brobyg.sso.tests.test_role_mapping import make_provider

    make_provider(personas.org_a, sso_only=True)
    request = rf.post(reverse("mfa_login_webauthn"))
    kwargs = dict(email_verification="none", email=None, signup=False, redirect_url=None)
    refused = AccountAdapter(request).pre_login(request, personas.alice, signal_kwargs={}, **kwargs)
    assert refused is not None and refused.status_code == 403
    assert (
        AccountAdapter(request).pre_login(request, personas.carl, signal_kwargs={}, **kwargs)
        is None
    )


def test_kombit_privileges_need_a_valid_cvr_number(client, personas):
    from brobyg.sso.privileges import KOMBIT_PRIVILEGES
    from brobyg.test import make_member, make_user

    admin = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, admin, ["admin"])
    client.force_login(admin)

    def post(cvr):
        data = form_data(
            protocol="saml",
            server_url="",
            client_id="",
            client_secret="",
            sign_requests="on",
            groups_claim=KOMBIT_PRIVILEGES,
            cvr=cvr,
        )
        data["metadata_file"] = SimpleUploadedFile("idp.xml", saml_metadata(), "text/xml")
        return client.post(reverse("sso_settings"), data)

    page = post("12345678").content.decode()
    assert "Angiv et gyldigt CVR-nummer" in page and KOMBIT_PRIVILEGES in page
    page = post("").content.decode()
    assert "KOMBITs privilegier kræver organisationens CVR-nummer" in page
    assert not IdentityProvider.objects.filter(organisation=personas.org_a).exists()
    assert post("29189005").status_code == 302
    provider = IdentityProvider.objects.get(organisation=personas.org_a)
    assert provider.cvr == "29189005"
    page = client.get(reverse("sso_settings")).content.decode()
    assert "/accounts/saml/testkommune/sls/" in page
