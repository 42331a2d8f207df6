"""The signed-in user is read with their active memberships in one query; the memberships are
taken from that read once, and read afresh after."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from brobyg.orgs.models import Membership, Organisation, OrganisationKind
from brobyg.orgs.selectors import active_memberships_for_user, signed_in_user
from brobyg.test import make_member, make_user


def _names(memberships):
    return [membership.organisation.name for membership in memberships]


def test_the_user_comes_with_their_active_memberships_in_active_organisations(personas):
    user = make_user("mona@example.org", "Mona Berg", with_second_factor=False)
    with scopes_disabled():
        closed = Organisation.objects.create(
            name="Lukket kommune", kind=OrganisationKind.MUNICIPALITY, is_active=False
        )
        other = Organisation.objects.create(name="Andet sted", kind=OrganisationKind.MUNICIPALITY)
    make_member(personas.org_b, user, ["peer"])
    make_member(personas.org_a, user, ["coordinator"])
    make_member(closed, user, ["coordinator"])
    left = make_member(other, user, ["peer"])
    with scopes_disabled():
        Membership.objects.filter(pk=left.pk).update(is_active=False)

    with CaptureQueriesContext(connection) as queries:
        signed_in = signed_in_user(user.pk)
        memberships = active_memberships_for_user(signed_in)
    assert len(queries) == 1
    assert signed_in == user and signed_in.password == user.password
    # By the organisation's name, each knowing its user and whether they have a second factor.
    assert _names(memberships) == ["Frivilligcenter Testby", "Testkommune"]
    assert [m.roles for m in memberships] == [["peer"], ["coordinator"]]
    assert all(m.user is signed_in and m.has_second_factor is False for m in memberships)
    assert _names(active_memberships_for_user(user)) == _names(memberships)

    # Taken from the read once: a later ask reads again and sees a change.
    with scopes_disabled():
        Membership.objects.filter(user=user, organisation=personas.org_b).update(is_active=False)
    with CaptureQueriesContext(connection) as again:
        assert _names(active_memberships_for_user(signed_in)) == ["Testkommune"]
    assert len(again) == 1


def test_a_user_without_memberships_and_an_unknown_user(personas):
    user = make_user("nina@example.org", "Nina Dahl")
    signed_in = signed_in_user(user.pk)
    assert signed_in == user
    assert active_memberships_for_user(signed_in) == []
    assert signed_in_user(user.pk + 1000) is None
