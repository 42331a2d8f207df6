"""Named test personas shared by every test: two organisations and the people in them.

Organisation A (a municipality): Ada (admin), Alice (coordinator), Bob (paid peer), Maja (manager),
Sara (supervisor), Rita (referrer), Eva (evaluator), Per (privacy officer).
Organisation B (a volunteer centre): Carl (coordinator), Vera (volunteer peer).
Carl must never see Alice's citizens.

Every persona has an authenticator app (TOTP) set up with ``TOTP_SECRET``, so the second-factor
rule lets them in; ``totp_code()`` gives the current code for browser log-ins.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from brobyg.orgs.choices import (
    LegalBasis,
    OrganisationKind,
    PeerRole,
    ProgrammeModel,
    Role,
    SupportType,
    UnitKind,
)
from brobyg.orgs.models import Membership, Organisation, Programme, Unit, User

PASSWORD = "brobyg-test-password"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

PERSONAS = {
    # key: (full name, organisation key, roles)
    "ada": ("Ada Andersen", "a", [Role.ADMIN]),
    "alice": ("Alice Jensen", "a", [Role.COORDINATOR]),
    "bob": ("Bob Nielsen", "a", [Role.PEER]),
    "maja": ("Maja Hansen", "a", [Role.MANAGER]),
    "sara": ("Sara Pedersen", "a", [Role.SUPERVISOR]),
    "rita": ("Rita Larsen", "a", [Role.REFERRER]),
    "eva": ("Eva Sørensen", "a", [Role.EVALUATOR]),
    "per": ("Per Christensen", "a", [Role.PRIVACY_OFFICER]),
    "carl": ("Carl Rasmussen", "b", [Role.COORDINATOR]),
    "vera": ("Vera Madsen", "b", [Role.PEER]),
}


def in_org(*organisations):
    """Run a test's service calls and reads the way a request runs them: inside the scope of
    the organisation (django-scopes), so that a service reading another organisation's rows
    finds nothing and fails the test. ``scopes_disabled()`` belongs only in the ``make_*``
    helpers that set up data; a test about two organisations names both."""
    ids = [organisation.pk for organisation in organisations]
    return scope(organisation=ids[0] if len(ids) == 1 else ids)


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows right now for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def make_user(email: str, full_name: str, *, with_second_factor: bool = True) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=full_name)
    if with_second_factor:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_member(organisation, user, roles) -> Membership:
    with scopes_disabled():
        return Membership.objects.create(organisation=organisation, user=user, roles=list(roles))


def make_programme(organisation, name: str, **overrides) -> Programme:
    fields = {
        "support_type": SupportType.PAID,
        "model": ProgrammeModel.SEPARATE,
        "peer_role": PeerRole.SPECIAL,
        "purposes": ["wellbeing", "community"],
        "forms": ["individual", "group"],
        "minimum_age": 18,
        "legal_basis": LegalBasis.PUBLIC_TASK,
        **overrides,
    }
    with scopes_disabled():
        return Programme.objects.create(organisation=organisation, name=name, **fields)


def create_personas() -> SimpleNamespace:
    with scopes_disabled():
        org_a = Organisation.objects.create(name="Testkommune", kind=OrganisationKind.MUNICIPALITY)
        org_b = Organisation.objects.create(
            name="Frivilligcenter Testby", kind=OrganisationKind.VOLUNTEER_CENTRE
        )
        unit_a = Unit.objects.create(
            organisation=org_a, name="Bostedet Solsikken", kind=UnitKind.SUPPORTED_HOUSING
        )
        unit_b = Unit.objects.create(organisation=org_b, name="Caféen", kind=UnitKind.OTHER)
        programme_a = make_programme(org_a, "Peer-støtte i socialpsykiatrien")
        programme_a.units.set([unit_a])
        programme_b = make_programme(
            org_b,
            "Frivillig peer-støtte",
            support_type=SupportType.VOLUNTEER,
            legal_basis=LegalBasis.CONSENT,
        )
        people = SimpleNamespace(
            org_a=org_a,
            org_b=org_b,
            unit_a=unit_a,
            unit_b=unit_b,
            programme_a=programme_a,
            programme_b=programme_b,
        )
        orgs = {"a": org_a, "b": org_b}
        for key, (full_name, org_key, roles) in PERSONAS.items():
            user = make_user(f"{key}@example.org", full_name)
            setattr(people, key, user)
            setattr(people, f"{key}_membership", make_member(orgs[org_key], user, roles))
    return people


def log_in_with_second_factor(client, email: str, password: str = PASSWORD):
    """Log in through allauth's real forms: password, then the authenticator code."""
    from django.urls import reverse

    client.post(reverse("account_login"), {"login": email, "password": password})
    return client.post(reverse("mfa_authenticate"), {"code": totp_code()})


def make_request(programme, *, in_crisis=False, birth_year=1990, **citizen_fields):
    """A self-referral to ``programme`` with a citizen; returns (request, personal-link token)."""
    from brobyg.intake.services import request_submit

    citizen_data = {"name": "Mette Holm", "phone": "20304050", "birth_year": birth_year}
    citizen_data.update(citizen_fields)
    with scopes_disabled():
        return request_submit(
            programme=programme,
            citizen_data=citizen_data,
            request_data={"purposes": ["wellbeing"], "forms": ["individual"]},
            consents=["support"],
            in_crisis=in_crisis,
        )


def make_waiting_request(programme, *, request_data=None, **citizen_fields):
    """A request on the waiting list (as after screening): (request, personal-link token)."""
    from brobyg.intake.models import Status, SupportRequest
    from brobyg.intake.services import request_submit

    citizen_data = {"name": "Mette Holm", "phone": "20304050", "birth_year": 1990}
    citizen_data.update(citizen_fields)
    with scopes_disabled():
        support_request, token = request_submit(
            programme=programme,
            citizen_data=citizen_data,
            request_data=request_data or {"purposes": ["wellbeing"], "forms": ["individual"]},
            consents=["support"],
            in_crisis=False,
        )
        SupportRequest.objects.filter(pk=support_request.pk).update(status=Status.WAITING)
        support_request.refresh_from_db()
    return support_request, token


def make_course(programme, peer, *, actor, goals="", data=None, linked=True, **citizen_fields):
    """A live support course in ``programme`` with ``peer``, started by ``actor`` for a new
    citizen on the waiting list (``citizen_fields`` as for ``make_waiting_request``); with
    ``linked`` the course comes from that request. Returns the course."""
    from brobyg.support.services import course_create

    support_request, _token = make_waiting_request(programme, **citizen_fields)
    with scopes_disabled():
        return course_create(
            actor=actor,
            citizen=support_request.citizen,
            programme=programme,
            peers=[peer],
            data=data or {},
            goals=goals,
            support_request=support_request if linked else None,
        )


def make_peer(organisation, user, programmes, **fields):
    """An active peer profile (the user should hold the peer role in ``organisation``)."""
    from brobyg.people.models import Peer, PeerStatus

    values = {
        "kind": "paid",
        "status": PeerStatus.ACTIVE,
        "capacity": 3,
        "languages": ["da"],
        "forms": ["individual"],
        "strengths": ["wellbeing"],
        **fields,
    }
    with scopes_disabled():
        peer = Peer.objects.create(organisation=organisation, user=user, **values)
        peer.programmes.set(programmes)
    return peer


def assert_queries_do_not_grow(client, url: str, grow) -> object:
    """A list page costs the same number of queries however long its list: fetch ``url`` once
    (so caches are warm), count its queries, ``grow()`` the data, and count again. On a
    difference the failure prints the SQL of both fetches. Returns the second response."""
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    grow()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    if len(many) != len(few):
        before = "\n".join(query["sql"] for query in few.captured_queries)
        after = "\n".join(query["sql"] for query in many.captured_queries)
        raise AssertionError(
            f"{url}: {len(few)} queries, then {len(many)} with more rows.\n"
            f"Before:\n{before}\nAfter:\n{after}"
        )
    return response


def postgres_plan(query, *, without=()) -> str:
    """PostgreSQL's plan for ``query`` (a queryset, or SQL a test captured), with the planner's
    ``without`` methods (``"seqscan"``, ``"sort"``, ...) switched off for the rest of the
    current transaction: a test's few rows would otherwise be read whole, whatever the indexes.
    The plan must still be able to do what the test asserts without them."""
    with connection.cursor() as cursor:
        for method in without:
            cursor.execute("SELECT set_config(%s, 'off', true)", [f"enable_{method}"])
        if isinstance(query, str):
            cursor.execute("EXPLAIN " + query)
            return "\n".join(row[0] for row in cursor.fetchall())
    return query.explain()


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output free of access-log lines."""

    def log_message(self, *args):
        pass


class LocalServer:
    """A stand-in for a system Brobyg calls: http.server in a thread on a free localhost port,
    serving ``handler`` at ``url`` (ending in ``path``) while the ``with`` block runs."""

    def __init__(self, handler, path: str, *, poll_interval: float = 0.5):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{path}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(poll_interval,), daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
