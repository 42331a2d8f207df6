"""Who gets in through an organisation's identity provider, as what (services.admit_login)."""

import pytest
from django.test import RequestFactory

from brobyg.audit.models import Action, LogEntry
from brobyg.lib import crypto
from brobyg.orgs.models import Membership, User
from brobyg.sso.claims import Identity, identity_from
from brobyg.sso.models import Admission, IdentityProvider, Protocol, RoleMapping
from brobyg.sso.services import LoginRefused, admit_login
from brobyg.test import in_org


def make_provider(organisation, slug="testkommune", **fields) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        organisation=organisation,
        protocol=Protocol.OIDC,
        slug=slug,
        label=f"Log ind med {organisation.name}",
        server_url="http://127.0.0.1:1/",
        client_id=slug,
        client_secret_encrypted=crypto.encrypt("hemmelig"),
        **fields,
    )
    RoleMapping.objects.create(provider=provider, group="brobyg-koordinatorer", role="coordinator")
    RoleMapping.objects.create(provider=provider, group="brobyg-peers", role="peer")
    return provider


def identity(email="ny@testkommune.dk", groups=("brobyg-peers",), multi_factor=False):
    return Identity(
        email=email, full_name="Ny Medarbejder", groups=tuple(groups), multi_factor=multi_factor
    )


@pytest.fixture
def request_():
    request = RequestFactory().get("/accounts/oidc/testkommune/login/callback/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _membership(user, organisation):
    with in_org(organisation):
        return Membership.objects.filter(user=user, organisation=organisation).first()


def test_it_creates_the_membership_just_in_time_from_the_groups(personas, request_):
    provider = make_provider(personas.org_a)
    user = admit_login(
        request=request_,
        provider=provider,
        identity=identity(groups=("brobyg-peers", "brobyg-koordinatorer", "andet")),
    )
    membership = _membership(user, personas.org_a)
    assert membership.roles == ["coordinator", "peer"]
    assert not user.has_usable_password()
    entry = LogEntry.objects.get(reason="sso: just-in-time membership")
    assert entry.action == Action.CREATE and entry.organisation == personas.org_a


def test_it_lets_only_invited_people_in_when_the_organisation_chooses_so(personas, request_):
    provider = make_provider(personas.org_a, admission=Admission.INVITED_ONLY)
    with pytest.raises(LoginRefused):
        admit_login(request=request_, provider=provider, identity=identity())
    assert not User.objects.filter(email="ny@testkommune.dk").exists()
    assert LogEntry.objects.filter(action=Action.DENIED, reason="sso: not invited").exists()
    # Bob was added by the administrator: he gets in, with the roles his groups give.
    user = admit_login(
        request=request_,
        provider=provider,
        identity=identity(email="bob@example.org", groups=("brobyg-koordinatorer",)),
    )
    assert user == personas.bob
    assert _membership(user, personas.org_a).roles == ["coordinator"]
    assert LogEntry.objects.filter(reason="sso: roles from groups").exists()


def test_it_never_lets_one_organisations_provider_reach_another_organisations_account(
    personas, request_
):
    provider = make_provider(personas.org_a)
    with pytest.raises(LoginRefused):
        admit_login(
            request=request_, provider=provider, identity=identity(email="carl@example.org")
        )
    assert _membership(personas.carl, personas.org_a) is None
    assert LogEntry.objects.filter(
        action=Action.DENIED,
        reason="sso: e-mail belongs to an account outside the organisation",
        organisation=personas.org_a,
    ).exists()


def test_it_takes_the_role_away_when_the_groups_no_longer_map(personas, request_):
    provider = make_provider(personas.org_a)
    user = admit_login(request=request_, provider=provider, identity=identity())
    with pytest.raises(LoginRefused) as refused:
        admit_login(request=request_, provider=provider, identity=identity(groups=("andet",)))
    assert "no role" in refused.value.message or "ingen rolle" in refused.value.message
    assert not _membership(user, personas.org_a).is_active
    assert LogEntry.objects.filter(reason="sso: groups no longer map to a role").exists()
    # Back in a mapped group, back in Brobyg.
    admit_login(request=request_, provider=provider, identity=identity())
    assert _membership(user, personas.org_a).is_active


def test_it_refuses_a_disabled_provider(personas, request_):
    provider = make_provider(personas.org_a, is_enabled=False)
    with pytest.raises(LoginRefused):
        admit_login(request=request_, provider=provider, identity=identity())


@pytest.mark.parametrize(
    ("claims", "multi_factor"),
    [
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", "mfa"]}, True),
        ({"acr": "https://data.gov.dk/concept/core/nsis/loa/Substantial"}, True),
        ({"acr": "https://data.gov.dk/concept/core/nsis/loa/Low"}, False),
        ({}, False),
    ],
)
def test_it_reads_multi_factor_from_amr_or_the_nsis_level(personas, claims, multi_factor):
    provider = make_provider(personas.org_a)
    extra = {"id_token": {"email": "X@Testkommune.dk", **claims}, "userinfo": {"groups": ["a"]}}
    read = identity_from(provider, extra)
    assert read.multi_factor is multi_factor
    assert read.email == "x@testkommune.dk"
    assert read.groups == ("a",)


def test_it_reads_the_oiosaml3_attributes(personas):
    provider = make_provider(personas.org_a, slug="saml-a")
    provider.protocol = Protocol.SAML
    provider.groups_claim = "https://data.gov.dk/model/core/eid/privileges"
    attributes = {
        "https://data.gov.dk/model/core/eid/email": ["p@testkommune.dk"],
        "https://data.gov.dk/model/core/eid/fullName": ["Pia Hansen"],
        "https://data.gov.dk/concept/core/nsis/loa": ["Substantial"],
        "https://data.gov.dk/model/core/eid/privileges": ["brobyg-peers", "x"],
    }
    read = identity_from(provider, attributes)
    assert read == Identity(
        email="p@testkommune.dk",
        full_name="Pia Hansen",
        groups=("brobyg-peers", "x"),
        multi_factor=True,
    )
