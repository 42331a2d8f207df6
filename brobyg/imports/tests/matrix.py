"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

An upload is its uploader's only: the matrix's own admin and coordinator did not make the one
these rows point at (Alice did), so they get 404 for it, as does everyone in organisation B.
"""

from datetime import timedelta

from django.utils import timezone

from brobyg.imports.models import ImportUpload
from brobyg.test import in_org

# fmt: off
ROWS = [
    ("imports_start", "GET", None,
     "own:     200 200 403 403 403 403 403 403",
     "foreign: 200 200 403 403 403 403 403 403"),
    ("imports_template", "GET", None,
     "own:     200 200 403 403 403 403 403 403",
     "foreign: 200 200 403 403 403 403 403 403"),
    ("imports_sample", "GET", None,
     "own:     200 200 403 403 403 403 403 403",
     "foreign: 200 200 403 403 403 403 403 403"),
    ("imports_preview", "GET", "upload",
     "own:     404 404 403 403 403 403 403 403",
     "foreign: 404 404 403 403 403 403 403 403"),
    ("imports_run", "POST", "upload",
     "own:     404 404 403 403 403 403 403 403",
     "foreign: 404 404 403 403 403 403 403 403"),
    ("imports_discard", "POST", "upload",
     "own:     404 404 403 403 403 403 403 403",
     "foreign: 404 404 403 403 403 403 403 403"),
]
# fmt: on


def make_targets(personas, targets):
    with in_org(personas.org_a):
        upload = ImportUpload.objects.create(
            organisation=personas.org_a,
            kind="peers",
            created_by=personas.alice,
            expires_at=timezone.now() + timedelta(hours=1),
            file_name="peers.csv",
            rows=[],
        )
    return {"upload": upload}
