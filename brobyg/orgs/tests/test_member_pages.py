"""The member list filters and pages in the database and costs the same queries however many
members the organisation has."""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership
from brobyg.orgs.selectors import member_list, member_list_parts
from brobyg.test import assert_queries_do_not_grow, make_member, make_user, postgres_plan


def _members(personas, count, start, roles=(Role.PEER,)):
    with scopes_disabled():
        for number in range(start, start + count):
            user = make_user(f"m{number}@example.org", f"Medlem {number}")
            make_member(personas.org_a, user, list(roles))


def test_the_member_list_does_not_grow_in_queries(client, personas):
    _members(personas, 2, 0)
    client.force_login(personas.ada)
    assert_queries_do_not_grow(
        client, reverse("member_list"), grow=lambda: _members(personas, 8, 100)
    )


def test_the_role_filter_runs_in_the_database(personas):
    _members(personas, 2, 0, roles=(Role.SUPERVISOR, Role.PEER))
    with scopes_disabled():
        supervisors = member_list(personas.org_a, role=Role.SUPERVISOR)
        assert hasattr(supervisors, "query")  # a queryset, not a list filtered in Python
        names = {m.user.full_name for m in supervisors}
        # "peer" is found as a whole role, never inside another role's name.
        peers = {m.user.full_name for m in member_list(personas.org_a, role=Role.PEER)}
    assert names == {"Sara Pedersen", "Medlem 0", "Medlem 1"}
    assert peers == {"Bob Nielsen", "Medlem 0", "Medlem 1"}


def test_the_member_list_keeps_its_filter_from_page_to_page(client, personas, monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 2)
    _members(personas, 5, 0)
    client.force_login(personas.ada)
    response = client.get(reverse("member_list"), {"role": Role.PEER})
    assert response.context["page"].paginator.count == 6
    assert len(response.context["members"]) == 2
    assert f"?role={Role.PEER}&amp;page=2" in response.content.decode()


def _former(personas, count, start):
    _members(personas, count, start)
    with scopes_disabled():
        Membership.objects.filter(
            organisation=personas.org_a,
            user__email__in=[f"m{n}@example.org" for n in range(start, start + count)],
        ).update(is_active=False)


def test_the_pages_list_active_members_by_name_then_former_ones(client, personas, monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 3)
    _members(personas, 5, 10)
    _former(personas, 4, 20)
    with scopes_disabled():
        expected = [m.pk for m in member_list(personas.org_a)]
        total = Membership.objects.filter(organisation=personas.org_a).count()
    client.force_login(personas.ada)
    first = client.get(reverse("member_list")).context["page"]
    assert first.paginator.count == total
    pages = [
        client.get(reverse("member_list"), {"page": number}).context["page"]
        for number in range(1, first.paginator.num_pages + 1)
    ]
    listed = [member.pk for page in pages for member in page.object_list]
    assert listed == expected
    assert [len(page.object_list) for page in pages[:-1]] == [3] * (len(pages) - 1)
    past = client.get(reverse("member_list"), {"page": 999}).context["page"]
    assert past.number == first.paginator.num_pages
    assert [m.pk for m in past.object_list] == [m.pk for m in pages[-1].object_list]


def test_a_page_across_active_and_former_members_and_a_filter(client, personas, monkeypatch):
    monkeypatch.setattr("brobyg.lib.pagination.PAGE_SIZE", 3)
    _members(personas, 2, 10)
    _former(personas, 2, 20)
    with scopes_disabled():
        expected = [m.pk for m in member_list(personas.org_a, query="Medlem")]
    client.force_login(personas.ada)
    first = client.get(reverse("member_list"), {"q": "Medlem"}).context["page"]
    second = client.get(reverse("member_list"), {"q": "Medlem", "page": 2}).context["page"]
    assert first.paginator.count == 4
    assert [m.pk for m in [*first.object_list, *second.object_list]] == expected
    assert [m.is_active for m in first.object_list] == [True, True, False]


def test_the_member_list_with_former_members_does_not_grow_in_queries(client, personas):
    _members(personas, 2, 0)
    _former(personas, 2, 50)
    client.force_login(personas.ada)
    assert_queries_do_not_grow(
        client,
        reverse("member_list"),
        grow=lambda: (_members(personas, 6, 100), _former(personas, 6, 200)),
    )


def test_a_page_of_active_members_reads_the_users_name_index(personas):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    _members(personas, 4, 10)
    with scopes_disabled(), transaction.atomic():
        active = member_list_parts(personas.org_a).parts[0]
        # The plan must still be able to read the names in their order.
        plan = postgres_plan(active[:50], without=("seqscan", "sort", "hashjoin", "mergejoin"))
    assert "user_name_order" in plan
