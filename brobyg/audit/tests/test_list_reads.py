"""A list's read writes one entry per person shown, with the same columns an entry written through
the model would have: on PostgreSQL in one statement, elsewhere in one statement per 500 people
(fewer where the database limits a statement's parameters). A page of several lists writes all
their entries in one statement."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from brobyg.api.tests.helpers import make_api_client
from brobyg.audit.models import Action, LogEntry
from brobyg.audit.services import (
    _INSERT_BATCH,
    _rows_per_insert,
    acting_as_client,
    list_reads_written_together,
    log_list_read,
)


def _request(personas):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    request.user = personas.alice
    request.org = personas.org_a
    return request


def _people(count: int):
    return [
        SimpleNamespace(AUDIT_SUBJECT_TYPE="citizen", public_id=f"00000000-0000-0000-0000-{n:012d}")
        for n in range(count)
    ]


def test_it_writes_one_entry_per_person_shown_in_one_statement(personas):
    people = _people(50)
    with CaptureQueriesContext(connection) as queries:
        written = log_list_read(
            request=_request(personas),
            subjects=people + people[:3],  # shown twice: logged once
            object_type="people.citizen",
            reason="waiting list",
            action=Action.SEARCH,
            details={"query": "status"},
        )
    assert written == 50
    assert len(queries) == 1
    entries = LogEntry.objects.filter(object_type="people.citizen")
    assert sorted(entries.values_list("subject_id", flat=True)) == sorted(
        str(person.public_id) for person in people
    )
    entry = entries.first()
    assert (entry.action, entry.actor, entry.organisation) == (
        Action.SEARCH,
        personas.alice,
        personas.org_a,
    )
    assert (entry.subject_type, entry.reason, entry.details) == (
        "citizen",
        "waiting list",
        {"query": "status"},
    )
    assert entry.ip_address == "192.0.2.7"
    assert entry.api_client is None and entry.created_at is not None


def test_a_list_that_shows_nobody_still_records_the_search(personas):
    assert log_list_read(request=_request(personas), subjects=[], object_type="x", reason="y") == 1
    entry = LogEntry.objects.get(object_type="x")
    assert (entry.subject_type, entry.subject_id, entry.actor) == ("", "", personas.alice)


def test_a_long_list_is_written_whole(personas):
    """PostgreSQL takes the people as arrays, in one statement; elsewhere a statement holds at
    most ``_rows_per_insert`` of them, all the batches in one transaction."""
    people = _people(_INSERT_BATCH * 2 + 1)
    with CaptureQueriesContext(connection) as queries:
        log_list_read(request=_request(personas), subjects=people, object_type="o", reason="r")
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    if connection.vendor == "postgresql":
        assert len(inserts) == 1
    else:
        per_insert = _rows_per_insert(connection, len(LogEntry._meta.concrete_fields) - 1)
        assert per_insert <= _INSERT_BATCH
        assert len(inserts) == -(-len(people) // per_insert) > 1
    assert sorted(
        LogEntry.objects.filter(object_type="o").values_list("subject_id", flat=True)
    ) == [str(person.public_id) for person in people]


def test_a_page_of_several_lists_writes_them_in_one_statement(personas):
    request = _request(personas)
    people = _people(30)
    with CaptureQueriesContext(connection) as queries, list_reads_written_together():
        log_list_read(request=request, subjects=people[:20], object_type="p", reason="first")
        with list_reads_written_together():
            log_list_read(request=request, subjects=people[20:], object_type="p", reason="second")
        log_list_read(request=request, subjects=[], object_type="p", reason="nobody")
        assert not LogEntry.objects.filter(object_type="p").exists()
    assert len(queries) == 2  # the check above, then the one INSERT
    entries = LogEntry.objects.filter(object_type="p")
    assert sorted(entries.values_list("reason", "subject_id")) == sorted(
        [("first", str(person.public_id)) for person in people[:20]]
        + [("second", str(person.public_id)) for person in people[20:]]
        + [("nobody", "")]
    )
    assert {entry.actor for entry in entries} == {personas.alice}


def test_a_page_that_fails_while_built_logs_nothing_it_read(personas):
    with pytest.raises(RuntimeError), list_reads_written_together():
        log_list_read(request=_request(personas), subjects=_people(3), object_type="f", reason="r")
        raise RuntimeError
    assert not LogEntry.objects.filter(object_type="f").exists()


def test_an_api_call_names_its_client(personas):
    api_client, _client_id, _secret = make_api_client(
        personas.org_a, ["coordinator"], actor=personas.ada
    )
    with acting_as_client(api_client):
        log_list_read(request=_request(personas), subjects=_people(2), object_type="a", reason="r")
    clients = set(LogEntry.objects.filter(object_type="a").values_list("api_client", flat=True))
    assert clients == {api_client.pk}
