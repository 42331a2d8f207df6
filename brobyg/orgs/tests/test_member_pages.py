"""The member list filters and pages in the database and costs the same queries however many
members the organisation has."""

from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.orgs.choices import Role
from brobyg.orgs.selectors import member_list
from brobyg.test import assert_queries_do_not_grow, make_member, make_user


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
