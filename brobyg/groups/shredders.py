"""What groups hold about a citizen: places in group courses and attendance."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.groups.models import Attendance, Participant, ParticipantStatus
from brobyg.rights.registry import Shredder, citizen_ids, iso


def _participants(citizens):
    return Participant.objects.filter(citizen_id__in=citizen_ids(citizens))


def export(*, citizens) -> dict:
    participants = list(_participants(citizens).select_related("group").order_by("created_at"))
    attended = {}
    for row in Attendance.objects.filter(participant__in=participants, present=True):
        attended[row.participant_id] = attended.get(row.participant_id, 0) + 1
    return {
        "groups": [
            {
                "group": participant.group.title,
                "status": participant.status,
                "enrolled_at": iso(participant.enrolled_at),
                "left_at": iso(participant.left_at),
                "sessions_attended": attended.get(participant.pk, 0),
            }
            for participant in participants
        ]
    }


def anonymise_participants(participants) -> int:
    """Clear the name and contact details a participant gave (an erasure, or retention)."""
    return participants.update(own_name="", own_email="", own_phone="")


def erase(*, citizens) -> dict:
    participants = _participants(citizens)
    left = participants.exclude(status=ParticipantStatus.LEFT).update(
        status=ParticipantStatus.LEFT, left_at=timezone.now()
    )
    return {
        "participants_anonymised": anonymise_participants(participants),
        "participants_removed_from_groups": left,
        "attendance_rows_kept": Attendance.objects.filter(participant__in=participants).count(),
    }


SHREDDER = Shredder(
    name="groups",
    label=_("Group courses"),
    models=("groups.Participant", "groups.Attendance"),
    export=export,
    erase=erase,
    order=45,
)
