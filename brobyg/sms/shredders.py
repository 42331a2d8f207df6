"""What the text-message channel holds about a citizen: which texts were sent and how they went
(never their words, which are deleted once sent)."""

from django.utils.translation import gettext_lazy as _

from brobyg.rights.registry import Shredder, citizen_ids, iso
from brobyg.sms.models import TextMessage


def _messages(citizens):
    return TextMessage.objects.filter(citizen_id__in=citizen_ids(citizens))


def export(*, citizens) -> dict:
    return {
        "text_messages": [
            {
                "kind": message.kind,
                "to": f"+{message.msisdn}",
                "status": message.status,
                "created_at": iso(message.created_at),
                "sent_at": iso(message.sent_at),
            }
            for message in _messages(citizens).order_by("created_at", "pk")
        ]
    }


def erase(*, citizens) -> dict:
    deleted, _ = _messages(citizens).delete()
    return {"text_messages_deleted": deleted}


SHREDDER = Shredder(
    name="sms",
    label=_("Text messages"),
    models=("sms.TextMessage",),
    export=export,
    erase=erase,
    order=45,
)
