"""Recruitment and retention of volunteers on the report's organisation level, with the report's
suppression of small cells."""

from datetime import date

import time_machine
from django_scopes import scope

from brobyg.people.models import Peer
from brobyg.reports.report import build_report
from brobyg.test import in_org
from brobyg.volunteers import services


def _report(personas, *, suppress):
    with in_org(personas.org_b):
        report = build_report(
            organisations=[personas.org_b],
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            suppress=suppress,
        )
    return {table.key: table for _section, table in report.tables()}


def _values(table, column="n"):
    return {row["label"].value: row[column] for row in table.rows}


def test_it_counts_applied_active_retained_and_endings(personas, apply_to, stages):
    with time_machine.travel("2025-01-15 10:00 +01:00"):
        applications = [apply_to(email=f"frivillig{number}@example.org") for number in range(7)]
        with scope(organisation=personas.org_b.pk):
            for application in applications[:6]:
                services.application_move(
                    actor=personas.carl,
                    application=application,
                    stage=stages[-1],
                    certificate_kind="criminal_record",
                    certificate_seen_on=date(2025, 1, 10),
                )
            services.application_not_now(
                actor=personas.carl, application=applications[6], reason="timing"
            )
    with time_machine.travel("2025-05-01 10:00 +02:00"), in_org(personas.org_b):
        Peer.objects.filter(volunteer_application=applications[0]).update(status="ended")
        Peer.objects.filter(volunteer_application=applications[0]).update(
            status_changed_at="2025-05-01T08:00:00Z"
        )

    tables = _report(personas, suppress=False)
    assert {k: c.value for k, c in _values(tables["volunteer-recruitment"]).items()} == {
        "Ansøgt": 7,
        "Blev aktive frivillige": 6,
    }
    retention = tables["volunteer-retention"].rows
    six = retention[0]
    assert (six["n"].value, six["still"].value) == (6, 5)
    endings = _values(tables["volunteer-endings"])
    assert endings["Tidspunktet passer ikke ansøgeren"].value == 1

    suppressed = _report(personas, suppress=True)
    endings = _values(suppressed["volunteer-endings"])
    assert endings["Tidspunktet passer ikke ansøgeren"].suppressed
    assert not suppressed["volunteer-retention"].rows[0]["still"].suppressed


def test_there_is_no_section_without_volunteers(personas):
    assert "volunteer-recruitment" not in _report(personas, suppress=False)
