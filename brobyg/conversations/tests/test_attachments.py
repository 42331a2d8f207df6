"""Attachments: images and PDF only, recognised by their first bytes, at most 5 MB, served only
to those who see the conversation or opened it by link."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brobyg.conversations import services
from brobyg.conversations.models import Attachment, Message
from brobyg.test import in_org

from .test_conversations import TUESDAY_MORNING

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


@time_machine.travel(TUESDAY_MORNING)
def test_the_peer_sends_a_pdf_and_the_citizen_a_picture(client, personas, course):
    client.force_login(personas.bob)
    url = reverse("conversations_conversation", args=[course.public_id])
    sent = client.post(
        url,
        {"text": "Her er planen", "attachment": SimpleUploadedFile("plan.pdf", PDF, "text/plain")},
    )
    assert sent.status_code == 302
    with in_org(personas.org_a):
        message = Message.objects.get(text="Her er planen")
        token = services.link_create(conversation=message.conversation)
    assert message.attachment_type == "application/pdf"
    page = client.get(url).content.decode()
    staff_file = reverse("conversations_attachment", args=[message.attachment_key])
    assert staff_file in page
    served = client.get(staff_file)
    assert served.content == PDF and served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    client.logout()

    citizen_file = reverse("conversations_citizen_attachment", args=[message.attachment_key])
    assert client.get(citizen_file).status_code == 404  # this browser has not opened it
    citizen_page = reverse("conversations_citizen", args=[token])
    assert citizen_file in client.get(citizen_page).content.decode()
    assert client.get(citizen_file).content == PDF
    client.post(
        citizen_page,
        {"text": "Et billede", "attachment": SimpleUploadedFile("b.png", PNG, "image/png")},
    )
    with in_org(personas.org_a):
        assert Message.objects.get(text="Et billede").attachment_type == "image/png"


@time_machine.travel(TUESDAY_MORNING)
def test_other_files_and_big_files_are_refused_and_nothing_is_saved(
    client, personas, course, settings
):
    client.force_login(personas.bob)
    url = reverse("conversations_conversation", args=[course.public_id])
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(url, {"text": "Se her", "attachment": fake})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Kun billeder (JPEG, PNG) og PDF-filer kan sendes." in page
    assert "Se her" in page
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024), "application/pdf")
    too_big = client.post(url, {"text": "Stor fil", "attachment": big})
    assert "Filen er for stor" in too_big.content.decode()
    with in_org(personas.org_a):
        assert not Message.objects.exists()
        assert not Attachment.objects.exists()


def test_another_peer_cannot_fetch_an_attachment(client, personas, course):
    with in_org(personas.org_a):
        message = services.message_write(
            actor=personas.bob,
            course=course,
            text="Plan",
            upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        )
    client.force_login(personas.vera)
    assert (
        client.get(reverse("conversations_attachment", args=[message.attachment_key])).status_code
        == 404
    )
