"""Messages are personal data: in the citizen's export, deleted on erasure, moved on a merge."""

from brobyg.conversations import services
from brobyg.conversations.models import Conversation, ConversationLink, Message
from brobyg.people import services as people_services
from brobyg.rights.models import RequestKind
from brobyg.rights.selectors import citizen_export
from brobyg.rights.services import citizen_erase, data_request_register
from brobyg.support.models import Course
from brobyg.test import in_org, make_waiting_request


def _talk(personas, course):
    with in_org(personas.org_a):
        conversation = services.message_write(
            actor=personas.bob, course=course, text="Hej Lone"
        ).conversation
        services.citizen_writes(conversation=conversation, text="Hej Bob, tak for sidst")
        services.link_create(conversation=conversation)
    return conversation


def test_the_export_holds_every_message(personas, course):
    _talk(personas, course)
    with in_org(personas.org_a):
        data = citizen_export(course.citizen)
    [conversation] = data["parts"]["conversations"]["conversations"]
    assert [(m["from"], m["text"]) for m in conversation["messages"]] == [
        (personas.bob.full_name, "Hej Lone"),
        ("citizen", "Hej Bob, tak for sidst"),
    ]


def test_erasure_deletes_the_conversation_and_keeps_the_course(personas, course):
    _talk(personas, course)
    with in_org(personas.org_a):
        data_request = data_request_register(
            actor=personas.per, citizen=course.citizen, kind=RequestKind.ERASURE
        )
        citizen_erase(actor=personas.per, data_request=data_request)
        assert not Conversation.objects.exists()
        assert not Message.objects.exists()
        assert not ConversationLink.objects.exists()
        assert Course.objects.filter(pk=course.pk).exists()
        data_request.refresh_from_db()
    assert data_request.result["shredders"]["conversations"] == {
        "conversations_deleted": 1,
        "messages_deleted": 2,
        "group_messages_deleted": 0,
    }


def test_a_merge_moves_the_conversations_to_the_kept_record(personas, course):
    conversation = _talk(personas, course)
    support_request, _token = make_waiting_request(personas.programme_a, name="Lone H.")
    with in_org(personas.org_a):
        people_services.citizens_merge(
            actor=personas.alice, keep=support_request.citizen, duplicate=course.citizen
        )
        conversation.refresh_from_db()
    assert conversation.citizen_id == support_request.citizen_id


def test_a_conversation_is_deleted_a_retention_period_after_its_course_ended(
    personas, course, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from brobyg.support import services as support_services

    settings.BROBYG_MESSAGE_RETENTION_DAYS = 365
    _talk(personas, course)
    today = timezone.localdate()
    with in_org(personas.org_a):
        support_services.course_end(
            actor=personas.alice, course=course, ended_on=today, reason="goals_reached"
        )
        assert services.purge_expired(today=today + timedelta(days=365))["conversations"] == 0
        assert Message.objects.count() == 2
        purged = services.purge_expired(today=today + timedelta(days=366))
        assert (purged["conversations"], purged["messages"]) == (1, 2)
        assert not Conversation.objects.exists()
        assert Course.objects.filter(pk=course.pk).exists()
