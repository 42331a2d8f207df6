"""KOMBIT Context Handler's privileges (OIOSAML Basic Privilege Profile 1.2, base64 XML in
``dk:gov:saml:attribute:Privileges_intermediate``): read safely, for the own CVR number only."""

import base64

import pytest
from django.test import RequestFactory

from brobyg.audit.models import Action, LogEntry
from brobyg.sso import services
from brobyg.sso.adapters import SocialAccountAdapter
from brobyg.sso.claims import identity_from
from brobyg.sso.models import IdentityProvider
from brobyg.sso.privileges import (
    KOMBIT_PRIVILEGES,
    UnreadablePrivileges,
    privileges_for_cvr,
)

OWN_CVR = "29189005"
FOREIGN_CVR = "55133018"
COORDINATOR = "http://brobyg.dk/roles/usersystemrole/koordinator/1"
PEER = "http://brobyg.dk/roles/usersystemrole/peer/1"


def privilege_list(*groups: tuple[str, list[str]]) -> str:
    """A Basic Privilege Profile 1.2 list as KOMBIT sends it: base64 of the XML."""
    body = "".join(
        f'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:{cvr}">'
        + "".join(f"<Privilege>{privilege}</Privilege>" for privilege in privileges)
        + "</PrivilegeGroup>"
        for cvr, privileges in groups
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}</bpp:PrivilegeList>"
    )
    return base64.b64encode(xml.encode()).decode()


BILLION_LAUGHS = base64.b64encode(
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">'
    b'<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189005">'
    b"<Privilege>&lol3;</Privilege></PrivilegeGroup></bpp:PrivilegeList>"
).decode()


def test_it_reads_the_privileges_of_the_own_cvr_number():
    encoded = privilege_list((OWN_CVR, [COORDINATOR, PEER]))
    assert privileges_for_cvr([encoded], OWN_CVR) == (COORDINATOR, PEER)


def test_it_ignores_privileges_given_for_another_organisation():
    encoded = privilege_list((FOREIGN_CVR, [COORDINATOR]), (OWN_CVR, [PEER]))
    assert privileges_for_cvr([encoded], OWN_CVR) == (PEER,)
    assert privileges_for_cvr([privilege_list((FOREIGN_CVR, [COORDINATOR]))], OWN_CVR) == ()


def test_it_reads_a_value_broken_over_lines():
    encoded = privilege_list((OWN_CVR, [COORDINATOR]))
    wrapped = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    assert privileges_for_cvr([wrapped], OWN_CVR) == (COORDINATOR,)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("not base64 at all!", "privileges not base64"),
        (base64.b64encode(b"<bpp:PrivilegeList").decode(), "privileges not well-formed XML"),
        (base64.b64encode(b"<groups><g>x</g></groups>").decode(), "privileges not a PrivilegeList"),
        (BILLION_LAUGHS, "privileges with a DTD or entities"),
        ("A" * 200_004, "privileges too long"),
    ],
)
def test_it_refuses_what_is_not_a_privilege_list(value, reason):
    with pytest.raises(UnreadablePrivileges) as refused:
        privileges_for_cvr([value], OWN_CVR)
    assert refused.value.reason == reason


def test_an_external_entity_is_never_fetched():
    xxe = base64.b64encode(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">'
        b"<PrivilegeGroup><Privilege>&e;</Privilege></PrivilegeGroup></bpp:PrivilegeList>"
    ).decode()
    with pytest.raises(UnreadablePrivileges):
        privileges_for_cvr([xxe], OWN_CVR)


def kombit_provider(organisation, admin) -> IdentityProvider:
    return services.provider_save(
        actor=admin,
        organisation=organisation,
        data={
            "protocol": "saml",
            "slug": "testkommune",
            "label": "Log ind med Testkommune",
            "is_enabled": True,
            "admission": "just_in_time",
            "sso_only": False,
            "groups_claim": KOMBIT_PRIVILEGES,
            "cvr": OWN_CVR,
            "server_url": "",
            "client_id": "",
            "use_pkce": True,
            "idp_metadata_url": "https://n2adfs.kombit.dk/metadata.xml",
            "sp_entity_id": "",
            "sign_requests": True,
            "want_assertions_signed": True,
            "want_assertions_encrypted": True,
        },
        mappings=[(COORDINATOR, "coordinator")],
    )


@pytest.fixture
def admin(personas):
    from brobyg.test import make_member, make_user

    user = make_user("admin@example.org", "Ada Admin")
    make_member(personas.org_a, user, ["admin"])
    return user


def test_the_privileges_are_the_groups_the_role_mapping_reads(personas, admin):
    provider = kombit_provider(personas.org_a, admin)
    identity = identity_from(
        provider,
        {
            "https://data.gov.dk/model/core/eid/email": ["anna@testkommune.dk"],
            KOMBIT_PRIVILEGES: [privilege_list((OWN_CVR, [COORDINATOR]), (FOREIGN_CVR, [PEER]))],
        },
    )
    assert identity.groups == (COORDINATOR,)
    assert services.roles_for_groups(provider, identity.groups) == ["coordinator"]


def test_a_kombit_provider_needs_the_cvr_number(personas, admin):
    from django.core.exceptions import ValidationError

    provider = kombit_provider(personas.org_a, admin)
    provider.cvr = ""
    with pytest.raises(ValidationError) as refused:
        provider.full_clean()
    assert "cvr" in refused.value.message_dict


def test_unreadable_privileges_refuse_the_log_in_with_a_denied_entry(personas, admin):
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.models import SocialAccount, SocialLogin
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    provider = kombit_provider(personas.org_a, admin)
    request = RequestFactory().get("/accounts/saml/testkommune/acs/finish/")
    request.user, request.session = AnonymousUser(), SessionStore()
    account = SocialAccount(
        provider=provider.slug,
        uid="anna",
        extra_data={
            "https://data.gov.dk/model/core/eid/email": ["anna@testkommune.dk"],
            KOMBIT_PRIVILEGES: [BILLION_LAUGHS],
        },
    )
    with pytest.raises(ImmediateHttpResponse) as refused:
        SocialAccountAdapter().pre_social_login(request, SocialLogin(account=account))
    assert refused.value.response.status_code == 403
    entry = LogEntry.objects.get(action=Action.DENIED)
    assert entry.reason == "sso: privileges with a DTD or entities"
    assert "lol" not in str(entry.details)
