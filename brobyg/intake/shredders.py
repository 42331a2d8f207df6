"""What intake holds about a citizen: requests for support and their history."""

from django.utils.translation import gettext_lazy as _

from brobyg.intake.models import OPEN_STATUSES, RequestEvent, Status, SupportRequest
from brobyg.lib.links import new_link_token, token_digest
from brobyg.rights.registry import Shredder, citizen_ids, iso


def _requests(citizens):
    return SupportRequest.objects.filter(citizen_id__in=citizen_ids(citizens))


def export(*, citizens) -> dict:
    requests = _requests(citizens).select_related("programme").order_by("created_at", "pk")
    events = {}
    for event in RequestEvent.objects.filter(support_request__in=requests).order_by("at", "pk"):
        events.setdefault(event.support_request_id, []).append(
            {
                "at": iso(event.at),
                "kind": event.kind,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "reason": event.reason,
            }
        )
    return {
        "requests": [
            {
                "id": str(request.public_id),
                "programme": request.programme.name,
                "source": request.source,
                "created_at": iso(request.created_at),
                "status": request.status,
                "status_reason": request.status_reason,
                "purposes": list(request.purposes),
                "own_words": request.own_words,
                "referral_reason": request.referral_reason,
                "forms": list(request.forms),
                "peer_type": request.peer_type,
                "wish_gender": request.wish_gender,
                "wish_age_band": request.wish_age_band,
                "wish_language": request.wish_language,
                "wish_shared_experience": request.wish_shared_experience,
                "availability": list(request.availability),
                "in_crisis": request.in_crisis,
                "first_contact_at": iso(request.first_contact_at),
                "history": events.get(request.pk, []),
            }
            for request in requests
        ]
    }


def erase(*, citizens) -> dict:
    requests = _requests(citizens)
    closed = requests.filter(status__in=OPEN_STATUSES).update(status=Status.WITHDRAWN)
    cleared = requests.update(
        referral_reason="",
        own_words="",
        wish_shared_experience="",
        age_override_reason="",
        status_reason="",
    )
    for request_id in requests.values_list("pk", flat=True):
        # A new random digest: the personal link stops working.
        SupportRequest.objects.filter(pk=request_id).update(
            token_digest=token_digest(new_link_token())
        )
    events = RequestEvent.objects.filter(support_request__in=requests).update(reason="")
    return {"requests_anonymised": cleared, "requests_closed": closed, "events_cleared": events}


SHREDDER = Shredder(
    name="intake",
    label=_("Requests for support"),
    models=("intake.SupportRequest", "intake.RequestEvent"),
    export=export,
    erase=erase,
    order=20,
)
