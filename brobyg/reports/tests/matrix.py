"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

Reports are for coordinators, managers and evaluators. A report file ("run") is seen only by
the member who asked for it; the matrix's run was asked for by Alice, so every other member,
also the matrix's own coordinator, gets 404 for it.

Stored report figures ("snapshot") are reached by members of their organisation whose
permissions give the same suppression: the matrix's are unsuppressed (a coordinator's or a
manager's), so an evaluator gets 404 for them. Without htmx both lead back to the report (302).
"""

from brobyg.reports.models import ExportFormat, ReportRun, ReportSnapshot, RunStatus
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
        parameters = {
            "programmes": [],
            "programme_ids": [],
            "start": "2025-01-01",
            "end": "2025-12-31",
            "follow_up": "last",
            "suppressed": False,
            "language": "da",
        }
        snapshot = ReportSnapshot.objects.create(
            organisation=personas.org_a,
            key="matrix",
            parameters=parameters,
            suppressed=False,
            language="da",
            status="done",
        )
    return {"report_run": run, "report_snapshot": snapshot}


# fmt: off
ROWS = [
    ("reports_report", "GET", None,
     "own:     403 200 403 200 403 403 200 403",
     "foreign: 403 200 403 200 403 403 200 403"),
    # An empty form comes back with its errors.
    ("reports_export", "POST", None,
     "own:     403 200 403 200 403 403 200 403",
     "foreign: 403 200 403 200 403 403 200 403"),
    ("reports_snapshot", "GET", "report_snapshot",
     "own:     403 302 403 302 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
    ("reports_snapshot_refresh", "POST", "report_snapshot",
     "own:     403 302 403 302 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
    ("reports_run", "GET", "report_run",
     "own:     403 404 403 404 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
    ("reports_download", "GET", "report_run",
     "own:     403 404 403 404 403 403 404 403",
     "foreign: 403 404 403 404 403 403 404 403"),
]
# fmt: on
