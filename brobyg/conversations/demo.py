"""Demo conversations in Københavns Kommune: the demo peer's live courses get a conversation
each (one where the citizen is finding their feet, one handed to the coordinator after a message
with crisis signals), and answering hours on weekdays 9-15. Written as stored rows with times
before ``context.now``, so the seed sends no notices."""

from datetime import time, timedelta

from brobyg.conversations.crisis import has_crisis_signals
from brobyg.conversations.models import (
    Conversation,
    ConversationSettings,
    ConversationState,
    Message,
)
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
