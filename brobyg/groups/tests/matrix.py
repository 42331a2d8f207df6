"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The group these rows point at is facilitated by Bob, not by the matrix's own peer user, so a peer
gets 404 for it: a peer sees only the groups they facilitate. A manager sees the group's figures
(200) but not its participants, its attendance list or its messages. Empty POSTs to forms with
required fields come back with their errors (200); the start, finish, move-in and leave buttons
redirect back to the group's page (302).
"""

from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.people.models import Peer
from brobyg.test import in_org, make_peer


def make_targets(personas, targets):
    with in_org(personas.org_a):
        peer = Peer.objects.filter(organisation=personas.org_a, user=personas.bob).first()
    peer = peer or make_peer(personas.org_a, personas.bob, [personas.programme_a])
    group = make_group(personas, facilitators=[peer], capacity=1, public_signup=True)
    first, waiting = add_people(group, 2)
    with in_org(personas.org_a):
        session = group.sessions.order_by("number").first()
    return {
        "group": group,
        "group_session": session,
        "group_participant": first,
        "group_waiting_participant": waiting,
    }


# fmt: off
ROWS = [
    ("groups_list", "GET", None,
     "own:     403 200 200 200 403 403 403 403",
     "foreign: 403 200 200 200 403 403 403 403"),
    ("groups_create", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("groups_detail", "GET", "group",
     "own:     403 200 404 200 403 403 403 403",
     "foreign: 403 404 404 404 403 403 403 403"),
    ("groups_edit", "GET", "group",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_start", "POST", "group",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_finish", "POST", "group",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_cancel", "POST", "group",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_participant_add", "POST", "group",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_enrol_request", "POST", "group",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_message", "GET", "group",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("groups_participant_move_in", "POST", "group_waiting_participant",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_participant_leave", "POST", "group_participant",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("groups_session_attendance", "GET", "group_session",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    # The public sign-up needs no log-in: everyone gets the page.
    ("groups_signup", "GET", "group",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("groups_signup_done", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
]
# fmt: on
