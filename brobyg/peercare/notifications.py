"""E-mails from peer care. They hold no names and no reasons: they say that something happened
and link to the page behind the log-in, where those who may see the details find them."""

from collections import Counter

from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from brobyg.intake.selectors import coordinator_emails
from brobyg.lib.mail import absolute_url, send_templated_mail


def tell_coordinators_of_break(entry, *, waiting: int) -> bool:
    context = {
        "link": absolute_url(reverse("peercare_peer", args=[entry.peer.public_id])),
        "gave_reason": bool(entry.reason),
        "waiting": waiting,
    }
    with scope(organisation=entry.organisation_id):
        recipients = coordinator_emails(entry.organisation)
    return send_templated_mail("peercare/email/break", context, recipients, what="Break e-mail")


def tell_coordinators_of_return(entry) -> bool:
    context = {"link": absolute_url(reverse("peercare_peer", args=[entry.peer.public_id]))}
    with scope(organisation=entry.organisation_id):
        recipients = coordinator_emails(entry.organisation)
    return send_templated_mail("peercare/email/return", context, recipients, what="Return e-mail")


def _digest(flags) -> list[tuple[str, int]]:
    counts = Counter(flag.kind for flag in flags)
    return [(str(flags_by_kind[0].label), counts[kind]) for kind, flags_by_kind in _by_kind(flags)]


def _by_kind(flags):
    kinds: dict[str, list] = {}
    for flag in flags:
        kinds.setdefault(flag.kind, []).append(flag)
    return sorted(kinds.items())


def send_flag_digests(organisation, flags, supervisors) -> int:
    """One e-mail to the coordinators with every new flag, and one to each supervisor with the
    new supervision flags of their supervisees: counts by kind, no names."""
    from brobyg.peercare.selectors import FlagKind

    sent = 0
    link = absolute_url(reverse("peercare_overview"))
    with translation.override("da"):
        lines = _digest(flags)
    with scope(organisation=organisation.pk):
        recipients = coordinator_emails(organisation)
    if send_templated_mail(
        "peercare/email/flags",
        {"lines": lines, "link": link},
        recipients,
        what="Flag e-mail",
    ):
        sent += 1
    by_supervisor: dict[str, list] = {}
    for flag in flags:
        supervisor = supervisors.get(flag.peer.pk)
        overdue = flag.kind == FlagKind.SUPERVISION_OVERDUE
        if overdue and supervisor is not None and supervisor.is_active:
            by_supervisor.setdefault(supervisor.email, []).append(flag)
    supervision_link = absolute_url(reverse("peercare_supervision"))
    for email, own in by_supervisor.items():
        with translation.override("da"):
            lines = _digest(own)
        if send_templated_mail(
            "peercare/email/flags",
            {"lines": lines, "link": supervision_link},
            [email],
            what="Flag e-mail",
        ):
            sent += 1
    return sent
