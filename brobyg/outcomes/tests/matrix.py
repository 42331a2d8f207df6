"""Authorisation-matrix rows for the outcomes URLs; the format is described in
orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

A peer holds ``view_outcomes`` but sees only the citizens of their own support courses, so none
yet (404). The questionnaires are shared by all organisations, so a foreign member sees them
too. A peer's check-ins are the peer's own: the matrix's peer is not Bob, whose check-in it is.
"""

from brobyg.test import in_org

# fmt: off
ROWS = [
    # The questionnaire link's token is the authorisation.
    ("outcomes_answer", "GET", "outcomes_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("outcomes_citizen", "GET", "citizen",
     "own:     403 200 404 200 403 403 403 403",
     "foreign: 403 404 404 404 403 403 403 403"),
    # An empty POST shows the page again with the form's errors.
    ("outcomes_citizen_invite", "POST", "citizen",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("outcomes_invitation_print", "GET", "outcomes_invitation",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("outcomes_response_fhir", "GET", "outcomes_response",
     "own:     403 200 404 200 403 403 403 403",
     "foreign: 403 404 404 404 403 403 403 403"),
    ("outcomes_instrument_list", "GET", None,
     "own:     200 200 200 200 403 200 200 403",
     "foreign: 200 200 200 200 403 200 200 403"),
    ("outcomes_instrument_detail", "GET", "outcomes_instrument",
     "own:     200 200 200 200 403 200 200 403",
     "foreign: 200 200 200 200 403 200 200 403"),
    ("outcomes_instrument_fhir", "GET", "outcomes_instrument",
     "own:     200 200 200 200 403 200 200 403",
     "foreign: 200 200 200 200 403 200 200 403"),
    ("outcomes_programme_schedules", "GET", "programme",
     "own:     200 200 403 200 403 403 403 403",
     "foreign: 404 404 403 404 403 403 403 403"),
    ("outcomes_programme_schedules", "POST", "programme",
     "own:     200 200 403 200 403 403 403 403",
     "foreign: 404 404 403 404 403 403 403 403"),
    ("outcomes_schedule_toggle", "POST", "outcomes_schedule",
     "own:     302 302 403 302 403 403 403 403",
     "foreign: 404 404 403 404 403 403 403 403"),
    ("outcomes_my_checkins", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("outcomes_checkin_share", "POST", "outcomes_checkin",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("outcomes_peer_checkins", "GET", "outcomes_peer",
     "own:     403 403 403 403 403 200 403 403",
     "foreign: 403 403 403 403 403 404 403 403"),
    ("outcomes_alert_handled", "POST", "outcomes_alert",
     "own:     403 302 403 403 403 302 403 403",
     "foreign: 403 404 403 403 403 404 403 403"),
    # A group course's evaluation (the group from groups' targets, facilitated by Bob): the
    # coordinators and the group's own facilitators only; a manager sees the shares on the
    # group's page, never the links. The group is not at its last session: the button says so.
    ("outcomes_group_invite", "POST", "group",
     "own:     403 302 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("outcomes_group_print", "GET", "group",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
]
# fmt: on


def make_targets(personas, targets) -> dict:
    from brobyg.outcomes import services, services_answers
    from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments, make_peer

    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    with in_org(personas.org_a):
        open_invitation, token = services.invitation_create_in_person(
            actor=personas.alice,
            citizen=citizen,
            instrument=instruments["brobyg-chime"],
            timepoint="baseline",
        )
        answered, _ = services.invitation_create_in_person(
            actor=personas.alice, citizen=citizen, instrument=instruments["who-5"], timepoint="end"
        )
        services_answers.response_save(invitation=answered, answers={"w1": 3})
        response = services_answers.response_complete(invitation=answered)
        checkin_invitation, _ = services.invitation_create(
            organisation=personas.org_a,
            instrument=instruments["peer-checkin"],
            anchor_kind="peer",
            anchor_id=str(peer.public_id),
            timepoint="2026-01-05",
            user=personas.bob,
            peer=peer,
            send=False,
        )
        services_answers.response_save(invitation=checkin_invitation, answers={"w1": 3, "talk": 1})
        checkin = services_answers.response_complete(invitation=checkin_invitation)
        schedule = services.schedule_create(
            actor=personas.alice,
            programme=personas.programme_a,
            instrument=instruments["peer-checkin"],
            anchor_kind="peer",
        )
    return {
        "outcomes_token": token,
        "outcomes_invitation": open_invitation,
        "outcomes_response": response,
        "outcomes_instrument": instruments["who-5"],
        "outcomes_schedule": schedule,
        "outcomes_checkin": checkin,
        "outcomes_peer": peer,
        "outcomes_alert": checkin.alert,
    }
