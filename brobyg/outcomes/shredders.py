"""What outcomes hold about a citizen: questionnaire invitations, answers, scores, pseudonyms."""

from django.utils.translation import gettext_lazy as _

from brobyg.lib.links import new_link_token, token_digest
from brobyg.outcomes.models import Invitation, Pseudonym, Response, Score
from brobyg.rights.registry import Shredder, citizen_ids, iso


def export(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    responses = list(
        Response.objects.filter(citizen_id__in=ids, completed_at__isnull=False)
        .select_related("instrument")
        .order_by("answered_on", "pk")
    )
    scores = {}
    for score in Score.objects.filter(response__in=responses).order_by("scale"):
        scores.setdefault(score.response_id, []).append(
            {"scale": score.scale, "value": score.value}
        )
    return {
        "questionnaires": [
            {
                "instrument": response.instrument.code,
                "version": response.instrument.version,
                "timepoint": response.timepoint,
                "answered_on": iso(response.answered_on),
                "answers": dict(response.answers),
                "text_answers": dict(response.text_answers),
                "scores": scores.get(response.pk, []),
            }
            for response in responses
        ],
        "invitations": [
            {
                "instrument": invitation.instrument.code,
                "timepoint": invitation.timepoint,
                "created_at": iso(invitation.created_at),
            }
            for invitation in Invitation.objects.filter(citizen_id__in=ids)
            .select_related("instrument")
            .order_by("pk")
        ],
    }


def clear_text_answers(responses) -> int:
    """Free text goes; the numbers and their scores stay (an erasure, or retention)."""
    return responses.exclude(text_answers={}).update(text_answers={})


def erase(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    responses = Response.objects.filter(citizen_id__in=ids)
    # Free text goes; the numbers and their scores stay for anonymous statistics.
    texts = clear_text_answers(responses)
    invitations = 0
    for invitation_id in Invitation.objects.filter(citizen_id__in=ids).values_list("pk", flat=True):
        # A new random digest and no stored token: the questionnaire link stops working.
        invitations += Invitation.objects.filter(pk=invitation_id).update(
            token_digest=token_digest(new_link_token()), token_encrypted=""
        )
    pseudonyms = Pseudonym.objects.filter(citizen_id__in=ids).delete()[0]
    return {
        "text_answers_cleared": texts,
        "responses_kept": responses.count(),
        "invitation_links_closed": invitations,
        "pseudonyms_deleted": pseudonyms,
    }


SHREDDER = Shredder(
    name="outcomes",
    label=_("Questionnaires and their answers"),
    # A peer alert points to a peer's own check-in, never to a citizen's answers.
    models=(
        "outcomes.Invitation",
        "outcomes.Response",
        "outcomes.Score",
        "outcomes.Pseudonym",
        "outcomes.PeerAlert",
    ),
    export=export,
    erase=erase,
    order=35,
)
