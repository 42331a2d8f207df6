"""The conversation pages cost the same number of queries however many messages they show."""

from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.conversations import services
from brobyg.conversations.models import Message
from brobyg.test import assert_queries_do_not_grow


def _grow(personas, conversation, count=30):
    def grow():
        with scopes_disabled():
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
    with scopes_disabled():
        message = services.message_write(actor=personas.bob, course=course, text="Hej")
    return message.conversation


def test_the_staff_page_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    client.force_login(personas.bob)
    url = reverse("conversations_conversation", args=[course.public_id])
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_citizen_page_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    with scopes_disabled():
        token = services.link_create(conversation=conversation)
    url = reverse("conversations_citizen", args=[token])
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_poll_does_not_grow_with_the_messages(client, personas, course):
    conversation = _conversation(personas, course)
    client.force_login(personas.bob)
    url = reverse("conversations_new", args=[course.public_id]) + "?after=0"
    assert_queries_do_not_grow(client, url, _grow(personas, conversation))


def test_the_list_does_not_grow_with_the_conversations(client, personas, course, bob_peer):
    from brobyg.support import services as support_services
    from brobyg.test import make_waiting_request

    _conversation(personas, course)
    client.force_login(personas.alice)

    def grow():
        for number in range(3):
            support_request, _token = make_waiting_request(
                personas.programme_a, name=f"Borger {number}"
            )
            with scopes_disabled():
                other = support_services.course_create(
                    actor=personas.alice,
                    citizen=support_request.citizen,
                    programme=personas.programme_a,
                    peers=[bob_peer],
                    data={},
                    goals="",
                )
                services.message_write(actor=personas.alice, course=other, text="Hej")

    assert_queries_do_not_grow(client, reverse("conversations_list"), grow)
