"""A query compiled once by its key is run again at every call: its rows are always fresh."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from brobyg.lib import compiled
from brobyg.orgs.models import Programme
from brobyg.test import make_programme


def _names(personas, key, builds):
    def build():
        builds.append(key)
        return (
            Programme.objects.filter(organisation=personas.org_a)
            .order_by("name")
            .values_list("name")
        )

    return [name for (name,) in compiled.compiled_values(Programme, key, build)]


def test_it_builds_a_key_once_and_reads_the_rows_at_every_call(personas):
    compiled.forget()
    builds = []
    with scopes_disabled():
        first = _names(personas, ("test", personas.org_a.pk), builds)
        make_programme(personas.org_a, "Aaa: a programme added between the calls")
        with CaptureQueriesContext(connection) as queries:
            second = _names(personas, ("test", personas.org_a.pk), builds)
    assert builds == [("test", personas.org_a.pk)]
    assert len(queries) == 1
    assert second == ["Aaa: a programme added between the calls", *first]


def test_it_builds_again_for_another_key(personas):
    compiled.forget()
    builds = []
    with scopes_disabled():
        _names(personas, ("test", 1), builds)
        _names(personas, ("test", 2), builds)
        _names(personas, ("test", 1), builds)
    assert builds == [("test", 1), ("test", 2)]


def test_it_keeps_a_bounded_number_of_queries(personas, monkeypatch):
    compiled.forget()
    monkeypatch.setattr(compiled, "KEPT_QUERIES", 2)
    builds = []
    with scopes_disabled():
        for key in [1, 2, 1, 3, 1, 2]:
            _names(personas, ("test", key), builds)
    # 2 is the least recently used when 3 comes, so it is built again; 1 stays.
    assert builds == [("test", 1), ("test", 2), ("test", 3), ("test", 2)]


def test_a_query_that_can_match_nothing_gives_no_rows_and_asks_nothing(personas):
    compiled.forget()
    with CaptureQueriesContext(connection) as queries:
        rows = compiled.compiled_values(
            Programme, ("test-none",), lambda: Programme.objects.none().values_list("pk")
        )
    assert rows == []
    assert len(queries) == 0


def test_its_rows_are_converted_as_django_converts_them(personas):
    compiled.forget()
    with scopes_disabled():
        programme = make_programme(personas.org_a, "Med dato")
        for _call in range(2):
            [(public_id, created_at)] = compiled.compiled_values(
                Programme,
                ("test-converted", programme.pk),
                lambda: Programme.objects.filter(pk=programme.pk).values_list(
                    "public_id", "created_at"
                ),
            )
            assert public_id == programme.public_id
            assert created_at == Programme.objects.get(pk=programme.pk).created_at


def test_an_argument_is_a_parameter_of_one_kept_query_and_never_kept(personas):
    compiled.forget()
    builds = []
    with scopes_disabled():
        first = make_programme(personas.org_a, "Første")
        second = make_programme(personas.org_a, "Anden")

        def build(pk):
            builds.append(pk)
            return Programme.objects.filter(pk=pk).values_list("name")

        names = [
            compiled.compiled_values(Programme, ("test-argument",), build, (programme.pk,))
            for programme in (first, second, first)
        ]
    assert names == [[("Første",)], [("Anden",)], [("Første",)]]
    assert len(builds) == 1
    assert builds[0] not in (first.pk, second.pk)
    [(_sql, params, *_rest)] = compiled._kept.values()
    assert first.pk not in params and second.pk not in params


def test_a_list_of_ids_is_as_many_arguments_with_its_length_in_the_key(personas):
    """How matching's caution sources ask about a page's peers (``peercare.selectors.
    expired_credentials``): each id an argument, one kept query per number of ids."""
    compiled.forget()
    builds = []
    with scopes_disabled():
        programmes = [make_programme(personas.org_a, f"Liste {n}") for n in range(3)]
        ids = [programme.pk for programme in programmes]

        def build(*pks):
            builds.append(pks)
            return Programme.objects.filter(pk__in=pks).order_by("name").values_list("name")

        def names(pks):
            key = ("test-list", len(pks))
            return [name for (name,) in compiled.compiled_values(Programme, key, build, pks)]

        assert names((ids[0], ids[2])) == ["Liste 0", "Liste 2"]
        assert names((ids[1], ids[2])) == ["Liste 1", "Liste 2"]
        assert names(tuple(ids)) == ["Liste 0", "Liste 1", "Liste 2"]
        assert names((ids[1], ids[1])) == ["Liste 1"]
    assert len(builds) == 2
    assert not set(ids) & {pk for pks in builds for pk in pks}


def test_an_argument_must_reach_the_query(personas):
    compiled.forget()
    with scopes_disabled(), pytest.raises(ValueError, match="does not reach"):
        compiled.compiled_values(
            Programme, ("test-unused",), lambda pk: Programme.objects.values_list("pk"), (1,)
        )
    with pytest.raises(TypeError):
        compiled.compiled_values(
            Programme, ("test-date",), lambda day: Programme.objects.values_list("pk"), (1.5,)
        )


def test_a_moment_is_an_argument_prepared_as_the_backend_prepares_a_time_column(personas):
    """One kept query answers for every moment, the same rows as the ORM's own query gives."""
    compiled.forget()
    builds = []
    with scopes_disabled():
        made = [make_programme(personas.org_a, f"Tid {index}") for index in range(3)]
        for index, programme in enumerate(made):
            Programme.objects.filter(pk=programme.pk).update(
                created_at=datetime(2026, 3, 1 + index, 12, 0, 0, 250000, tzinfo=UTC)
            )

        def build(since):
            builds.append(since)
            return (
                Programme.objects.filter(name__startswith="Tid", created_at__gte=since)
                .order_by("name")
                .values_list("name")
            )

        moments = [
            datetime(2026, 3, 2, 12, 0, 0, 250000, tzinfo=UTC),  # exactly when "Tid 1" was made
            datetime(2026, 3, 2, 13, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),  # 12:00 UTC
            datetime(2026, 3, 1, tzinfo=UTC),
        ]
        for since in moments:
            kept = compiled.compiled_values(Programme, ("test-moment",), build, (since,))
            builds_before = len(builds)
            assert kept == list(build(since)), since
            del builds[builds_before:]
    assert [name for (name,) in kept] == ["Tid 0", "Tid 1", "Tid 2"]
    assert len(builds) == 1 and builds[0] not in moments
    with pytest.raises(TypeError, match="aware"):
        compiled.compiled_values(Programme, ("test-naive",), build, (datetime(2026, 3, 1),))


def test_an_instance_has_the_values_read_and_defers_the_rest(personas):
    with scopes_disabled():
        programme = make_programme(personas.org_a, "Kun navnet")
        made = compiled.instance(
            Programme, "default", ("id", "name", "organisation_id"), (programme.pk, "Kun navnet", 7)
        )
        assert (made.pk, made.name, made.organisation_id) == (programme.pk, "Kun navnet", 7)
        assert made.get_deferred_fields() >= {"public_id", "created_at"}
        assert not made._state.adding
