"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.
Only the privacy officer handles data-protection requests. An empty POST shows the request page
again with the form's errors (200); lifting a hold goes back to the request (302).
"""

from datetime import timedelta

from brobyg.rights.models import SpotCheckItem
from brobyg.test import in_org

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
    # Spot checks of the log: an empty POST shows the form's errors (200); marking an item goes
    # back to its check (302).
    ("rights_spot_check_list", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("rights_spot_check_list", "POST", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("rights_spot_check_detail", "GET", "spot_check",
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_spot_check_mark", "POST", "spot_check_item",
     "own:     403 403 403 403 403 403 403 302",
     "foreign: 403 403 403 403 403 403 403 404"),
    ("rights_processing_record", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    # Retention: an empty POST shows the form's errors (200).
    ("rights_retention", "GET", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("rights_retention", "POST", None,
     "own:     403 403 403 403 403 403 403 200",
     "foreign: 403 403 403 403 403 403 403 200"),
    ("rights_hold_lift", "POST", "legal_hold",
     "own:     403 403 403 403 403 403 403 302",
     "foreign: 403 403 403 403 403 403 403 404"),
]
# fmt: on


def make_targets(personas, targets):
    from django.utils import timezone

    from brobyg.rights.services import (
        data_request_register,
        legal_hold_place,
        spot_check_draw,
    )

    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)

    with in_org(personas.org_a):
        data_request = data_request_register(
            actor=personas.per, citizen=targets["citizen"], kind="access"
        )
        hold = legal_hold_place(
            actor=personas.per, citizen=targets["citizen"], category="support", reason="Journal"
        )
        spot_check = spot_check_draw(
            actor=personas.per, organisation=personas.org_a, month=last_month
        )
        item = SpotCheckItem.objects.create(
            organisation=personas.org_a,
            spot_check=spot_check,
            entry_id=1,
            read_at=timezone.now() - timedelta(days=40),
            actor=personas.alice,
            subject_type="citizen",
            subject_id=str(targets["citizen"].public_id),
            reason="citizen page",
        )
    return {
        "data_request": data_request,
        "legal_hold": hold,
        "spot_check": spot_check,
        "spot_check_item": item,
    }
