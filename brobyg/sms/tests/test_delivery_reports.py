"""GatewayAPI's delivery reports: a signed report updates the text's status, shown on the
coordinator's page; unsigned, forged or tampered reports are refused; without a secret the
endpoint does not exist."""

import jwt
import pytest
from django.urls import reverse

from brobyg.sms import services
from brobyg.sms.models import TextKind, TextStatus
from brobyg.test import in_org

SECRET = "delt-hemmelighed-til-test-af-leveringsrapporter"


@pytest.fixture
def gateway(gateway, settings):
    settings.BROBYG_GATEWAYAPI_CALLBACK_SECRET = SECRET
    return gateway


@pytest.fixture
def sent(personas, gateway, django_capture_on_commit_callbacks):
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        message = services.send_text(
            organisation=personas.org_a, phone="20 30 40 50", text="Hej", kind=TextKind.CODE
        )
    with in_org(personas.org_a):
        message.refresh_from_db()
    assert message.status == TextStatus.SENT and message.provider_id
    return message


URL = "/sms/delivery/gatewayapi/"


def _post(client, body, headers):
    return client.post(URL, body, content_type="application/json", headers=headers)


def _status(message):
    with in_org(message.organisation):
        message.refresh_from_db()
    return message.status


def test_a_signed_report_marks_the_text_delivered_and_the_page_shows_it(
    client, personas, gateway, sent
):
    assert reverse("sms_gatewayapi_delivery") == URL
    body, headers = gateway.delivery_report(
        secret=SECRET, message_id=int(sent.provider_id), msisdn=4520304050, status="DELIVERED"
    )
    # No CSRF token and no log-in: the signature is the authorisation.
    answer = _post(client, body, headers)
    assert answer.status_code == 200
    assert _status(sent) == TextStatus.DELIVERED
    assert sent.delivery_report == "DELIVERED" and sent.reported_at
    client.force_login(personas.alice)
    page = client.get(reverse("sms_message_list")).content.decode()
    assert "DELIVERED" in page and "Leveret til telefonen" in page


def test_an_undeliverable_text_is_counted_for_the_coordinator(client, personas, gateway, sent):
    for status in ("ENROUTE", "EXPIRED", "ENROUTE"):
        body, headers = gateway.delivery_report(
            secret=SECRET, message_id=int(sent.provider_id), msisdn=4520304050, status=status
        )
        assert _post(client, body, headers).status_code == 200
    # A later report that is not final never undoes a final one.
    assert _status(sent) == TextStatus.UNDELIVERED
    assert sent.delivery_report == "EXPIRED"
    client.force_login(personas.alice)
    page = client.get(reverse("sms_message_list")).content.decode()
    assert 'id="undelivered"' in page


def test_unsigned_forged_and_tampered_reports_are_refused(client, gateway, sent):
    body, _headers = gateway.delivery_report(
        secret=SECRET, message_id=int(sent.provider_id), msisdn=4520304050, status="DELIVERED"
    )
    assert _post(client, body, {}).status_code == 403
    _body, forged = gateway.delivery_report(
        secret="a-guess-that-is-long-enough-for-hmac-sha256",
        message_id=int(sent.provider_id),
        msisdn=4520304050,
        status="DELIVERED",
    )
    assert _post(client, body, forged).status_code == 403
    none_alg = jwt.encode(
        {"id": int(sent.provider_id), "status": "DELIVERED"}, None, algorithm="none"
    )
    assert _post(client, body, {"X-Gwapi-Signature": none_alg}).status_code == 403
    _body, expired_headers = gateway.delivery_report(
        secret=SECRET, message_id=int(sent.provider_id), msisdn=4520304050, status="EXPIRED"
    )
    # A signed EXPIRED report posted with a DELIVERED body: the body is not what was signed.
    assert _post(client, body, expired_headers).status_code == 403
    assert _status(sent) == TextStatus.SENT


def test_a_report_for_an_unknown_text_or_number_changes_nothing(client, gateway, sent):
    for message_id, msisdn in ((999999, 4520304050), (int(sent.provider_id), 4599999999)):
        body, headers = gateway.delivery_report(
            secret=SECRET, message_id=message_id, msisdn=msisdn, status="DELIVERED"
        )
        assert _post(client, body, headers).status_code == 200
    assert _status(sent) == TextStatus.SENT


def test_without_a_secret_there_is_no_endpoint(client, gateway, sent, settings):
    body, headers = gateway.delivery_report(
        secret=SECRET, message_id=int(sent.provider_id), msisdn=4520304050, status="DELIVERED"
    )
    settings.BROBYG_GATEWAYAPI_CALLBACK_SECRET = ""
    assert _post(client, body, headers).status_code == 404
    assert client.get(URL).status_code == 405
