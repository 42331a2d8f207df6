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


EMAIL = "email"
TEXT = "sms"


def channels(citizen) -> frozenset[str]:
    """How Brobyg reaches a citizen with a link or a notice (receipts, proposals, questionnaires,
    reminders, message notices): the one decision every sender follows. ``EMAIL`` and/or
    ``TEXT``; empty when neither works. A citizen with both an e-mail address and a number that
    takes texts (and texts switched on) gets what they chose (``Citizen.contact_channel``, e-mail
    by default); otherwise the one that works. Whether they may be contacted at all for a
    purpose, the caller's consent check decides, as it does for e-mail."""
    from brobyg.people.models import ContactChannel
    from brobyg.sms.backends import enabled
    from brobyg.sms.services import msisdn

    if citizen is None:
        return frozenset()
    by_mail = bool(citizen.email)
    by_text = bool(enabled() and msisdn(citizen.phone))
    if by_mail and by_text:
        return {
            ContactChannel.SMS: frozenset({TEXT}),
            ContactChannel.BOTH: frozenset({EMAIL, TEXT}),
        }.get(citizen.contact_channel, frozenset({EMAIL}))
    return frozenset({EMAIL} if by_mail else {TEXT} if by_text else ())


def may_text(citizen) -> bool:
    """Whether a citizen is reached by text (``channels``): a number that takes texts and no
    e-mail address, or both and they chose texts; texts switched on."""
    return TEXT in channels(citizen)


def may_mail(citizen) -> bool:
    """Whether a citizen is reached by e-mail (``channels``)."""
    return EMAIL in channels(citizen)


def may_text_number(*, email: str, phone: str) -> bool:
    """``may_text`` for someone without a citizen record (a group's relative or staff member):
    a phone number that can take a text, no e-mail address, texts switched on."""
    from brobyg.sms.backends import enabled
    from brobyg.sms.services import msisdn

    return bool(enabled() and not email and msisdn(phone))


def messages_of_citizen(citizen, *, limit: int = 10):
    """The latest texts to one citizen, for the citizen page."""
    return list(TextMessage.objects.filter(citizen=citizen).order_by("-created_at", "-pk")[:limit])
