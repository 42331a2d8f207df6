"""Reads for imports: what the rows are checked against, and the member's own uploads."""

from django.utils import timezone

from brobyg.imports.columns import heading_key
from brobyg.imports.models import ImportUpload
from brobyg.orgs.models import Membership, Programme
from brobyg.orgs.permissions import permissions_for_roles
from brobyg.people import selectors as people_selectors
from brobyg.people.models import Peer


def own_uploads(membership):
    """The member's own uploads that have not expired (an upload is its uploader's only)."""
    return ImportUpload.objects.filter(
        organisation=membership.organisation,
        created_by=membership.user,
        expires_at__gt=timezone.now(),
    )


def programmes_by_name(organisation) -> dict:
    return {
        heading_key(programme.name): programme
        for programme in Programme.objects.filter(organisation=organisation, is_active=True)
    }


def peers_by_email(organisation) -> dict:
    return {
        peer.user.email.lower(): peer
        for peer in Peer.objects.filter(organisation=organisation).select_related("user")
    }


def members_by_email(organisation) -> dict:
    """Each member's e-mail: whether they may hold a peer profile and whether they have one."""
    with_profile = set(
        Peer.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    return {
        membership.user.email.lower(): {
            "membership": membership,
            "may_serve_as_peer": "serve_as_peer" in permissions_for_roles(membership.roles),
            "has_peer_profile": membership.user_id in with_profile,
        }
        for membership in Membership.objects.filter(organisation=organisation).select_related(
            "user"
        )
    }


def citizens_holding(organisation, keys):
    return people_selectors.citizens_holding(organisation, keys)
