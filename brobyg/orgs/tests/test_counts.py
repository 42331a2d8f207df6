"""``orgs.selectors.counts``: several counts of any tables in one query, distinct ones too."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from brobyg.orgs.models import Membership, Programme
from brobyg.orgs.selectors import active_role_counts, counts
from brobyg.test import in_org


def test_it_counts_several_querysets_in_one_query(personas):
    with in_org(personas.org_a), CaptureQueriesContext(connection) as queries:
        members = Membership.objects.filter(organisation=personas.org_a).count()
        programmes = Programme.objects.filter(organisation=personas.org_a).count()
        figures = counts(
            personas.org_a,
            members=Membership.objects.filter(organisation=personas.org_a),
            peers=Membership.objects.filter(organisation=personas.org_a, roles__icontains='"peer"'),
            # A join that repeats rows, made distinct: counted once each.
            programmes=Programme.objects.filter(
                organisation__memberships__organisation=personas.org_a
            ).distinct(),
            nothing=Programme.objects.filter(name="no such programme"),
            none=Programme.objects.none(),
        )
    assert len(queries) == 3
    assert figures == {
        "members": members,
        "peers": 1,
        "programmes": programmes,
        "nothing": 0,
        "none": 0,
    }
    assert counts(personas.org_a) == {}


def test_it_counts_the_active_members_of_each_role(personas):
    with in_org(personas.org_a):
        figures = active_role_counts(personas.org_a)
    assert figures["coordinator"] == 1 and figures["peer"] == 1 and figures["supervisor"] == 1


def test_a_member_counts_for_each_role_held_and_only_while_active(personas):
    from brobyg.orgs.choices import Role
    from brobyg.test import make_member, make_user

    make_member(
        personas.org_a, make_user("both@example.org", "Begge Roller"), [Role.PEER, Role.COORDINATOR]
    )
    gone = make_member(
        personas.org_a, make_user("gone@example.org", "Tidligere Medlem"), [Role.PEER]
    )
    with scopes_disabled():
        Membership.objects.filter(pk=gone.pk).update(is_active=False)
    make_member(personas.org_b, make_user("other@example.org", "Anden Kommune"), [Role.PEER])
    with in_org(personas.org_a):
        figures = active_role_counts(personas.org_a)
        expected = {
            role: sum(
                role in member.roles
                for member in Membership.objects.filter(organisation=personas.org_a, is_active=True)
            )
            for role in Role.values
        }
    assert figures == expected
    assert figures["peer"] == 2 and figures["coordinator"] == 2
