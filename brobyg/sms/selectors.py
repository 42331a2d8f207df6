from django.db.models import Count

from brobyg.sms.models import TextMessage, TextStatus

PAGE_SIZE = 200


def messages_of_organisation(organisation):
    """The organisation's texts, newest first, for the delivery overview."""
    return TextMessage.objects.filter(organisation=organisation).select_related("citizen")


def status_counts(organisation) -> dict[str, int]:
    counts = dict(
        TextMessage.objects.filter(organisation=organisation)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in TextStatus.values}


def may_text(citizen) -> bool:
    """Whether a citizen is reached by text instead of e-mail: they gave a phone number and no
    e-mail address, and texts are switched on. (Whether they may be contacted at all for a
    purpose, the caller's consent check decides, as it does for e-mail.)"""
    from brobyg.sms.backends import enabled
    from brobyg.sms.services import msisdn

    return bool(enabled() and citizen is not None and not citizen.email and msisdn(citizen.phone))


def may_text_number(*, email: str, phone: str) -> bool:
    """``may_text`` for someone without a citizen record (a group's relative or staff member):
    a phone number that can take a text, no e-mail address, texts switched on."""
    from brobyg.sms.backends import enabled
    from brobyg.sms.services import msisdn

    return bool(enabled() and not email and msisdn(phone))


def messages_of_citizen(citizen, *, limit: int = 10):
    """The latest texts to one citizen, for the citizen page."""
    return list(TextMessage.objects.filter(citizen=citizen).order_by("-created_at", "-pk")[:limit])
