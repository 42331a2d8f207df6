"""Trigram indexes for the searches that match part of a name or e-mail address.

Django's ``icontains`` is ``UPPER(column::text) LIKE UPPER('%…%')`` on PostgreSQL, which no
B-tree index answers: without these, such a search reads every row of the installation
(100,000 citizens at national scale, ``benchmarks/pages.py``). A GIN index with ``pg_trgm``'s
``gin_trgm_ops`` on that same expression does answer it. The indexes are built
``CONCURRENTLY`` (the table stays writable while they are built), so a migration that uses
them is not atomic. SQLite has no such index and reads its (small) tables as before.

A citizen's phone and e-mail lost theirs again (``people`` 0007): a search of citizens by part
of their name, phone or e-mail tests one stored column in capitals within the organisation
(``people.selectors.citizen_contains``). Their name keeps its own, for the group enrolment's
search by name.
"""

from django.db import migrations


def trigram_indexes(table: str, columns: list[str], *, drop: bool = False) -> migrations.RunPython:
    """A migration operation that adds (or, with ``drop``, drops) a trigram index on
    ``UPPER(column::text)`` for each of ``columns`` of ``table`` (names from the code, never from
    input), on PostgreSQL only."""

    def names(schema_editor):
        quote = schema_editor.quote_name
        for column in columns:
            yield quote(f"{table}_{column}_trgm"), quote(table), quote(column)

    def add(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for index, quoted_table, column in names(schema_editor):
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {quoted_table} "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for index, _table, _column in names(schema_editor):
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index}")

    if drop:
        return migrations.RunPython(remove, add, elidable=False)
    return migrations.RunPython(add, remove, elidable=False)
