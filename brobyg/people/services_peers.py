"""A peer's profile from start to end: created for a member holding ``serve_as_peer``, updated by
the coordinator or (some fields) by the peer, its status moved by peercare's onboarding and
breaks (``peercare.services.peer_activate``, ``pause_take``, ``pause_resume``), which call
``peer_update`` here. Reads: ``people.selectors.peer_of_user``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action, log_action_on
from brobyg.lib.changes import assign_changes, reject_unknown_fields
from brobyg.orgs.models import Membership
from brobyg.orgs.permissions import member_has
from brobyg.people.models import Peer

PEER_FIELDS = (
    "kind",
    "status",
    "experience_areas",
    "recovery_tools",
    "languages",
    "gender",
    "age_band",
    "municipalities",
    "works_remote",
    "availability",
    "capacity",
    "supports_min_age",
    "supports_max_age",
    "forms",
    "strengths",
    "presentation",
)
# What a peer may change in their own profile; the rest is agreed with the coordinator.
OWN_PEER_FIELDS = (
    "experience_areas",
    "languages",
    "gender",
    "age_band",
    "municipalities",
    "works_remote",
    "availability",
    "presentation",
)


def check_programmes(organisation, programmes):
    if any(programme.organisation_id != organisation.pk for programme in programmes):
        raise ValidationError({"programmes": _("Choose programmes of this organisation.")})


@transaction.atomic
def peer_create(*, actor, organisation, user, data: dict, programmes, request=None) -> Peer:
    reject_unknown_fields(data, PEER_FIELDS, "Unknown peer fields")
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if not member_has(membership, "serve_as_peer"):
        raise ValidationError(
            {"user": _("The person must be a member of the organisation with the peer role.")}
        )
    if Peer.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("This person already has a peer profile here.")})
    check_programmes(organisation, programmes)
    peer = Peer(organisation=organisation, user=user, **data)
    peer.full_clean()
    peer.save()
    peer.programmes.set(programmes)
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=organisation,
        target=peer,
        subject=user,
        details={"fields": sorted(name for name, value in data.items() if value)},
        request=request,
    )
    return peer


@transaction.atomic
def peer_update(*, actor, peer: Peer, data: dict, programmes=None, own=False, request=None) -> Peer:
    """``own`` is a peer editing their own profile: only ``OWN_PEER_FIELDS`` may change."""
    allowed = OWN_PEER_FIELDS if own else PEER_FIELDS
    reject_unknown_fields(data, allowed, "Fields not editable here")
    previous_status = peer.status
    changed = assign_changes(peer, data)
    if programmes is not None and not own:
        check_programmes(peer.organisation, programmes)
        before = set(peer.programmes.values_list("pk", flat=True))
        if before != {programme.pk for programme in programmes}:
            peer.programmes.set(programmes)
            changed.append("programmes")
    if "status" in changed:
        peer.status_changed_at = timezone.now()
    peer.full_clean()
    peer.save()
    if changed:
        details = {"fields": sorted(changed)}
        if "status" in changed:
            details["status"] = {"before": previous_status, "after": peer.status}
        log_action_on(
            peer,
            action=Action.UPDATE,
            actor=actor,
            subject=peer.user,
            details=details,
            request=request,
        )
    return peer
