"""The GatewayAPI backend against a local fake of its documented REST API, and the retries."""

from datetime import timedelta

from django.utils import timezone

from brobyg.sms import services
from brobyg.sms.models import TextKind, TextMessage, TextStatus
from brobyg.sms.tests.fake_gatewayapi import TOKEN, FakeGatewayApi
from brobyg.test import in_org


def _send(personas, captured, phone="20 30 40 50"):
    with in_org(personas.org_a), captured(execute=True):
        message = services.send_text(
            organisation=personas.org_a, phone=phone, text="Hej fra Brøbyg", kind=TextKind.CODE
        )
    with in_org(personas.org_a):
        message.refresh_from_db()
    return message


def test_it_sends_the_documented_request(personas, gateway, django_capture_on_commit_callbacks):
    message = _send(personas, django_capture_on_commit_callbacks)
    assert gateway.problems == []
    assert gateway.received == [
        {"sender": "Brobyg", "message": "Hej fra Brøbyg", "recipients": [{"msisdn": 4520304050}]}
    ]
    assert message.status == TextStatus.SENT
    assert message.provider_id == "4201"
    assert message.attempts == 1
    # Once handed over, the text itself is gone.
    assert message.text_encrypted == ""


def test_a_wrong_token_fails_at_once_without_retrying(
    personas, gateway, settings, django_capture_on_commit_callbacks
):
    settings.BROBYG_GATEWAYAPI_TOKEN = "wrong"
    message = _send(personas, django_capture_on_commit_callbacks)
    assert message.status == TextStatus.FAILED
    assert message.error == "http_401"
    assert message.next_attempt_at is None
    assert message.text_encrypted == ""


def test_a_provider_that_is_down_is_tried_again_later(
    personas, gateway, settings, django_capture_on_commit_callbacks
):
    gateway.answers = [500, 503]
    message = _send(personas, django_capture_on_commit_callbacks)
    assert message.status == TextStatus.RETRYING
    assert message.error == "http_500"
    assert message.text_encrypted != ""
    now = timezone.now()
    with in_org(personas.org_a):
        # Not yet due: nothing happens.
        assert services.retry_due(now=now) == 0
        assert services.retry_due(now=now + timedelta(minutes=5)) == 0  # 503: still failing
        message.refresh_from_db()
        assert (message.status, message.attempts) == (TextStatus.RETRYING, 2)
        assert services.retry_due(now=now + timedelta(minutes=30)) == 1
        message.refresh_from_db()
    assert message.status == TextStatus.SENT
    assert message.attempts == 3
    assert len(gateway.received) == 1


def test_it_gives_up_after_the_last_attempt(
    personas, gateway, settings, django_capture_on_commit_callbacks
):
    settings.BROBYG_SMS_MAX_ATTEMPTS = 2
    gateway.answers = [500, 500, 500]
    message = _send(personas, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        services.retry_due(now=timezone.now() + timedelta(hours=1))
        message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (TextStatus.FAILED, 2, "http_500")
    assert message.text_encrypted == ""


def test_an_unreachable_provider_is_a_temporary_failure(
    personas, settings, django_capture_on_commit_callbacks
):
    with FakeGatewayApi() as fake:
        url = fake.url
    settings.BROBYG_SMS_BACKEND = "gatewayapi"
    settings.BROBYG_GATEWAYAPI_URL = url  # the server is closed now
    settings.BROBYG_GATEWAYAPI_TOKEN = TOKEN
    message = _send(personas, django_capture_on_commit_callbacks)
    assert (message.status, message.error) == (TextStatus.RETRYING, "unreachable")


def test_a_text_is_never_sent_twice(personas, gateway, django_capture_on_commit_callbacks):
    message = _send(personas, django_capture_on_commit_callbacks)
    with in_org(personas.org_a):
        assert services.attempt(message_id=message.pk) == TextStatus.SENT
        assert TextMessage.objects.get(pk=message.pk).attempts == 1
    assert len(gateway.received) == 1
