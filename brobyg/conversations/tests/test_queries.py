"""The conversation pages cost the same number of queries however many messages they show."""

from django.urls import reverse

from brobyg.conversations import services
from brobyg.conversations.models import Message
from brobyg.test import assert_queries_do_not_grow, in_org


def _grow(personas, conversation, count=30):
    def grow():
        with in_org(personas.org_a):
            Message.objects.bulk_create(
                Message(
                    organisation=conversation.organisation,
                    conversation=conversation,
                    author=None if number % 3 == 0 else (personas.bob, personas.alice)[number % 2],
                    from_citizen=number % 3 == 0,
                    text=f"Besked {number}",
                )
                for number in range(count)
            )

    return grow


def _conversation(personas, course):
    with in_org(personas.org_a):
        message = services.message_write(actor=personas.bob, course=course, text="Hej")
    return message.conversation


def test_the_staff_page_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    client.force_login(personas.bob)
    url = reverse("conversations_conversation", args=[course.public_id])
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_citizen_page_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    with in_org(personas.org_a):
        token = services.link_create(conversation=conversation)
    url = reverse("conversations_citizen", args=[token])
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_poll_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    client.force_login(personas.bob)
    url = reverse("conversations_new", args=[course.public_id]) + "?after=0"
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_list_does_not_grow_with_the_conversations(client, personas, course, bob_peer):
    from brobyg.test import make_course

    _conversation(personas, course)
    client.force_login(personas.alice)

    def grow():
        for number in range(3):
            other = make_course(
                personas.programme_a,
                bob_peer,
                actor=personas.alice,
                linked=False,
                name=f"Borger {number}",
            )
            with in_org(personas.org_a):
                services.message_write(actor=personas.alice, course=other, text="Hej")

    assert_queries_do_not_grow(client, reverse("conversations_list"), grow)


def _group_with_members(personas, bob_peer, count):
    from brobyg.groups.tests.helpers import add_people, make_group

    group = make_group(personas, facilitators=[bob_peer])
    members = add_people(group, count)
    with in_org(personas.org_a):
        conversation = services.group_message_write(actor=personas.bob, group=group, text="Hej")
    return group, members, conversation.conversation


def _grow_group(conversation, members, count=30):
    def grow():
        with in_org(conversation.organisation):
            Message.objects.bulk_create(
                Message(
                    organisation=conversation.organisation,
                    conversation=conversation,
                    from_citizen=True,
                    participant=members[number % len(members)],
                    text=f"Besked {number}",
                )
                for number in range(count)
            )

    return grow


def test_the_group_pages_do_not_grow_with_the_messages(client, personas, bob_peer):
    group, members, conversation = _group_with_members(personas, bob_peer, 4)
    # Every member has written once before counting, so the page's audit entries (one per member
    # shown) are the same before and after.
    _grow_group(conversation, members, count=4)()
    client.force_login(personas.bob)
    url = reverse("conversations_group_conversation", args=[group.public_id])
    assert_queries_do_not_grow(client, url, _grow_group(conversation, members))
    with in_org(personas.org_a):
        token = services.link_create(conversation=conversation, participant=members[0])
    client.logout()
    url = reverse("conversations_citizen", args=[token])
    assert_queries_do_not_grow(client, url, _grow_group(conversation, members))
