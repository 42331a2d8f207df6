from brobyg.conversations import services
from brobyg.test import in_org


def bob_writes(personas, course, text="Hej", *, link=True):
    """Bob writes in the course's conversation (the first message opens it); with ``link`` the
    citizen gets a personal link too. Returns (conversation, the link's token or None)."""
    with in_org(personas.org_a):
        conversation = services.message_write(
            actor=personas.bob, course=course, text=text
        ).conversation
        token = services.link_create(conversation=conversation) if link else None
    return conversation, token
