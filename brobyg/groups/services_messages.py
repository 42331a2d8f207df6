"""Messages to all participants of a group: e-mailed one by one after commit, and kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brobyg.audit.models import Action
from brobyg.audit.services import log_action
from brobyg.groups.models import (
    GroupCourse,
    GroupMessage,
    GroupSession,
    MessageKind,
    Participant,
    ParticipantStatus,
)


@transaction.atomic
def group_message_send(
    *,
    actor,
    group: GroupCourse,
    kind: str,
    subject: str,
    body: str,
    session: GroupSession | None = None,
    new_place: str = "",
    request=None,
) -> GroupMessage:
    """E-mail every enrolled participant (each their own e-mail, so nobody sees the others'
    addresses) and keep the message. A cancellation cancels the chosen session; a change of
    place moves it."""
    if session is not None and session.group_id != group.pk:
        raise ValidationError({"session": _("Choose one of this group's sessions.")})
    if kind in (MessageKind.CANCELLATION, MessageKind.CHANGE_OF_PLACE) and session is None:
        raise ValidationError({"session": _("Choose the session this is about.")})
    if kind == MessageKind.CHANGE_OF_PLACE and not new_place.strip():
        raise ValidationError({"new_place": _("Write the new place.")})
    if kind == MessageKind.CANCELLATION:
        session.is_cancelled = True
        session.save(update_fields=["is_cancelled"])
    if kind == MessageKind.CHANGE_OF_PLACE:
        session.place = new_place.strip()
        session.full_clean()
        session.save(update_fields=["place"])
    participants = list(
        Participant.objects.filter(group=group, status=ParticipantStatus.ENROLLED).select_related(
            "citizen"
        )
    )
    addresses = sorted({participant.email for participant in participants if participant.email})
    message = GroupMessage(
        organisation=group.organisation,
        group=group,
        session=session,
        kind=kind,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=actor,
        recipient_count=len(addresses),
        without_email_count=len(participants)
        - len([participant for participant in participants if participant.email]),
    )
    message.full_clean()
    message.save()
    log_action(
        action=Action.CREATE,
        actor=actor,
        organisation=group.organisation,
        target=message,
        details={
            "group": str(group.public_id),
            "kind": kind,
            "session": session.number if session else None,
            "recipients": len(addresses),
        },
        request=request,
    )
    from brobyg.groups import notifications

    transaction.on_commit(
        lambda: notifications.send_group_message(message=message, addresses=addresses),
        robust=True,
    )
    return message
