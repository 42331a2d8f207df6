"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.
Only the privacy officer handles data-protection requests. An empty POST shows the request page
again with the form's errors (200); lifting a hold goes back to the request (302).
"""

from django_scopes import scopes_disabled

# fmt: off
ROWS = [
    # The citizen's data page is public: a code or the personal link opens it; without either,
    # anyone gets the page that asks for a code (an empty POST included), and no download.
    ("rights_my_data", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("rights_my_data", "POST", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("rights_my_data_link", "GET", "token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("rights_my_data_download", "GET", None,
     "own:     404 404 404 404 404 404 404 404",
     "foreign: 404 404 404 404 404 404 404 404",
     404),
    ("rights_my_data_close", "POST", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("rights_request_list", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("rights_request_create", "GET", "citizen",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_request_create", "POST", "citizen",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_request_detail", "GET", "data_request",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_request_decide", "POST", "data_request",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_hold_place", "POST", "data_request",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_request_export", "GET", "data_request",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    # Coordinators and the privacy officer correct details; a peer sees none of the citizens.
    ("rights_citizen_correct", "GET", "citizen",
     "own:     403 200 403 403 403 403 403 200",
     "foreign: 403 404 403 403 403 403 403 404"),
    ("rights_citizen_correct", "POST", "citizen",
     "own:     403 200 403 403 403 403 403 200",
     "foreign: 403 404 403 403 403 403 403 404"),
    ("rights_hold_lift", "POST", "legal_hold",
     "own:     403 403 403 403 403 403 403 302",
     "foreign: 403 403 403 403 403 403 403 404"),
]
# fmt: on


def make_targets(personas, targets):
    from brobyg.rights.services import data_request_register, legal_hold_place

    with scopes_disabled():
        data_request = data_request_register(
            actor=personas.per, citizen=targets["citizen"], kind="access"
        )
        hold = legal_hold_place(
            actor=personas.per, citizen=targets["citizen"], category="support", reason="Journal"
        )
    return {"data_request": data_request, "legal_hold": hold}
