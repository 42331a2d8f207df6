"""Queries compiled once and run again: for a query whose SQL is a function of a few values only.

Building and compiling a query with many conditions and subqueries costs Django more than the
database takes to run it (peer care's "Needs attention": about 7 ms of Python for a query that
runs in 0.2 ms of it). ``compiled_values`` keeps the SQL text and parameters of such a query by
a ``key`` that names everything the query is built from (the organisation's id, the day, the
time zone...), never its rows: every call runs the query and reads the rows afresh. What is
kept holds no personal data (ids, dates and the query's constants), and at most
``KEPT_QUERIES`` of them per process, the least recently used going first. The rows are
converted with the converters of the compiler that compiled the query (Django's own, for the
process's connection to that database).

A query asked for with many values of one id or key (a user's memberships, a session) names them
as ``arguments`` instead of in its key: it is compiled once with stand-ins, and each call runs
the kept SQL with its own arguments in the stand-ins' places. So a process keeps one query for all
users, and a secret such as a session key is never kept. A moment (an aware datetime compared
with a time column) can be an argument too: it reaches the parameters as the database's
backend prepares a time column's value, and so does the stand-in it replaces.
"""

from collections import OrderedDict
from datetime import UTC, datetime
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections, router

KEPT_QUERIES = 256

_kept: OrderedDict = OrderedDict()
_lock = Lock()


def compiled_values(model, key: tuple, build, arguments: tuple = ()) -> list[tuple]:
    """The rows of ``build(*arguments)``, a ``values_list`` queryset of ``model`` naming its
    fields before its annotations (the order Django selects them), converted as Django converts
    them (dates, UUIDs...). It is built and compiled only the first time a ``key`` is asked for
    on a database; ``key`` must name every value the query's SQL depends on, except
    ``arguments``: integers or strings that ``build`` only compares with columns (``pk=``,
    ``session_key=``), which reach the SQL as parameters unchanged, or aware datetimes it only
    compares with time columns (``starts_at__gte=``). A list of ids is as many arguments
    (``peer_id__in=ids``), its length named in ``key``."""
    using = router.db_for_read(model)
    full_key = (using, connections[using].vendor, *key)
    with _lock:
        compiled = _kept.get(full_key)
        if compiled is not None:
            _kept.move_to_end(full_key)
    operations = connections[using].ops
    if compiled is None:
        compiled = _compile(
            build,
            using,
            [_stand_in(index, value) for index, value in enumerate(arguments)],
            operations,
        )
        with _lock:
            _kept[full_key] = compiled
            while len(_kept) > KEPT_QUERIES:
                _kept.popitem(last=False)
    sql, params, places, compiler, converters = compiled
    if sql is None:
        return []
    if places:
        params = list(params)
        for index, place in places:
            params[place] = _prepared(arguments[index], operations)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
    return rows


def _stand_in(index: int, value):
    """A value of the argument's type that no real argument has."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError(f"A compiled query's moments are aware datetimes, not {value!r}.")
        return datetime(2, 1, 1, 0, 0, 0, index, tzinfo=UTC)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(
            f"A compiled query's arguments are integers, strings or moments, not {value!r}."
        )
    return -(2**62) - index if isinstance(value, int) else f"\x00compiled-argument-{index}"


def _prepared(value, operations):
    """The argument as it stands among the parameters: a moment as the backend prepares a time
    column's value (SQLite: text in UTC), the others unchanged."""
    if isinstance(value, datetime):
        return operations.adapt_datetimefield_value(value)
    return value


def _compile(build, using: str, stand_ins: list, operations) -> tuple:
    """(SQL, parameters, where each argument goes in them, compiler, converters)."""
    compiler = build(*stand_ins).query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return (None, (), (), None, None)
    # By value, so that a query of many arguments (a list of ids) is not a search per argument.
    index_of = {_prepared(stand_in, operations): index for index, stand_in in enumerate(stand_ins)}
    places = []
    for place, param in enumerate(params):
        try:
            index = index_of.get(param)
        except TypeError:  # an unhashable constant (a list, a JSON value): never a stand-in
            continue
        if index is not None:
            places.append((index, place))
    reached = {index for index, _place in places}
    for index in range(len(stand_ins)):
        if index not in reached:
            raise ValueError(f"Argument {index} does not reach the compiled query's parameters.")
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    return (sql, params, places, compiler, compiler.get_converters(columns))


def instance(model, using: str, names, values):
    """A ``model`` instance from a kept query's ``values`` of the fields ``names`` (attribute
    names), the others deferred, as ``.only(*names)`` would read it."""
    by_name = dict(zip(names, values, strict=True))
    present = [field.attname for field in model._meta.concrete_fields if field.attname in by_name]
    return model.from_db(using, present, [by_name[name] for name in present])


def forget() -> None:
    """Drop every kept query (tests)."""
    with _lock:
        _kept.clear()
