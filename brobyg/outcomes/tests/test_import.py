"""Importing earlier answers from CSV: all rows or none, with every bad row named."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.outcomes.imports import ImportFailed, import_responses
from brobyg.outcomes.models import Pseudonym, Response, Score
from brobyg.people.models import Citizen
from brobyg.test import in_org

HEADER = "respondent,instrument,version,timepoint,date,item,value\n"


def who5(respondent, timepoint, day, values):
    return "".join(
        f"{respondent},who-5,1998,{timepoint},{day},w{number},{value}\n"
        for number, value in enumerate(values, start=1)
    )


GOOD = (
    HEADER
    + who5("R-001", "baseline", "2025-01-10", [2, 2, 3, 1, 2])
    + who5("R-001", "followup_3m", "2025-04-10", [3, 3, 4, 2, 3])
    + who5("R-002", "baseline", "2025-02-01", [1, 1, 1, 0, ""])
    + "R-002,brobyg-chime,1.0,baseline,2025-02-01,c3,4\n"
)


def run(organisation, text):
    with scope(organisation=organisation.pk):
        return import_responses(organisation=organisation, stream=io.StringIO(text))


def test_it_imports_responses_scores_and_pseudonymous_citizens(instruments, personas):
    result = run(personas.org_a, GOOD)
    assert (result.rows, result.responses, result.new_respondents) == (16, 4, 2)
    with in_org(personas.org_a):
        pseudonym = Pseudonym.objects.get(value="R-001")
        assert pseudonym.organisation == personas.org_a
        citizen = pseudonym.citizen
        assert citizen.name == "R-001" and not citizen.phone and not citizen.email
        responses = Response.objects.filter(citizen=citizen).order_by("answered_on")
        assert [r.timepoint for r in responses] == ["baseline", "followup_3m"]
        assert [r.total for r in responses] == [40, 60]
        assert responses[0].mode == "imported" and responses[0].answered_on.isoformat() == (
            "2025-01-10"
        )
        missing = Response.objects.get(citizen__name="R-002", instrument__code="who-5")
        assert missing.answers == {"w1": 1, "w2": 1, "w3": 1, "w4": 0}
        assert missing.total is None  # WHO-5 is scored complete only
        assert Score.objects.filter(response=missing, scale="total").get().missing == 1
        # Each new record and each respondent's responses are in the audit log.
        assert (
            LogEntry.objects.filter(subject_id=str(citizen.public_id), action="create").count() == 2
        )


def test_a_second_import_reuses_the_pseudonyms_and_refuses_the_same_answers(instruments, personas):
    run(personas.org_a, GOOD)
    more = HEADER + who5("R-001", "end", "2025-07-10", [4, 4, 4, 4, 4])
    result = run(personas.org_a, more)
    assert (result.new_respondents, result.known_respondents) == (0, 1)
    with pytest.raises(ImportFailed) as failure:
        run(personas.org_a, HEADER + who5("R-001", "baseline", "2025-01-10", [1, 1, 1, 1, 1]))
    assert "line 2" in str(failure.value.errors[0])
    assert "already has answers" in failure.value.errors[0].message


def test_a_file_with_bad_rows_imports_nothing_and_names_every_line(instruments, personas):
    text = (
        HEADER
        + who5("R-001", "baseline", "2025-01-10", [2, 2, 3, 1, 2])  # lines 2-6, good
        + "R-001,who-5,1998,baseline,2025-01-10,w1,3\n"  # 7: duplicate of line 2
        + "R-002,who-6,1998,baseline,2025-01-10,w1,3\n"  # 8: unknown instrument
        + "R-002,who-5,1998,baseline,2025-01-10,w9,3\n"  # 9: unknown item
        + "R-002,who-5,1998,baseline,2025-01-10,w2,6\n"  # 10: out of range
        + "R-002,who-5,1998,midway,2025-01-10,w3,1\n"  # 11: unknown timepoint
        + "R-002,who-5,1998,end,10/01/2025,w3,1\n"  # 12: not ISO 8601
        + "R-002,who-5,1998,baseline,2025-01-11,w4,1\n"  # 13: good
        + "R-002,who-5,1998,baseline,2025-01-12,w5,1\n"  # 14: another date, same response
        + "R-003,peer-checkin,1.0,baseline,2025-01-10,w1,1\n"  # 15: not for citizens
        + "R-003,who-5,1998,baseline,2025-01-10,w1\n"  # 16: a column short
        + "R-004,who-5,1998,baseline,2025-01-10,w1,2.5\n"  # 17: not a whole number
    )
    with pytest.raises(ImportFailed) as failure:
        run(personas.org_a, text)
    lines = [error.line for error in failure.value.errors]
    assert lines == [7, 8, 9, 10, 11, 12, 14, 15, 16, 17]
    messages = {error.line: error.message for error in failure.value.errors}
    assert "line 2" in messages[7]
    assert "outside the item's scale (0 to 5)" in messages[10]
    assert "differs from 2025-01-11 on line 13" in messages[14]
    with in_org(personas.org_a):
        assert not Response.objects.exists()
        assert not Citizen.objects.filter(name__startswith="R-").exists()


def test_it_needs_exactly_the_columns(instruments, personas):
    with pytest.raises(ImportFailed, match="bad rows") as failure:
        run(personas.org_a, "respondent,instrument,timepoint,date,item,value\n")
    assert failure.value.errors[0].line == 1


def test_the_command_reports_the_bad_line_and_imports_nothing(instruments, personas, tmp_path):
    bad = tmp_path / "earlier.csv"
    bad.write_text(GOOD + "R-009,who-5,1998,baseline,2025-01-10,w1,9\n", encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("import_responses", str(bad), organisation=str(personas.org_a.public_id))
    assert "Nothing was imported: 1 bad rows" in str(failure.value)
    assert "line 18: the value 9 is outside" in str(failure.value)
    with in_org(personas.org_a):
        assert not Response.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_responses", str(good), organisation="Testkommune", stdout=out)
    assert "Imported 16 rows: 4 responses from 2 new and 0 known respondents." in out.getvalue()


def test_pseudonyms_are_per_organisation(instruments, personas):
    run(personas.org_a, GOOD)
    result = run(personas.org_b, GOOD)
    assert result.new_respondents == 2
    with in_org(personas.org_a, personas.org_b):
        assert Pseudonym.objects.filter(value="R-001").count() == 2
