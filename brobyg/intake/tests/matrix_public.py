"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.
"""

# fmt: off
ROWS = [
    # The citizen's pages are public: staff of any organisation see what a citizen sees.
    ("intake_self_referral", "GET", "programme",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # An empty form comes back with its errors, and nothing is saved.
    ("intake_self_referral", "POST", "programme",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("intake_self_referral_organisation", "GET", "organisation",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    ("intake_receipt", "GET", None,
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # The personal link's token is the authorisation.
    ("intake_personal_page", "GET", "token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # Staff referral: referrers and coordinators.
    ("intake_referral_create", "GET", None,
     "own:     403 200 403 403 200 403 403 403",
     "foreign: 403 200 403 403 200 403 403 403"),
    ("intake_referral_create", "POST", None,
     "own:     403 200 403 403 200 403 403 403",
     "foreign: 403 200 403 403 200 403 403 403"),
    ("intake_referral_list", "GET", None,
     "own:     403 403 403 403 200 403 403 403",
     "foreign: 403 403 403 403 200 403 403 403"),
    # Only the member of staff who sent the referral sees its confirmation; the request here is a
    # self-referral, so nobody does.
    ("intake_referral_sent", "GET", "request",
     "own:     403 404 403 403 404 403 403 403",
     "foreign: 403 404 403 403 404 403 403 403"),
]
# fmt: on
