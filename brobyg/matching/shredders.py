"""What matching holds about a citizen: proposals and matches with peers, exclusions, wishes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.matching.models import (
    BatchProposal,
    Exclusion,
    Match,
    MatchStatus,
    RequestWishes,
)
from brobyg.rights.registry import Shredder, citizen_ids, iso

PENDING = (MatchStatus.PROPOSED, MatchStatus.PEER_ACCEPTED)


def export(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    matches = (
        Match.objects.filter(citizen_id__in=ids)
        .select_related("peer__user", "programme")
        .order_by("proposed_at", "pk")
    )
    wishes = RequestWishes.objects.filter(support_request__citizen_id__in=ids)
    return {
        "matches": [
            {
                "programme": match.programme.name,
                "peer": match.peer.user.full_name,
                "status": match.status,
                "proposed_at": iso(match.proposed_at),
                "activated_at": iso(match.activated_at),
                "ended_at": iso(match.ended_at),
                "decline_reason": match.decline_reason,
                "end_reason": match.end_reason,
            }
            for match in matches
        ],
        "wishes": [
            {
                "experience_areas": list(wish.experience_areas),
                "language": wish.language,
                "musts": list(wish.musts),
            }
            for wish in wishes
        ],
        "excluded_peers": Exclusion.objects.filter(citizen_id__in=ids).count(),
    }


def erase(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    matches = Match.objects.filter(citizen_id__in=ids)
    withdrawn = matches.filter(status__in=PENDING).update(status=MatchStatus.WITHDRAWN)
    ended = matches.filter(status=MatchStatus.ACTIVE).update(
        status=MatchStatus.ENDED, ended_at=timezone.now()
    )
    cleared = matches.update(note_to_peer="", decline_reason="", end_reason="", token_digest=None)
    exclusions = Exclusion.objects.filter(citizen_id__in=ids).update(reason="")
    proposals = BatchProposal.objects.filter(support_request__citizen_id__in=ids).update(
        decision_note=""
    )
    return {
        "matches_anonymised": cleared,
        "matches_withdrawn": withdrawn,
        "matches_ended": ended,
        "exclusions_cleared": exclusions,
        "batch_proposals_cleared": proposals,
        "wishes_kept": RequestWishes.objects.filter(support_request__citizen_id__in=ids).count(),
    }


SHREDDER = Shredder(
    name="matching",
    label=_("Matches with peers"),
    models=(
        "matching.Match",
        "matching.Exclusion",
        "matching.RequestWishes",
        "matching.BatchProposal",
    ),
    export=export,
    erase=erase,
    order=30,
)
