"""The proposal's stage on the citizen's personal page (intake's ``register_personal_stage``):
the citizen sees that a peer is being asked, answers a peer's yes from there, and sees whom they
said yes to. First names only, as in the proposal itself."""

from django.urls import reverse
from django.utils.translation import gettext as _

from brobyg.intake.extensions import PersonalStage
from brobyg.matching.models import Match, MatchStatus
from brobyg.matching.notifications import first_name

SHOWN = (MatchStatus.PROPOSED, MatchStatus.PEER_ACCEPTED, MatchStatus.ACTIVE, MatchStatus.ENDED)


def proposal_waiting_for(support_request) -> Match | None:
    return (
        Match.objects.filter(support_request=support_request, status=MatchStatus.PEER_ACCEPTED)
        .select_related("peer__user", "organisation", "citizen")
        .first()
    )


def personal_stage(support_request, token) -> PersonalStage | None:
    match = (
        Match.objects.filter(support_request=support_request, status__in=SHOWN)
        .select_related("peer__user")
        .order_by("-proposed_at")
        .first()
    )
    if match is None:
        return None
    name = first_name(match.peer)
    if match.status == MatchStatus.PROPOSED:
        return PersonalStage(
            rank=10,
            title=_("A peer is being asked"),
            explanation=_(
                "The coordinator has suggested a peer for you and is waiting for their answer. "
                "When the peer has said yes, you can read about them and answer here."
            ),
        )
    if match.status == MatchStatus.PEER_ACCEPTED:
        return PersonalStage(
            rank=20,
            title=_("A peer has said yes: your answer"),
            explanation=_("%(name)s would like to be your peer. Read about them and answer.")
            % {"name": name},
            template="matching/public/_personal_proposal.html",
            context={"url": reverse("matching_request_proposal", kwargs={"token": token})},
        )
    return PersonalStage(
        rank=25,
        title=_("You said yes to %(name)s") % {"name": name},
        explanation=_("%(name)s is your peer.") % {"name": name},
    )
