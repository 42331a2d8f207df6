"""Set-up shared by the SMS tests."""

from brobyg.orgs.choices import Role
from brobyg.test import make_member, make_peer, make_user


def make_anna_peer(personas):
    """Anna, a second paid peer in organisation A's programme: (user, peer)."""
    user = make_user("anna@example.org", "Anna Peer")
    make_member(personas.org_a, user, [Role.PEER])
    return user, make_peer(personas.org_a, user, [personas.programme_a])
