"""Every URL of ours, for every role, in its own and a foreign organisation: expected status.

"own": the user holds the role in organisation A, whose objects the URL points at.
"foreign": the user holds the same role in organisation B only.
Each app keeps its rows in ``<app>/tests/matrix.py`` as ``ROWS``; they are added to the table
here. A URL without a row fails ``test_it_covers_every_url``. An app whose URLs point at objects
of its own also defines ``make_targets(personas, targets) -> dict`` there, returning objects of
organisation A by kind (a kind ending in "token" is passed as ``token=``, any other as
``public_id=``).

A row is (url name, method, object of org A, own statuses, foreign statuses[, anonymous status]).
Objects: None, "unit", "programme", "member", "citizen", "request", or "token" (the citizen's
personal link). Without an anonymous status, an anonymous visitor must be sent to log in.

The JSON API's operations (url names starting ``api_v1_``) are called by API clients, not by
logged-in users: for each role a client can hold (``api.models.CLIENT_ROLES``), a client of
organisation A ("own") or B ("foreign") with that role calls with a bearer token; a role a
client cannot hold is written "-". Their object is passed as ``id=``. A logged-in user without
a token is an anonymous caller to them (401).
"""

from importlib import import_module, util

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from brobyg.api.models import CLIENT_ROLES
from brobyg.api.tests.helpers import bearer, make_api_client
from brobyg.audit.models import LogEntry
from brobyg.orgs.choices import Role
from brobyg.test import in_org, make_member, make_request, make_user

ROLES = [
    Role.ADMIN,
    Role.COORDINATOR,
    Role.PEER,
    Role.MANAGER,
    Role.REFERRER,
    Role.SUPERVISOR,
    Role.EVALUATOR,
    Role.PRIVACY_OFFICER,
]

# Third-party URL groups with their own tests: log-in, MFA and password pages (allauth) and the
# language switch. Everything else must have a row below.
EXEMPT_PREFIXES = ("/accounts/", "/i18n/")

# fmt: off
#  url name, method, object of org A, then expected statuses in ROLES order:
#  admin coord peer manager referrer supervisor evaluator privacy_officer
ORGS_ROWS = [
    ("start", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("organisation_switch", "POST", None,
     "own:     302 302 302 302 302 302 302 302",
     "foreign: 302 302 302 302 302 302 302 302"),
    # Only platform administrators (no organisation role) create organisations.
    ("organisation_create", "GET", None,
     "own:     403 403 403 403 403 403 403 403",
     "foreign: 403 403 403 403 403 403 403 403"),
    ("organisation_edit", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("unit_list", "GET", None,
     "own:     200 200 200 200 200 200 403 200",
     "foreign: 200 200 200 200 200 200 403 200"),
    ("unit_create", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("unit_edit", "GET", "unit",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("programme_list", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200"),
    ("programme_create", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("programme_detail", "GET", "programme",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 404 404 404 404 404 404 404 404"),
    ("programme_edit", "GET", "programme",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("member_list", "GET", None,
     "own:     200 200 403 200 403 403 403 200",
     "foreign: 200 200 403 200 403 403 403 200"),
    ("member_add", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("member_detail", "GET", "member",
     "own:     200 200 403 200 403 403 403 200",
     "foreign: 404 404 403 404 403 403 403 404"),
    ("member_edit", "GET", "member",
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 404 403 403 403 403 403 403 403"),
    ("audit_entry_list", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("audit_entry_export", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
]
# fmt: on


def _app_matrix_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("brobyg.") and config.name != "brobyg.orgs":
            name = f"{config.name}.tests.matrix"
            if util.find_spec(f"{config.name}.tests") and util.find_spec(name):
                yield import_module(name)


APP_MATRIX_MODULES = list(_app_matrix_modules())
MATRIX = ORGS_ROWS + [row for module in APP_MATRIX_MODULES for row in module.ROWS]


def _statuses(spec: str) -> dict[str, int]:
    """Expected status per role; a "-" (a role an API client cannot hold) is left out."""
    _label, codes = spec.split(":")
    return {role: int(code) for role, code in zip(ROLES, codes.split(), strict=True) if code != "-"}


def _is_api_operation(row) -> bool:
    return row[0].startswith("api_v1_")


def _url_names(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(EXEMPT_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield pattern.name


def test_it_covers_every_url():
    assert set(_url_names()) == {row[0] for row in MATRIX}


@pytest.fixture
def targets(personas):
    """The objects of organisation A that the URLs point at."""
    support_request, token = make_request(personas.programme_a)
    targets = {
        "unit": personas.unit_a,
        "programme": personas.programme_a,
        "member": personas.alice_membership,
        "citizen": support_request.citizen,
        "request": support_request,
        "token": token,
        "organisation": personas.org_a,
    }
    for module in APP_MATRIX_MODULES:
        if hasattr(module, "make_targets"):
            targets.update(module.make_targets(personas, targets))
    return targets


def _url(row, targets):
    name, _method, kind = row[:3]
    if kind is None:
        return reverse(name)
    if _is_api_operation(row):
        return reverse(name, kwargs={"id": targets[kind].public_id})
    if kind.endswith("token"):
        return reverse(name, kwargs={"token": targets[kind]})
    return reverse(name, kwargs={"public_id": targets[kind].public_id})


@pytest.fixture
def role_users(personas):
    """One user per role and side, each with a second factor."""
    users = {}
    for side, organisation in (("own", personas.org_a), ("foreign", personas.org_b)):
        for role in ROLES:
            user = make_user(f"{role}-{side}@example.org", f"{role} {side}")
            make_member(organisation, user, [role])
            users[side, role] = user
    return users


@pytest.fixture
def role_clients(personas):
    """One API client per role a client can hold and side, as (client id, secret)."""
    clients = {}
    for side, organisation in (("own", personas.org_a), ("foreign", personas.org_b)):
        for role in CLIENT_ROLES:
            _api_client, client_id, secret = make_api_client(
                organisation, [role], actor=personas.alice, name=f"{role} {side}"
            )
            clients[side, role] = (client_id, secret)
    return clients


def _api_mismatches(client, url, method, row, role_clients) -> list[str]:
    mismatches = []
    for side, spec in (("own", row[3]), ("foreign", row[4])):
        statuses = _statuses(spec)
        assert set(statuses) == set(CLIENT_ROLES), f"{row[0]}: give every client role, '-' else"
        for role, expected in statuses.items():
            headers = bearer(client, *role_clients[side, role])
            if method == "GET":
                response = client.get(url, **headers)
            else:
                response = client.post(url, {}, content_type="application/json", **headers)
            if response.status_code != expected:
                mismatches.append(f"{side} {role}: {response.status_code}, expected {expected}")
    return mismatches


@pytest.mark.parametrize("row", MATRIX, ids=[row[0] for row in MATRIX])
def test_it_answers_each_role_as_the_table_says(client, targets, role_users, row, request):
    method, own, foreign = row[1], row[3], row[4]
    url = _url(row, targets)
    if _is_api_operation(row):
        role_clients = request.getfixturevalue("role_clients")
        mismatches = _api_mismatches(client, url, method, row, role_clients)
        assert not mismatches, f"{method} {url}\n" + "\n".join(mismatches)
        return
    mismatches = []
    for side, spec in (("own", own), ("foreign", foreign)):
        for role, expected in _statuses(spec).items():
            client.force_login(role_users[side, role])
            response = client.get(url) if method == "GET" else client.post(url)
            if response.status_code != expected:
                mismatches.append(f"{side} {role}: {response.status_code}, expected {expected}")
            client.logout()
    assert not mismatches, f"{method} {url}\n" + "\n".join(mismatches)


@pytest.mark.parametrize("row", MATRIX, ids=[row[0] for row in MATRIX])
def test_it_sends_anonymous_visitors_to_log_in(client, targets, row):
    method = row[1]
    url = _url(row, targets)
    response = client.get(url) if method == "GET" else client.post(url)
    expected = row[5] if len(row) > 5 else 302
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_it_logs_every_refusal_as_denied(client, personas, role_users):
    client.force_login(role_users["foreign", Role.ADMIN])
    client.get(reverse("programme_edit", kwargs={"public_id": personas.programme_a.public_id}))
    client.get(reverse("audit_entry_list"))
    denied = LogEntry.objects.filter(action="denied", actor=role_users["foreign", Role.ADMIN])
    assert denied.count() == 2


# What a role reads of a citizen's request, beyond the status code (the rule is written beside
# ROLE_PERMISSIONS in orgs/permissions.py): (url name, object, role, shown, hidden).
OWN_WORDS = "I want to walk with someone on Sundays"
STATUS_REASON = "Moved to the housing team after a hard winter"
WISH = "grew up in care homes"
REASON = "Has been isolated since leaving the ward"
CONTENT_ROWS = [
    (
        "intake_request_detail",
        "request",
        Role.COORDINATOR,
        ["Mette Holm", "20304050", OWN_WORDS, STATUS_REASON, WISH],
        [],
    ),
    (
        "intake_request_detail",
        "request",
        Role.MANAGER,
        ["Mette Holm", "20304050"],
        [OWN_WORDS, STATUS_REASON, WISH],
    ),
    ("intake_request_detail", "referral", Role.COORDINATOR, [REASON], []),
    ("intake_request_detail", "referral", Role.MANAGER, ["Mette Holm"], [REASON]),
    ("intake_citizen_detail", "citizen", Role.COORDINATOR, ["Mette Holm", STATUS_REASON], []),
    ("intake_citizen_detail", "citizen", Role.MANAGER, ["Mette Holm"], [STATUS_REASON]),
]


@pytest.fixture
def written(personas):
    """A self-referral and a staff referral with free text in every field that takes it."""
    from django_scopes import scope

    from brobyg.intake.models import SupportRequest
    from brobyg.intake.services import request_change_status

    support_request, _token = make_request(personas.programme_a)
    referral, _token = make_request(personas.programme_a, name="Mette Holm")
    with in_org(personas.org_a):
        SupportRequest.objects.filter(pk=support_request.pk).update(
            own_words=OWN_WORDS, wish_shared_experience=WISH
        )
        SupportRequest.objects.filter(pk=referral.pk).update(
            source="staff_referral", referral_reason=REASON, referred_by=personas.rita
        )
        support_request.refresh_from_db()
    with scope(organisation=personas.org_a.pk):
        request_change_status(
            actor=personas.alice,
            support_request=support_request,
            status="referred_elsewhere",
            reason=STATUS_REASON,
        )
    return {"request": support_request, "referral": referral, "citizen": support_request.citizen}


@pytest.mark.parametrize("row", CONTENT_ROWS, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in CONTENT_ROWS])
def test_it_shows_each_role_what_the_table_says(client, written, role_users, row):
    name, kind, role, shown, hidden = row
    client.force_login(role_users["own", role])
    response = client.get(reverse(name, kwargs={"public_id": written[kind].public_id}))
    assert response.status_code == 200
    page = response.content.decode()
    assert [text for text in shown if text not in page] == []
    assert [text for text in hidden if text in page] == []
