"""What the rights app itself holds about a citizen: their requests and legal holds."""

from django.utils.translation import gettext_lazy as _

from brobyg.rights.models import DataRequest, LegalHold, SubjectKey
from brobyg.rights.registry import Shredder, citizen_ids, iso


def export(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    return {
        "data_requests": [
            {
                "kind": request.kind,
                "status": request.status,
                "received_at": iso(request.received_at),
                "deadline": iso(request.deadline),
                "description": request.description,
                "decided_at": iso(request.decided_at),
                "answer": request.decision_note,
            }
            for request in DataRequest.objects.filter(citizen_id__in=ids).order_by(
                "received_at", "pk"
            )
        ],
        "legal_holds": [
            {
                "category": hold.category,
                "reason": hold.reason,
                "placed_at": iso(hold.placed_at),
                "lifted_at": iso(hold.lifted_at),
            }
            for hold in LegalHold.objects.filter(citizen_id__in=ids).order_by("placed_at", "pk")
        ],
    }


def erase(*, citizens) -> dict:
    ids = citizen_ids(citizens)
    # The requests stay as the record of what was asked and decided; the citizen's words go.
    cleared = DataRequest.objects.filter(citizen_id__in=ids).update(description="")
    # Without its key, the earlier values that corrections sealed into the audit log are unreadable.
    keys = SubjectKey.objects.filter(citizen_id__in=ids).delete()[0]
    return {
        "requests_cleared": cleared,
        "log_keys_destroyed": keys,
        "legal_holds_kept": LegalHold.objects.filter(citizen_id__in=ids).count(),
    }


SHREDDER = Shredder(
    name="rights",
    label=_("Data-protection requests"),
    models=("rights.DataRequest", "rights.LegalHold", "rights.SubjectKey"),
    export=export,
    erase=erase,
    order=85,
)
