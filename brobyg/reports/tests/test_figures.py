"""Activity, paid/volunteer and the definitions' direction: figures from their sources."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from django_scopes import scope

from brobyg.intake.models import SupportRequest
from brobyg.matching.models import Match, MatchStatus
from brobyg.outcomes.definitions import DefinitionError, parse_definition
from brobyg.outcomes.imports import import_responses
from brobyg.outcomes.models import Pseudonym
from brobyg.outcomes.tests.helpers import definition
from brobyg.reports import activity
from brobyg.reports.change import Filter
from brobyg.reports.report import build_report
from brobyg.test import in_org, make_member, make_peer, make_user, make_waiting_request

ITEMS = ["c1", "c2", "c3", "h1", "h2", "i1", "i2", "m1", "m2", "e1", "e2", "e3"]


def test_the_definition_says_which_way_is_better():
    from brobyg.outcomes.definitions import INSTRUMENT_DIR, read_yaml

    data, _digest = read_yaml(INSTRUMENT_DIR / "who-5.yaml")
    assert parse_definition(data).better == "higher"
    assert parse_definition({**data, "better": "lower"}).better == "lower"
    with pytest.raises(DefinitionError, match="better"):
        parse_definition({**data, "better": "sideways"})
    with pytest.raises(DefinitionError, match="internal_consistency"):
        parse_definition({**data, "reliability": {"internal_consistency": 1.4}})
    assert definition("swemwbs").reliability["sem"] == 1.03
    assert definition("brobyg-chime").reliability == {}


def test_it_counts_requests_and_days_waiting(personas):
    today = timezone.localdate()
    waits = [2, 4, 6, 8, 30]
    with in_org(personas.org_a):
        for number, days in enumerate(waits):
            request, _token = make_waiting_request(personas.programme_a, name=f"C {number}")
            SupportRequest.objects.filter(pk=request.pk).update(
                created_at=timezone.now() - timedelta(days=40),
                first_contact_at=today - timedelta(days=40 - days),
            )
        make_waiting_request(personas.programme_a, name="Still waiting")
        rows = {
            row.key: row
            for row in activity.intake_rows(
                Filter((personas.org_a.pk,), (), today - timedelta(days=60), today)
            )
        }
    assert rows["requests"].value == 6
    assert rows["reached"].value == 5 and rows["still_waiting"].value == 1
    assert rows["median_days"].value == 6 and rows["median_days"].n == 5
    assert rows["p90_days"].value == pytest.approx(8 + 0.6 * 22)


def _imported_report(personas, text):
    """The evaluator's report for 2025 over answers imported from ``text``."""
    with scope(organisation=personas.org_a.pk):
        import_responses(organisation=personas.org_a, stream=io.StringIO(text))
        with translation.override("en"):
            return build_report(
                organisations=[personas.org_a],
                start=date(2025, 1, 1),
                end=date(2025, 12, 31),
                suppress=True,
            )


def test_it_puts_paid_and_volunteer_support_side_by_side(instruments, personas):
    volunteer_user = make_user("volunteer@example.org", "Vibeke Frivillig")
    make_member(personas.org_a, volunteer_user, ["peer"])
    paid = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    volunteer = make_peer(personas.org_a, volunteer_user, [personas.programme_a], kind="volunteer")
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    with in_org(personas.org_a):
        for number in range(12):
            request, _token = make_waiting_request(personas.programme_a, name=f"C {number}")
            peer = paid if number < 6 else volunteer
            Match.objects.create(
                organisation=personas.org_a,
                programme=personas.programme_a,
                support_request=request,
                citizen=request.citizen,
                peer=peer,
                score=80,
                proposed_by=personas.alice,
                status=MatchStatus.ACTIVE,
                activated_at=timezone.now(),
            )
            Pseudonym.objects.create(
                organisation=personas.org_a, value=f"M-{number}", citizen=request.citizen
            )
            gain = 1 if number < 6 else 2
            for item in ITEMS:
                text += f"M-{number},brobyg-chime,1.0,baseline,2025-02-01,{item},1\n"
                text += f"M-{number},brobyg-chime,1.0,end,2025-09-01,{item},{1 + gain}\n"
    report = _imported_report(personas, text)
    table = next(t for _s, t in report.tables() if t.key == "paid-volunteer")
    total = table.rows[0]
    # The evaluator's counts are rounded to a multiple of 5: 6 reads 5.
    assert total["paid_n"].exact_count == 6 and total["volunteer_n"].exact_count == 6
    assert total["paid_n"].value == 5 and total["volunteer_n"].value == 5
    # The reverse item turns one answer round, so compare the groups: the volunteer group
    # gained twice as much on every item.
    assert total["volunteer_change"].value > total["paid_change"].value > 0
    assert table.chart is not None


def test_a_citizen_whose_course_is_with_a_peer_counts_without_a_match(instruments, personas):
    """Courses started by hand, imported or handed over have no match; their citizens count by
    the kind of the course's peer (the demo's "nothing to compare" beside 9 paid courses)."""
    from brobyg.support import services as support_services

    volunteer_user = make_user("volunteer@example.org", "Vibeke Frivillig")
    make_member(personas.org_a, volunteer_user, ["peer"])
    paid = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    volunteer = make_peer(personas.org_a, volunteer_user, [personas.programme_a], kind="volunteer")
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    with in_org(personas.org_a):
        for number in range(12):
            request, _token = make_waiting_request(personas.programme_a, name=f"K {number}")
            support_services.course_create(
                actor=personas.alice,
                citizen=request.citizen,
                programme=personas.programme_a,
                peers=[paid if number < 6 else volunteer],
                data={"started_on": date(2025, 1, 20)},
            )
            Pseudonym.objects.create(
                organisation=personas.org_a, value=f"K-{number}", citizen=request.citizen
            )
            for item in ITEMS:
                text += f"K-{number},brobyg-chime,1.0,baseline,2025-02-01,{item},1\n"
                text += f"K-{number},brobyg-chime,1.0,end,2025-09-01,{item},2\n"
    report = _imported_report(personas, text)
    section = next(s for s in report.sections if s.key == "paid_volunteer")
    assert not any(text.startswith("Nothing to compare") for text in section.texts)
    total = next(t for _s, t in report.tables() if t.key == "paid-volunteer").rows[0]
    assert total["paid_n"].exact_count == 6 and total["volunteer_n"].exact_count == 6
    assert total["paid_n"].value == 5  # still rounded for the evaluator


def test_the_shipped_notes_and_sources_are_translated():
    """A shipped definition's text cannot change without a new version, so the Danish text of
    its notes and sources comes from the catalogue (``report.SHIPPED_TEXTS``)."""
    import yaml
    from django.utils.translation import gettext, override

    from brobyg.outcomes.definitions import INSTRUMENT_DIR
    from brobyg.reports.texts import SHIPPED_TEXTS

    texts = []
    for path in sorted(INSTRUMENT_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("meaningful_change") is not None:
            texts.append(data["meaningful_change_note"])
        source = (data.get("reliability") or {}).get("source", "")
        if "(" in source:
            texts.append(source)
    assert len(texts) == 5
    with override("da"):
        for text in texts:
            assert text in SHIPPED_TEXTS
            assert gettext(text) != text


def test_chart_ticks_carry_the_decimals_they_need_not_float_noise():
    from brobyg.lib.charts import tick_label
    from brobyg.reports.charts import change_chart

    ticks = [-0.2, 0.0, 0.1 + 0.1, 0.4, 0.2 * 3, 1.0, 1.25]
    with translation.override("da"):
        labels = [tick_label(value) for value in ticks]
        svg = str(change_chart(_change_table(), title="T")["svg"])
    assert labels == ["\u22120,2", "0", "0,2", "0,4", "0,6", "1", "1,25"]
    # The chart's own ticks: round numbers in Danish, a true minus sign, no float noise.
    assert ">\u22120,2</text>" in svg and ">0,4</text>" in svg and "0000" not in svg


def _change_table():
    from brobyg.reports.tables import Cell, Table

    table = Table("change", "Change", [("change", "Change"), ("ci", "CI")])
    table.add("Total", change=Cell(0.3, "0,3"), ci=Cell((-0.1, 0.7), ""))
    table.add("Hope", change=Cell(-0.15, "-0,15"), ci=Cell((-0.2, 0.05), ""))
    table.add("Meaning", change=Cell(suppressed=True))
    table.add("paid", paid_change=Cell(0.2, ""), volunteer_change=Cell(0.4, ""))
    return table


def test_the_side_by_side_says_why_it_has_nothing_to_compare(instruments, personas):
    text = "respondent,instrument,version,timepoint,date,item,value\n"
    for number in range(6):
        for item in ITEMS:
            text += f"N-{number},brobyg-chime,1.0,baseline,2025-02-01,{item},1\n"
            text += f"N-{number},brobyg-chime,1.0,end,2025-09-01,{item},2\n"
    report = _imported_report(personas, text)
    section = next(s for s in report.sections if s.key == "paid_volunteer")
    assert not section.tables
    assert any(text.startswith("Nothing to compare") for text in section.texts)


def test_two_charts_share_no_id_and_their_references_stay_inside():
    import re

    from brobyg.reports.charts import change_chart, grouped_change_chart

    kinds = [("paid", "Paid"), ("volunteer", "Volunteer")]
    charts = []
    for _number in range(2):
        charts.append(str(change_chart(_change_table(), title="T")["svg"]))
        grouped = grouped_change_chart(_change_table(), kinds, title="T")
        charts.append(str(grouped["svg"]))
    ids = [set(re.findall(r'\sid="([^"]+)"', svg)) for svg in charts]
    assert all(ids) and all(not ids[0] & other for other in ids[1:])
    assert "url(#" in charts[1]  # the second kind's bars are patterned
    for svg, own in zip(charts, ids, strict=True):
        assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg)) <= own
        assert " style=" not in svg and "<style" not in svg
