"""The pairing split over several PostgreSQL connections (``REPORT_PAIRING_CONNECTIONS``) gives
the same table as the documented rules: each part reads a range of citizens on its own
connection, in the snapshot of the caller's transaction.

The parts see only committed data, so this test commits its data (a transactional test); the
rest of the suite stays below ``REPORT_PAIRING_SPLIT_FROM`` and pairs on one connection."""

import random
from collections import Counter

import pytest
from django.db import connection
from django_scopes import scope

from brobyg.reports import change
from brobyg.reports.tests.test_pairing import END, SCALES, START, _make_answers, _reference

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("follow_up", [change.LAST, "followup_3m"])
def test_a_split_pairing_follows_the_documented_rules(
    instruments, personas, settings, monkeypatch, follow_up
):
    if connection.vendor != "postgresql":
        pytest.skip("the pairing is split on PostgreSQL only")
    settings.REPORT_PAIRING_CONNECTIONS = 3
    settings.REPORT_PAIRING_SPLIT_FROM = 1
    parts = []
    table_part = change._table_part
    monkeypatch.setattr(
        change,
        "_table_part",
        lambda *arguments: parts.append(arguments[-1]) or table_part(*arguments),
    )
    rows = _make_answers(personas, instruments["brobyg-chime"], random.Random(11))
    flt = change.Filter(
        organisation_ids=(personas.org_a.pk,), programme_ids=(), start=START, end=END
    )
    with scope(organisation=personas.org_a.pk):
        table = change.change_table(flt, "brobyg-chime", follow_up)

    assert len(parts) == 3
    found = Counter()
    for scale, t1, t2, count in table:
        if scale in SCALES and (t1 is not None or t2 is not None):
            found[(scale, t1, t2)] += count
    expected = _reference(rows, personas.org_a.pk, follow_up, withdrawn=set())
    assert sum(expected.values()) > 20
    assert found == expected
