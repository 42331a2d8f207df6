"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The actions on a request and merging are POST only; an empty POST shows the request page again
with the form's errors (200), or, for merging, goes back to the citizen page (302). A peer holds
``view_citizen`` but sees only the citizens of their own support courses, so none yet (404).
"""

# fmt: off
ROWS = [
    ("intake_waiting_list", "GET", None,
     "own:     403 200 403 200 403 403 403 403",
     "foreign: 403 200 403 200 403 403 403 403"),
    ("intake_request_detail", "GET", "request",
     "own:     403 200 403 200 403 403 403 403",
     "foreign: 403 404 403 404 403 403 403 403"),
    ("intake_request_status", "POST", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("intake_request_first_contact", "POST", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("intake_request_age_override", "POST", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("intake_citizen_detail", "GET", "citizen",
     "own:     403 200 404 200 403 403 403 403",
     "foreign: 403 404 404 404 403 403 403 403"),
    # A peer sees only the citizens of their own courses; the matrix's citizen is not one.
    ("intake_citizen_consent", "GET", "citizen",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("intake_citizen_merge", "POST", "citizen",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
]
# fmt: on
