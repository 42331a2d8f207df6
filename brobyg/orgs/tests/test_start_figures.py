"""The start page's figures are the same whether its counting query is compiled afresh or
reused (``orgs.start.counted(build, key=...)``, ``lib.compiled``): the rows are counted at every
request, for every role, as the data grows."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.groups import selectors as groups_selectors
from brobyg.lib import compiled
from brobyg.matching import selectors as matching_selectors
from brobyg.matching.tests.test_list_queries import _add as _peers_with_proposals
from brobyg.orgs import start
from brobyg.orgs.models import Membership
from brobyg.support.tests.test_list_queries import _courses


def _figures(value):
    """Every number of the sections (the counted figures among them), by where it is."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {(): value} if isinstance(value, int) and not isinstance(value, bool) else {}
    return {(key, *path): number for key, item in items for path, number in _figures(item).items()}


def _page_figures(client):
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return _figures(response.context["sections"])


@pytest.mark.parametrize("user", ["ada", "alice", "bob", "maja", "sara", "rita", "eva", "per"])
def test_reused_and_fresh_counting_give_the_same_figures(
    client, personas, bob_peer, user, monkeypatch
):
    compiled.forget()
    client.force_login(getattr(personas, user))
    _page_figures(client)  # compiles the page's counting query
    _peers_with_proposals(personas, 3, 0)
    _courses(personas, bob_peer, 2)
    reused = _page_figures(client)

    monkeypatch.setattr(start, "compiled_values", lambda model, key, build: list(build()))
    fresh = _page_figures(client)
    assert reused == fresh
    if user == "alice":
        # The coordinator sees the peers and proposals just added.
        by_end = {path[-2:]: number for path, number in fresh.items()}
        assert by_end[("figures", "proposed")] == 3
        assert by_end[("role_counts", "peer")] >= 3


def test_the_figure_names_are_the_selectors(personas):
    with scopes_disabled():
        membership = Membership.objects.get(organisation=personas.org_a, user=personas.alice)
        assert set(matching_selectors.MATCHING_FIGURES) == set(
            matching_selectors.matching_figure_sets(personas.org_a)
        )
        assert set(groups_selectors.GROUP_STATUS_FIGURES) == set(
            groups_selectors.group_status_sets(membership)
        )
