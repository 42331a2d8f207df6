"""Every page that writes a read, search or export entry tells the browser not to store it.

It walks the authorisation matrix: each URL once, as a role of the own organisation that may
open it (and anonymously where the page is public), and checks every response that wrote such
an entry."""

from django.test import Client

from brobyg.audit.models import LogEntry
from brobyg.orgs.tests.test_authorisation_matrix import (  # noqa: F401  (fixtures)
    MATRIX,
    ROLES,
    _is_api_operation,
    _statuses,
    _url,
    role_users,
    targets,
)

SHOWING = ("read", "search", "export")


def _showing_entries() -> int:
    return LogEntry.objects.filter(action__in=SHOWING).count()


def test_every_page_that_logs_a_read_is_sent_with_no_store(targets, role_users):  # noqa: F811
    checked, missing = set(), []
    for row in MATRIX:
        if _is_api_operation(row):
            continue  # answered to machines with a bearer token, not pages a browser keeps
        name, method, own = row[0], row[1], _statuses(row[3])
        url = _url(row, targets)
        visitors = [role_users["own", role] for role in ROLES if own[role] == 200][:1]
        if len(row) > 5 and row[5] == 200:
            visitors.append(None)
        for user in visitors:
            client = Client()
            if user is not None:
                client.force_login(user)
            before = _showing_entries()
            response = client.get(url) if method == "GET" else client.post(url)
            if _showing_entries() > before:
                checked.add(name)
                if "no-store" not in response.get("Cache-Control", ""):
                    missing.append(f"{method} {name} as {user or 'anonymous'}")
    assert not missing, "without Cache-Control: no-store:\n" + "\n".join(missing)
    assert {"intake_citizen_detail", "audit_entry_list", "rights_my_data_link"} <= checked
    assert len(checked) > 40
