"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The supervision session these rows point at was held by Sara with Pia (a peer of organisation
A), so the matrix's own supervisor gets 404 for it: a supervisor sees only the sessions they
held. Coordinators and managers get 403 on every page that shows supervision notes: they see
dates and coverage only (peercare_peer). The matrix's peer user has no peer profile: their own
pages say so (200), and objects of another peer are 404.
"""

from datetime import timedelta

from django.utils import timezone

from brobyg.orgs.choices import Role
from brobyg.peercare import services
from brobyg.peercare.models import (
    PathwayEntry,
    PathwayKind,
    SessionKind,
    SupervisionNote,
    SupervisionSession,
)
from brobyg.test import in_org, make_member, make_peer, make_user


def make_targets(personas, targets):
    user = make_user("pia@example.org", "Pia Holm")
    make_member(personas.org_a, user, [Role.PEER])
    peer = make_peer(personas.org_a, user, [personas.programme_a])
    with in_org(personas.org_a):
        session = SupervisionSession.objects.create(
            organisation=personas.org_a,
            kind=SessionKind.INDIVIDUAL,
            supervisor=personas.sara,
            held_on=timezone.localdate() - timedelta(days=3),
            created_by=personas.sara,
        )
        services.attendance_record(session, [peer])
        SupervisionNote.objects.create(
            organisation=personas.org_a,
            session=session,
            peer=peer,
            text="Private supervision note",
            author=personas.sara,
        )
        entry = PathwayEntry.objects.create(
            organisation=personas.org_a,
            peer=peer,
            kind=PathwayKind.SKILL,
            title="Facilitating a group",
            happened_on=timezone.localdate(),
        )
    return {"care_peer": peer, "supervision_session": session, "pathway_entry": entry}


# fmt: off
ROWS = [
    ("peercare_overview", "GET", None,
     "own:     403 200 403 200 403 200 403 403",
     "foreign: 403 200 403 200 403 200 403 403"),
    ("peercare_attention", "GET", None,
     "own:     403 200 403 200 403 200 403 403",
     "foreign: 403 200 403 200 403 200 403 403"),
    ("peercare_load", "GET", None,
     "own:     403 200 403 200 403 200 403 403",
     "foreign: 403 200 403 200 403 200 403 403"),
    # Dates and coverage only: this page never shows a note.
    ("peercare_peer", "GET", "care_peer",
     "own:     403 200 403 200 403 200 403 403",
     "foreign: 403 404 403 404 403 404 403 403"),
    # An empty form: the page says to choose a supervisor and goes back.
    ("peercare_peer_supervisor", "POST", "care_peer",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    # The peer is already active: the page says so and goes back.
    ("peercare_peer_activate", "POST", "care_peer",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("peercare_training_add", "GET", "care_peer",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("peercare_programme", "GET", "programme",
     "own:     200 200 403 403 403 403 403 403",
     "foreign: 404 404 403 403 403 403 403 403"),
    ("peercare_supervision", "GET", None,
     "own:     403 403 403 403 403 200 403 403",
     "foreign: 403 403 403 403 403 200 403 403"),
    ("peercare_session_create", "GET", None,
     "own:     403 403 403 403 403 200 403 403",
     "foreign: 403 403 403 403 403 200 403 403"),
    # Supervision notes: never coordinators or managers (403); another supervisor 404.
    ("peercare_session", "GET", "supervision_session",
     "own:     403 403 403 403 403 404 403 403",
     "foreign: 403 403 403 403 403 404 403 403"),
    ("peercare_session_note", "POST", "supervision_session",
     "own:     403 403 403 403 403 404 403 403",
     "foreign: 403 403 403 403 403 404 403 403"),
    ("peercare_own", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("peercare_own_pause", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("peercare_own_resume", "POST", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("peercare_own_confirm_role", "POST", "programme",
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    # Another peer's session and notes: 404 for every peer but the attendee.
    ("peercare_own_session", "GET", "supervision_session",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("peercare_own_pathway", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("peercare_own_pathway_delete", "POST", "pathway_entry",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("peercare_own_statement", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
]
# fmt: on
