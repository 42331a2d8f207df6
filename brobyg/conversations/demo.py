"""Demo conversations in Københavns Kommune: the demo peer's live courses get a conversation
each (one where the citizen is finding their feet, one handed to the coordinator after a message
with crisis signals), and answering hours on weekdays 9-15. In Frivilligcenter Rudersdal the
walking group's facilitator writes to the group, one member answers and gets an answer of their
own. Written as stored rows with times before ``context.now``, so the seed sends no notices."""

from datetime import time, timedelta

from brobyg.conversations.crisis import has_crisis_signals
from brobyg.conversations.models import (
    Conversation,
    ConversationSettings,
    ConversationState,
    Message,
)
from brobyg.groups.models import GroupCourse, GroupStatus, ParticipantKind, ParticipantStatus
from brobyg.people.models import Peer
from brobyg.support.models import LIVE_COURSE_STATUSES, Course

TALKS = [
    (
        ConversationState.ACTIVE,
        [
            ("peer", "Hej! Tak for turen i går. Hvordan havde du det bagefter?", 50),
            ("citizen", "Det var godt at komme ud. Jeg var træt, men på en god måde.", 46),
            (
                "peer",
                "Hvor dejligt. Skal vi prøve løbeklubben på torsdag? Jeg kan møde dig ved "
                "indgangen kl. 17.",
                45,
            ),
            ("citizen", "Ja, det vil jeg gerne prøve. Men jeg er lidt nervøs.", 30),
            (
                "peer",
                "Det var jeg også første gang. Vi går bare med og ser, hvordan det føles.",
                29,
            ),
        ],
    ),
    (
        ConversationState.WITH_COORDINATOR,
        [
            ("peer", "Hej, jeg tænkte på dig. Hvordan går det med den nye lejlighed?", 30),
            ("citizen", "Det går ikke så godt. Nogle gange vil jeg ikke leve mere.", 26),
            (
                "coordinator",
                "Tak fordi du skriver det. Jeg ringer til dig nu, og vi finder "
                "hjælp sammen. Ring 1813 eller 112, hvis det bliver værre, før vi taler.",
                25,
            ),
            ("citizen", "Tak. Jeg tager telefonen.", 24),
        ],
    ),
]


def seed(context) -> None:
    kk = context.organisations["Københavns Kommune"]
    ConversationSettings.objects.get_or_create(
        organisation=kk,
        defaults={"weekdays": [0, 1, 2, 3, 4], "opens_at": time(9), "closes_at": time(15)},
    )
    peer = Peer.objects.get(user=context.users[f"peer@{context.domain}"])
    coordinator = context.users[f"koordinator@{context.domain}"]
    courses = list(
        Course.objects.filter(organisation=kk, peers=peer, status__in=LIVE_COURSE_STATUSES)
        .select_related("citizen")
        .order_by("pk")[: len(TALKS)]
    )
    _group_conversation(context)
    for course, (state, lines) in zip(courses, TALKS, strict=False):
        conversation = Conversation.objects.create(
            organisation=kk,
            course=course,
            citizen=course.citizen,
            state=state,
            state_changed_at=None
            if state == ConversationState.ACTIVE
            else context.now - timedelta(hours=lines[1][2] - 1),
        )
        for who, text, hours_ago in lines:
            message = Message.objects.create(
                organisation=kk,
                conversation=conversation,
                author={"peer": peer.user, "coordinator": coordinator}.get(who),
                from_citizen=who == "citizen",
                text=text,
                crisis=who == "citizen" and has_crisis_signals(text),
            )
            Message.objects.filter(pk=message.pk).update(
                created_at=context.now - timedelta(hours=hours_ago)
            )


GROUP_TALK = [
    (
        "all",
        "Hej alle! Husk at vi mødes ved Holte Station på onsdag. Tag gode sko på, vi går "
        "mod Furesøen.",
        30,
    ),
    ("member", "Tak! Jeg kommer, men jeg går lidt langsomt. Er det okay?", 20),
    ("to_member", "Helt sikkert. Vi går i det tempo, der passer, og holder pauser.", 19),
]


def _group_conversation(context) -> None:
    organisation = context.organisations["Frivilligcenter Rudersdal"]
    volunteer = context.users[f"frivillig@{context.domain}"]
    group = (
        GroupCourse.objects.filter(
            organisation=organisation,
            facilitators__user=volunteer,
            status=GroupStatus.RUNNING,
        )
        .order_by("pk")
        .first()
    )
    if group is None:
        return
    member = (
        group.participants.filter(status=ParticipantStatus.ENROLLED, kind=ParticipantKind.CITIZEN)
        .order_by("pk")
        .first()
    )
    conversation = Conversation.objects.create(organisation=organisation, group=group)
    for who, text, hours_ago in GROUP_TALK:
        message = Message.objects.create(
            organisation=organisation,
            conversation=conversation,
            author=None if who == "member" else volunteer,
            from_citizen=who == "member",
            participant=None if who == "all" else member,
            text=text,
        )
        Message.objects.filter(pk=message.pk).update(
            created_at=context.now - timedelta(hours=hours_ago)
        )
