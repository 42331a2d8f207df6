"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.
"""

# fmt: off
ROWS = [
    ("sms_message_list", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
]
# fmt: on
