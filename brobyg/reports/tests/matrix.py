"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

Reports are for coordinators, managers and evaluators. A report file ("run") is seen only by
the member who asked for it; the matrix's run was asked for by Alice, so every other member,
also the matrix's own coordinator, gets 404 for it.
"""

from brobyg.reports.models import ExportFormat, ReportRun, RunStatus
from brobyg.test import in_org


def make_targets(personas, targets):
    with in_org(personas.org_a):
        run = ReportRun.objects.create(
            organisation=personas.org_a,
            requested_by=personas.alice,
            format=ExportFormat.CSV,
            parameters={"start": "2025-01-01", "end": "2025-12-31"},
            status=RunStatus.DONE,
            content=b"section,table\n",
            filename="report.csv",
            content_type="text/csv",
        )
    return {"report_run": run}


# fmt: off
ROWS = [
    ("reports_report", "GET", None,
     "own:     403 200 403 200 403 403 200 403",
     "foreign: 403 200 403 200 403 403 200 403"),
    # An empty form comes back with its errors.
    ("reports_export", "POST", None,
     "own:     403 200 403 200 403 403 200 403",
     "foreign: 403 200 403 200 403 403 200 403"),
    ("reports_run", "GET", "report_run",
     "own:     403 404 403 404 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
    ("reports_download", "GET", "report_run",
     "own:     403 404 403 404 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
]
# fmt: on
