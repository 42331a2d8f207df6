"""The participant evaluation of a group course: personal links (or paper with a QR code) at the
last session, and the shares the group's page shows by participant type, with n.

What counts as "yes": the instrument asks three statements on the 0-4 agree scale (strongly
disagree, disagree, neither, agree, strongly agree). A participant counts as having gained new
insights, feeling more hopeful, or recommending the course when they answered **agree (3) or
strongly agree (4)** to that statement. A share is the yes-answers divided by everyone who
answered that statement (n); a statement left unanswered counts in neither.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobyg.groups.models import GroupCourse, GroupStatus, ParticipantKind, ParticipantStatus
from brobyg.outcomes import selectors
from brobyg.outcomes.models import Invitation, Response
from brobyg.outcomes.services import invitation_create

INSTRUMENT_CODE = "group-evaluation"
ANCHOR_KIND = "group_course"
TIMEPOINT = "end"
YES_VALUES = frozenset({3, 4})
STATEMENTS = (
    ("insight", gettext_lazy("New insights")),
    ("hopeful", gettext_lazy("More hopeful")),
    ("recommend", gettext_lazy("Would recommend")),
)
OWN_WORDS_ITEM = "own_words"
LINK_VALID_DAYS = 30


@dataclass(frozen=True)
class Share:
    yes: int
    n: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.yes / self.n) if self.n else None


def completed_responses(group: GroupCourse):
    return Response.objects.filter(
        organisation=group.organisation,
        participant__group=group,
        instrument__code=INSTRUMENT_CODE,
        completed_at__isnull=False,
    )


def summary(group: GroupCourse) -> dict:
    """Per participant type and overall: n answered and each statement's share of yes. Only
    the answers and the participant's type are read (the group's page shows it to everyone
    who opens it)."""
    rows = defaultdict(lambda: {"answered": 0, **{item: [0, 0] for item, _label in STATEMENTS}})
    own_words = []
    answered = completed_responses(group).order_by("completed_at", "pk")
    for kind, answers, text_answers in answered.values_list(
        "participant__kind", "answers", "text_answers"
    ):
        for key in (kind, "all"):
            row = rows[key]
            row["answered"] += 1
            for item, _label in STATEMENTS:
                value = answers.get(item)
                if value is not None:
                    row[item][1] += 1
                    row[item][0] += value in YES_VALUES
        text = text_answers.get(OWN_WORDS_ITEM, "").strip()
        if text:
            own_words.append(text)
    labels = {**dict(ParticipantKind.choices), "all": _("All participants")}
    table = []
    for key in [*ParticipantKind.values, "all"]:
        row = rows.get(key)
        if row is None:
            continue
        table.append(
            {
                "key": key,
                "label": labels[key],
                "answered": row["answered"],
                "shares": [
                    {"item": item, "label": label, "share": Share(*row[item])}
                    for item, label in STATEMENTS
                ],
            }
        )
    return {"rows": table, "own_words": own_words}


def invitations_of(group: GroupCourse):
    return Invitation.objects.filter(
        organisation=group.organisation,
        participant__group=group,
        anchor_kind=ANCHOR_KIND,
        timepoint=TIMEPOINT,
    ).select_related("participant", "participant__citizen", "instrument")


def invitation_counts(group: GroupCourse) -> dict:
    """How many participants were asked (``asked``) and how many of them answered
    (``answered``), counted by the database."""
    return invitations_of(group).aggregate(
        asked=Count("pk"), answered=Count("pk", filter=Q(completed_at__isnull=False))
    )


def is_due(group: GroupCourse, *, now=None) -> bool:
    """From the day of the last session on (or when the group has finished)."""
    if group.status == GroupStatus.FINISHED:
        return True
    if group.status != GroupStatus.RUNNING:
        return False
    last = group.sessions.order_by("-number").first()
    now = now or timezone.now()
    return last is not None and timezone.localdate(last.starts_at) <= timezone.localdate(now)


@transaction.atomic
def invite_group(*, actor, group: GroupCourse, request=None) -> dict:
    """Make a personal link for every enrolled participant who has agreed to be asked and has
    none yet; each is e-mailed when the participant has an address, and all can be printed."""
    group = GroupCourse.objects.select_for_update().get(pk=group.pk)
    if not is_due(group):
        raise ValidationError(
            _("The evaluation is asked at the last session: from that day on, or when the group "
              "has finished.")
        )  # fmt: skip
    instrument = selectors.current_instrument(INSTRUMENT_CODE)
    if instrument is None:
        raise ValidationError(_("The group evaluation questionnaire is not loaded."))
    asked = set(invitations_of(group).values_list("participant_id", flat=True))
    made, skipped = 0, 0
    for participant in group.participants.filter(status=ParticipantStatus.ENROLLED).select_related(
        "citizen"
    ):
        if participant.pk in asked:
            continue
        try:
            with transaction.atomic():
                invitation_create(
                    organisation=group.organisation,
                    instrument=instrument,
                    anchor_kind=ANCHOR_KIND,
                    anchor_id=participant.public_id.hex,
                    timepoint=TIMEPOINT,
                    participant=participant,
                    programme=group.programme,
                    expires_at=timezone.now() + timedelta(days=LINK_VALID_DAYS),
                    actor=actor,
                    request=request,
                )
        except (ValidationError, IntegrityError):
            skipped += 1
            continue
        made += 1
    return {"made": made, "skipped": skipped}
