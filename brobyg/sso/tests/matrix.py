"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.
The log-in settings are the current organisation's own, so only administrators reach them.
"""

# fmt: off
ROWS = [
    ("sso_settings", "GET", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
    ("sso_settings", "POST", None,
     "own:     200 403 403 403 403 403 403 403",
     "foreign: 200 403 403 403 403 403 403 403"),
]
# fmt: on
