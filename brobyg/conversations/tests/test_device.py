"""On a device without the link: the rights app's one-time code opens the citizen's
conversations for a while in that browser, and nothing else does."""

import re

import time_machine
from django.core import mail
from django.urls import reverse

from brobyg.conversations.models import Message
from brobyg.conversations.tests.helpers import bob_writes
from brobyg.test import in_org

from .test_conversations import TUESDAY_MORNING


def _open_with_code(client, capture, address="lone@example.org"):
    start = reverse("conversations_device_start")
    mail.outbox.clear()
    with capture(execute=True):
        client.post(start, {"step": "address", "address": address})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1) if mail.outbox else "000000"
    return client.post(start, {"step": "code", "code": code})


@time_machine.travel(TUESDAY_MORNING)
def test_a_code_opens_the_citizens_conversations_on_a_new_device(
    client, personas, course, django_capture_on_commit_callbacks
):
    conversation, _token = bob_writes(personas, course, "Hej fra Bob", link=False)
    start = reverse("conversations_device_start")
    page = client.get(start)
    assert page.status_code == 200 and 'name="address"' in page.content.decode()
    opened = _open_with_code(client, django_capture_on_commit_callbacks)
    assert opened.status_code == 302
    listing = client.get(start).content.decode()
    url = reverse("conversations_device_conversation", args=[conversation.public_id])
    assert url in listing
    page = client.get(url)
    assert "Hej fra Bob" in page.content.decode()
    assert client.post(url, {"text": "Hej, jeg skriver fra min computer"}).status_code == 302
    with in_org(personas.org_a):
        assert Message.objects.filter(from_citizen=True).count() == 1
    new = client.get(url + "new/", {"after": 0})
    assert "jeg skriver fra min computer" in new.content.decode()


def test_a_wrong_code_or_no_code_opens_nothing(
    client, personas, course, django_capture_on_commit_callbacks
):
    conversation, _token = bob_writes(personas, course, link=False)
    url = reverse("conversations_device_conversation", args=[conversation.public_id])
    assert client.get(url).status_code == 404
    start = reverse("conversations_device_start")
    client.post(start, {"step": "address", "address": "lone@example.org"})
    wrong = client.post(start, {"step": "code", "code": "000000"})
    assert wrong.status_code == 200
    assert "Koden er forkert" in wrong.content.decode()
    assert client.get(url).status_code == 404
    # Someone else's code opens only their own conversations.
    other = client.__class__()
    _open_with_code(other, django_capture_on_commit_callbacks, "someone@example.org")
    assert other.get(url).status_code == 404
