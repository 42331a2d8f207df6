"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The application page is public (an empty POST shows the form's errors, 200). Only coordinators
work the pipeline; an application of organisation A is not found (404) by organisation B's
coordinator. An empty POST to a pipeline action shows the application again with the form's
errors (200).
"""

from datetime import date

from brobyg.test import in_org, make_member, make_peer, make_user
from brobyg.volunteers.services import application_submit
from brobyg.volunteers.services_agreement import agreement_publish, agreement_send
from brobyg.volunteers.services_claims import claim_submit

# fmt: off
ROWS = [
    ("volunteer_apply", "GET", "organisation",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("volunteer_apply", "POST", "organisation",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("volunteer_received", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # The applicant's personal link to the agreement: the link is the authorisation.
    ("volunteer_agreement", "GET", "volunteer_agreement_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("volunteer_agreement", "POST", "volunteer_agreement_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("volunteers_agreement", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_agreement", "POST", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_send_agreement", "POST", "volunteer_application",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    # Hours and expenses. The matrix's peers have no volunteer profile: their own page says so,
    # they have no statement (404) and another volunteer's claim is not found (404).
    ("volunteers_mine", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("volunteers_mine", "POST", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("volunteers_statement_own", "GET", None,
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("volunteers_claim_edit", "GET", "claim",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("volunteers_claim_receipt_own", "GET", "claim",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("volunteers_claims", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_claims_export", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_claim_receipt", "GET", "claim",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_claim_decide", "POST", "claim",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_statement", "GET", "volunteer_peer",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_mileage_rate", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("volunteers_mileage_rate", "POST", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("volunteers_pipeline", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_stages", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_stages", "POST", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("volunteers_detail", "GET", "volunteer_application",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_move", "POST", "volunteer_application",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_note", "POST", "volunteer_application",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("volunteers_not_now", "POST", "volunteer_application",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
]
# fmt: on

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

APPLICATION = {
    "name": "Jonas Berg",
    "email": "jonas@example.org",
    "phone": "",
    "birth_year": 1985,
    "municipality": "Rudersdal",
    "gender": "",
    "experience_areas": ["anxiety"],
    "availability": ["evenings"],
    "hours_per_month": 8,
    "own_recovery": "Angst i mange år; i dag har jeg et godt liv.",
    "motivation": "Jeg vil gerne give noget videre.",
    "works_with_minors": False,
}


def make_targets(personas, targets):
    with in_org(personas.org_a):
        application = application_submit(
            organisation=personas.org_a, data=dict(APPLICATION), in_crisis=False
        )
        agreement_publish(actor=personas.alice, organisation=personas.org_a, text="Tavshedspligt.")
        token = agreement_send(actor=personas.alice, application=application)
        user = make_user("volunteer-a@example.org", "Vibeke Frivillig")
        make_member(personas.org_a, user, ["peer"])
        peer = make_peer(personas.org_a, user, [personas.programme_a], kind="volunteer")
        claim = claim_submit(
            actor=user,
            peer=peer,
            kind="ticket",
            day=date(2026, 1, 5),
            description="Bus",
            amount=24,
            receipt=PNG,
        )
    return {
        "volunteer_application": application,
        "volunteer_agreement_token": token,
        "volunteer_peer": peer,
        "claim": claim,
    }
