import json
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.outcomes.tests.helpers import load_instruments
from brobyg.people.models import Consent
from brobyg.rights.models import AccessCode, DataRequest, RequestStatus
from brobyg.test import in_org

START = "2026-03-10 10:00 +01:00"


@pytest.fixture
def ask_code(django_capture_on_commit_callbacks):
    """Ask for a code; it is sent when the transaction commits."""

    def ask(client, address):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("rights_my_data"), {"step": "address", "address": address})

    return ask


def _code_from_mail():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    client, personas, lone, ask_code
):
    known = ask_code(client, "lone@example.org")
    unknown = ask_code(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lone@example.org"]
    assert AccessCode.objects.count() == 2


@time_machine.travel(START, tick=False)
def test_a_code_opens_the_page_once_and_never_reaches_the_log(
    client, personas, lone, caplog, ask_code
):
    ask_code(client, "lone@example.org")
    code = _code_from_mail()
    response = client.post(reverse("rights_my_data"), {"step": "code", "code": code})
    assert response.status_code == 302
    page = client.get(reverse("rights_my_data"))
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Lone Holm" in text and "Testkommune" in text
    assert code not in str(list(LogEntry.objects.values_list("details", "reason")))
    assert code not in caplog.text
    assert AccessCode.objects.get().used_at is not None
    other = client.__class__()
    ask_code(other, "lone@example.org")
    # the used code does not open a new visitor's page
    response = other.post(reverse("rights_my_data"), {"step": "code", "code": code})
    assert response.status_code == 200
    assert "Lone Holm" not in response.content.decode()


def test_a_code_expires(client, personas, lone, ask_code):
    with time_machine.travel(START, tick=False):
        ask_code(client, "lone@example.org")
    code = _code_from_mail()
    with time_machine.travel("2026-03-10 10:16 +01:00", tick=False):
        response = client.post(reverse("rights_my_data"), {"step": "code", "code": code})
    assert response.status_code == 200
    assert "Lone Holm" not in response.content.decode()


def test_five_wrong_codes_use_up_the_code(client, personas, lone, ask_code):
    ask_code(client, "lone@example.org")
    code = _code_from_mail()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("rights_my_data"), {"step": "code", "code": wrong})
    response = client.post(reverse("rights_my_data"), {"step": "code", "code": code})
    assert "Lone Holm" not in response.content.decode()


def test_asking_for_codes_is_rate_limited(client, personas, lone, ask_code):
    for _ in range(10):
        ask_code(client, "someone@example.org")
    assert ask_code(client, "lone@example.org").status_code == 429
    assert not mail.outbox


def test_an_address_gets_at_most_three_codes_an_hour(client, personas, lone, ask_code):
    for _ in range(4):
        ask_code(client, "lone@example.org")
    assert len(mail.outbox) == 3


def _open_by_link(client, personas):
    from brobyg.test import make_request

    support_request, token = make_request(personas.programme_a, name="Ida Holm", email="ida@x.dk")
    return support_request.citizen, reverse("rights_my_data_link", args=[token])


def test_the_personal_link_shows_who_looked_by_organisation_and_role(client, personas):
    citizen, link = _open_by_link(client, personas)
    staff = client.__class__()
    staff.force_login(personas.alice)
    staff.get(reverse("intake_citizen_detail", args=[citizen.public_id]))
    page = client.get(link).content.decode()
    assert "Ida Holm" in page
    assert "oordinator" in page and "Testkommune" in page
    assert "Alice" not in page
    read = LogEntry.objects.filter(reason="citizen's data page").get()
    assert read.actor is None and read.subject_id == str(citizen.public_id)


def test_who_looked_names_the_staff_member_only_where_the_organisation_chose_it(client, personas):
    citizen, link = _open_by_link(client, personas)
    staff = client.__class__()
    staff.force_login(personas.alice)
    staff.get(reverse("intake_citizen_detail", args=[citizen.public_id]))
    assert personas.org_a.show_staff_names_to_citizens is False
    assert "Alice Jensen" not in client.get(link).content.decode()
    url = reverse("rights_my_data_download")
    data = json.loads(client.get(url, {"record": str(citizen.public_id)}).content)
    assert {entry["staff_member"] for entry in data["access_log"]} == {None}

    admin = client.__class__()
    admin.force_login(personas.ada)
    response = admin.post(
        reverse("organisation_edit"),
        {
            "name": personas.org_a.name,
            "kind": personas.org_a.kind,
            "email": "",
            "phone": "",
            "show_staff_names_to_citizens": "on",
        },
    )
    assert response.status_code == 302
    personas.org_a.refresh_from_db()
    assert personas.org_a.show_staff_names_to_citizens is True
    assert "Alice Jensen" in client.get(link).content.decode()
    data = json.loads(client.get(url, {"record": str(citizen.public_id)}).content)
    assert "Alice Jensen" in {entry["staff_member"] for entry in data["access_log"]}


def test_the_citizen_downloads_the_same_export(client, personas):
    citizen, link = _open_by_link(client, personas)
    client.get(link)
    url = reverse("rights_my_data_download")
    response = client.get(url, {"record": str(citizen.public_id), "format": "json"})
    data = json.loads(response.content)
    assert data["person"]["records"][0]["name"] == "Ida Holm"
    assert "no-store" in response["Cache-Control"]
    pdf = client.get(url, {"record": str(citizen.public_id), "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert LogEntry.objects.filter(action="export", reason="citizen's own download").count() == 2


def test_the_citizen_withdraws_a_consent_at_once(client, personas):
    citizen, link = _open_by_link(client, personas)
    client.post(
        link,
        {"step": "withdraw", "record": str(citizen.public_id), "purpose": "support"},
    )
    with in_org(personas.org_a):
        latest = Consent.objects.filter(citizen=citizen, purpose="support").last()
    assert latest.given is False
    assert latest.method == "personal_link"


@time_machine.travel(START, tick=False)
def test_the_citizen_asks_for_erasure_and_sees_its_deadline_and_status(client, personas):
    citizen, link = _open_by_link(client, personas)
    response = client.post(
        link,
        {"step": "ask", "record": str(citizen.public_id), f"{citizen.public_id}-kind": "erasure"},
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        data_request = DataRequest.objects.get(citizen=citizen)
    assert data_request.deadline.isoformat() == "2026-04-09"
    assert data_request.channel == "citizen"
    assert data_request.status == RequestStatus.OPEN
    page = client.get(link).content.decode()
    assert "9. april 2026" in page


def test_another_citizens_record_cannot_be_acted_on(client, personas, lone):
    _citizen, link = _open_by_link(client, personas)
    response = client.post(
        link, {"step": "ask", "record": str(lone.public_id), f"{lone.public_id}-kind": "erasure"}
    )
    assert response.status_code == 404
    download = client.get(reverse("rights_my_data_download"), {"record": str(lone.public_id)})
    assert download.status_code == 404


def test_the_link_secret_stays_out_of_the_request_log(personas):
    import logging

    from brobyg.lib.logging import StripQueryStrings

    path = reverse("rights_my_data_link", args=["s3cret-token"])
    record = logging.LogRecord("django.server", 20, "", 0, '"GET %s HTTP/1.1" 200', (path,), None)
    StripQueryStrings().filter(record)
    assert "s3cret" not in record.getMessage()


def test_the_privacy_officer_is_told_without_the_citizens_name_or_words(
    client, personas, django_capture_on_commit_callbacks
):
    citizen, link = _open_by_link(client, personas)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            link,
            {
                "step": "ask",
                "record": str(citizen.public_id),
                f"{citizen.public_id}-kind": "correction",
                f"{citizen.public_id}-description": "Min adresse er forkert.",
            },
        )
    assert [message.to for message in mail.outbox] == [["per@example.org"]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert "Ida" not in body and "adresse" not in body
    assert "/privacy/requests/" in body


def test_the_page_shows_scores_only_once_the_citizen_chose_to_see_their_chart(client, personas):
    from brobyg.intake.models import SupportRequest
    from brobyg.lib.links import new_link_token, token_digest
    from brobyg.outcomes import services as outcome_services
    from brobyg.outcomes.models import Response
    from brobyg.outcomes.tests.helpers import consenting_citizen

    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    with in_org(personas.org_a):
        _invitation, token = outcome_services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instruments["who-5"], timepoint="baseline"
        )
    answer = reverse("outcomes_answer", kwargs={"token": token})
    data = {"all": "1", "nav": "send", "mode": "self"}
    data.update({f"item_w{number}": "3" for number in range(1, 6)})
    assert client.post(answer + "?all=1", data).status_code == 302
    with in_org(personas.org_a):
        support_request = citizen.support_requests.get()
    link_token = new_link_token()
    with in_org(personas.org_a):
        SupportRequest.objects.filter(pk=support_request.pk).update(
            token_digest=token_digest(link_token)
        )
    link = reverse("rights_my_data_link", args=[link_token])
    assert "<svg" not in client.get(link).content.decode()
    with in_org(personas.org_a):
        Response.objects.filter(citizen=citizen).update(citizen_sees_chart=True)
    assert "<svg" in client.get(link).content.decode()


@time_machine.travel(START, tick=False)
def test_a_mobile_number_gets_the_code_as_a_text(client, personas, lone, ask_code, _sms_outbox):
    """Lone's number is stored as "20304050"; she writes it as a Dane might, with +45."""
    response = ask_code(client, "+45 20 30 40 50")
    assert response.status_code == 200
    assert mail.outbox == []
    (text,) = _sms_outbox
    assert text["msisdn"] == "4520304050"
    code = re.search(r"\b(\d{6})\b", text["text"]).group(1)
    assert "Lone" not in text["text"] and "Testkommune" not in text["text"]
    response = client.post(reverse("rights_my_data"), {"step": "code", "code": code})
    assert response.status_code == 302
    assert "Lone Holm" in client.get(reverse("rights_my_data")).content.decode()


def test_an_unknown_number_gets_the_same_answer_and_no_text(
    client, personas, lone, ask_code, _sms_outbox
):
    known = ask_code(client, "20 30 40 50")
    unknown = ask_code(client, "20 30 40 59")
    strip = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert len(_sms_outbox) == 1


def test_neither_an_address_nor_a_number_is_refused_in_danish_and_kept(client, db, ask_code):
    response = ask_code(client, "lone.example.org")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv en e-mailadresse eller et mobilnummer" in page
    assert 'value="lone.example.org"' in page
    assert AccessCode.objects.count() == 0
