"""Texts to citizens who gave only a phone number: what they say, the coordinator's overview,
and the text record as personal data (export, erasure, retention)."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from brobyg.audit.models import LogEntry
from brobyg.intake import notifications as intake_notifications
from brobyg.intake.tests.test_self_referral import submit
from brobyg.rights.selectors import citizen_export
from brobyg.sms import services
from brobyg.sms.models import TextKind, TextMessage, TextStatus
from brobyg.sms.selectors import may_text
from brobyg.test import in_org, make_request

NOW = "2026-03-10 10:00 +01:00"


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("20 30 40 50", "4520304050"),
        ("+45 20 30 40 50", "4520304050"),
        ("0045 20304050", "4520304050"),
        ("+46 70 123 45 67", "46701234567"),
        ("2030", ""),
        ("", ""),
    ],
)
def test_it_turns_a_phone_number_into_what_the_provider_takes(phone, expected):
    assert services.msisdn(phone) == expected


def test_a_self_referral_with_only_a_phone_number_gets_its_link_by_text(
    client, personas, django_capture_on_commit_callbacks, _sms_outbox
):
    response = submit(client, personas.programme_a, django_capture_on_commit_callbacks, email="")
    assert response.status_code == 302
    assert len(_sms_outbox) == 1
    text = _sms_outbox[0]
    assert text["msisdn"] == "4520304050"
    assert text["sender"] == "Brobyg"
    assert "har modtaget din henvendelse" in text["text"]
    assert "/my-request/" in text["text"]
    # No health data: not the programme, not the citizen's words.
    assert personas.programme_a.name not in text["text"]
    assert "angst" not in text["text"].lower()
    assert len(text["text"]) <= services.MAX_TEXT_LENGTH
    with in_org(personas.org_a):
        message = TextMessage.objects.get()
    assert (message.kind, message.status) == (TextKind.RECEIPT, TextStatus.SENT)
    assert message.citizen.name == "Mette Holm"


def test_a_citizen_with_an_e_mail_address_gets_no_text(
    client, personas, django_capture_on_commit_callbacks, _sms_outbox
):
    submit(client, personas.programme_a, django_capture_on_commit_callbacks)
    assert _sms_outbox == []


def test_the_text_is_in_the_citizens_language(
    personas, _sms_outbox, django_capture_on_commit_callbacks
):
    support_request, token = make_request(personas.programme_a)
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        intake_notifications.send_receipt(
            support_request=support_request, token=token, language="en"
        )
    assert "has received your request" in _sms_outbox[0]["text"]


def test_texts_can_be_switched_off(personas, settings, _sms_outbox):
    settings.BROBYG_SMS_BACKEND = "disabled"
    support_request, token = make_request(personas.programme_a)
    with in_org(personas.org_a):
        assert not intake_notifications.send_receipt(support_request=support_request, token=token)
        assert not TextMessage.objects.exists()


def test_may_text_needs_a_number_and_no_e_mail(personas):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    assert may_text(citizen)
    citizen.email = "mette@example.org"
    assert not may_text(citizen)
    citizen.email, citizen.phone = "", "12"
    assert not may_text(citizen)


def test_a_text_that_is_too_long_is_refused(personas):
    with in_org(personas.org_a), pytest.raises(ValueError):
        services.send_text(
            organisation=personas.org_a, phone="20304050", text="x" * 500, kind=TextKind.CODE
        )


def test_the_coordinator_sees_how_each_text_went(client, personas, settings, caplog):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    with in_org(personas.org_a):
        sent = services.send_text(
            organisation=personas.org_a,
            phone=citizen.phone,
            text="Hemmelig tekst",
            kind=TextKind.MATCH,
            citizen=citizen,
        )
        services.attempt(message_id=sent.pk)
        failed = services.send_text(
            organisation=personas.org_a,
            phone="+4520304051",
            text="Hemmelig tekst",
            kind=TextKind.QUESTIONNAIRE,
        )
        settings.BROBYG_SMS_BACKEND = "gatewayapi"
        settings.BROBYG_GATEWAYAPI_URL = "http://127.0.0.1:9/rest/mtsms"
        settings.BROBYG_GATEWAYAPI_TOKEN = "x"
        settings.BROBYG_SMS_MAX_ATTEMPTS = 1
        with caplog.at_level(logging.INFO):
            services.attempt(message_id=failed.pk)
    # The log names the text's id and the kind of error, never its words or number.
    assert str(failed.public_id) in caplog.text
    assert "Hemmelig" not in caplog.text and "20304051" not in caplog.text
    client.force_login(personas.alice)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("sms_message_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Match proposal" in page and "Questionnaire" in page
    assert "1 text could not be sent" in page
    assert "unreachable" in page
    assert "Mette Holm" in page
    assert "+45 ••• •• 051" in page
    assert "Hemmelig" not in page
    entry = LogEntry.objects.get(action="read", reason="text messages")
    assert entry.subject_id == str(citizen.public_id)


def test_the_overview_shows_one_organisations_texts_only(client, personas):
    with in_org(personas.org_b):
        services.send_text(
            organisation=personas.org_b, phone="20304050", text="Hej", kind=TextKind.CODE
        )
    client.force_login(personas.alice)
    response = client.get(reverse("sms_message_list"))
    assert response.context["page"].paginator.count == 0


def test_the_overview_does_not_grow_in_queries(client, personas):
    from brobyg.test import assert_queries_do_not_grow

    def grow():
        support_request, _token = make_request(personas.programme_a, name="Ny Borger")
        with in_org(personas.org_a):
            services.send_text(
                organisation=personas.org_a,
                phone="20304050",
                text="Hej",
                kind=TextKind.RECEIPT,
                citizen=support_request.citizen,
            )

    grow()
    client.force_login(personas.alice)
    assert_queries_do_not_grow(client, reverse("sms_message_list"), grow)


def test_the_texts_are_in_the_citizens_export_and_erased_with_them(personas):
    from brobyg.rights.registry import shredder

    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    with in_org(personas.org_a):
        message = services.send_text(
            organisation=personas.org_a,
            phone=citizen.phone,
            text="Hej",
            kind=TextKind.RECEIPT,
            citizen=citizen,
        )
        exported = citizen_export(citizen)
        assert exported["parts"]["sms"]["text_messages"] == [
            {
                "kind": "receipt",
                "to": "+4520304050",
                "status": "queued",
                "created_at": message.created_at.isoformat(),
                "sent_at": None,
            }
        ]
        assert shredder("sms").erase(citizens=[citizen]) == {"text_messages_deleted": 1}
        assert not TextMessage.objects.exists()


def test_old_records_are_deleted_after_the_retention(personas, settings):
    settings.BROBYG_SMS_RETENTION_DAYS = 90
    with time_machine.travel(NOW, tick=False), in_org(personas.org_a):
        services.send_text(
            organisation=personas.org_a, phone="20304050", text="Hej", kind=TextKind.CODE
        )
        now = timezone.now()
        assert services.purge_expired(now=now + timedelta(days=89)) == 0
        assert services.purge_expired(now=now + timedelta(days=91)) == 1


def test_the_texts_templates_say_nothing_about_health(personas):
    for template, context in (
        ("sms/receipt", {"organisation": personas.org_a, "link": "https://x/l"}),
        ("sms/match", {"organisation": personas.org_a, "link": "https://x/l"}),
        ("sms/questionnaire", {"organisation": personas.org_a, "link": "https://x/l"}),
        ("sms/questionnaire", {"organisation": personas.org_a, "link": "x", "reminder": True}),
    ):
        for language in ("da", "en"):
            text = services.render_text(template, context, language=language)
            assert len(text) <= 160, text
            for word in ("psyk", "angst", "depression", "peer", "mental", "krise", "crisis"):
                assert word not in text.lower(), text
    with translation.override("en"):
        assert "Answer here:" in services.render_text(
            "sms/questionnaire", {"organisation": personas.org_a, "link": "x"}, language="en"
        )


def test_the_citizen_page_shows_the_coordinator_the_texts_to_the_citizen(client, personas):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    with in_org(personas.org_a):
        services.send_text(
            organisation=personas.org_a,
            phone=citizen.phone,
            text="Hej",
            kind=TextKind.RECEIPT,
            citizen=citizen,
        )
    url = reverse("intake_citizen_detail", args=[citizen.public_id])
    client.force_login(personas.alice)
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Receipt for a request" in page and "Waiting to be sent" in page
    # A manager sees the citizen but not the texts.
    client.force_login(personas.maja)
    page = client.get(url).content.decode()
    assert "Receipt for a request" not in page
