"""The waiting list's search matches each of the organisation's citizens once against their
capitals kept by the database (``Citizen.search_text``), not with three ``UPPER()``s, and reads the
open requests from their own index, not every request of the organisation (a big municipality,
``?q=Borger 12``: 53-85 -> 37-49 ms a page, benchmarks/README.md)."""

import pytest
from django.db import connection, transaction

from brobyg.intake import selectors
from brobyg.intake.models import SupportRequest
from brobyg.test import in_org, make_request, postgres_plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_a_search_matches_the_search_column_and_reads_open_requests_by_their_index(personas):
    make_request(personas.programme_a, name="Borger 12", phone="11111111")
    with in_org(personas.org_a), transaction.atomic():
        plan = postgres_plan(
            selectors.waiting_list(personas.org_a, query="borger 1"), without=("seqscan",)
        )
    assert "search_text" in plan
    assert "upper((people_citizen.name" not in plan.lower()
    assert "request_open_order" in plan


def test_requests_have_no_index_on_the_organisation_alone(db):
    """Every index of requests starts with the organisation; one on it alone led PostgreSQL to
    read all of an organisation's requests (20,000) to find its open ones (3,400)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, SupportRequest._meta.db_table
        )
    indexed = [c["columns"] for c in constraints.values() if c["index"]]
    assert ["organisation_id"] not in indexed
    assert all(
        columns[0] == "organisation_id" for columns in indexed if "organisation_id" in columns
    )
