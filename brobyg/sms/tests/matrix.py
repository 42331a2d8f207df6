"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The provider's delivery reports need no log-in but a valid signature: without the shared secret
configured (as in the matrix) the endpoint is 404 for everyone; signed, forged and unsigned
reports are tested in test_delivery_reports.py.
"""

# fmt: off
ROWS = [
    ("sms_message_list", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("sms_gatewayapi_delivery", "POST", None,
     "own:     404 404 404 404 404 404 404 404",
     "foreign: 404 404 404 404 404 404 404 404",
     404),
]
# fmt: on
