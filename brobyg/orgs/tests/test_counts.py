"""``orgs.selectors.counts``: several counts of any tables in one query, distinct ones too."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

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
