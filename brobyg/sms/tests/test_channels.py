"""The citizen chooses how Brobyg reaches them (e-mail, text or both) on their personal page;
every link and notice sender follows ``sms.selectors.channels``. The default keeps the old
behaviour: e-mail when there is an address, a text when there is only a mobile number."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from brobyg.conversations import services as conversation_services
from brobyg.intake import notifications as intake_notifications
from brobyg.intake.tests.test_personal_link import contact
from brobyg.matching import services as matching_services
from brobyg.outcomes import services as outcome_services
from brobyg.outcomes.tests.helpers import consenting_citizen, load_instruments
from brobyg.people import services as people_services
from brobyg.people.models import ContactChannel
from brobyg.sms.selectors import EMAIL, TEXT, channels
from brobyg.sms.tests.helpers import make_anna_peer
from brobyg.test import in_org, make_course, make_waiting_request


def _choose(citizen, channel):
    with in_org(citizen.organisation):
        people_services.citizen_update(
            actor=None, citizen=citizen, data={"contact_channel": channel}
        )


@pytest.mark.parametrize(
    ("email", "phone", "choice", "expected"),
    [
        ("lone@example.org", "", ContactChannel.SMS, {EMAIL}),
        ("", "20304050", ContactChannel.EMAIL, {TEXT}),
        ("lone@example.org", "20304050", ContactChannel.EMAIL, {EMAIL}),
        ("lone@example.org", "20304050", ContactChannel.SMS, {TEXT}),
        ("lone@example.org", "20304050", ContactChannel.BOTH, {EMAIL, TEXT}),
        ("", "", ContactChannel.BOTH, set()),
    ],
)
def test_one_function_decides_the_channel(personas, _sms_outbox, email, phone, choice, expected):
    support_request, _token = make_waiting_request(
        personas.programme_a, email=email or "x@example.org"
    )
    citizen = support_request.citizen
    citizen.email, citizen.phone, citizen.contact_channel = email, phone, choice
    assert channels(citizen) == expected


def test_without_texts_switched_on_the_choice_falls_back_to_e_mail(personas, settings):
    settings.BROBYG_SMS_BACKEND = "disabled"
    support_request, _token = make_waiting_request(
        personas.programme_a, email="lone@example.org", contact_channel=ContactChannel.SMS
    )
    assert channels(support_request.citizen) == {EMAIL}


def test_the_citizen_chooses_on_their_personal_page(client, personas, _sms_outbox):
    support_request, token = make_waiting_request(personas.programme_a, email="lone@example.org")
    url = reverse("intake_personal_page", args=[token])
    page = client.get(url).content.decode()
    assert 'name="contact-contact_channel"' in page
    data = contact(**{"contact-contact_channel": ContactChannel.BOTH})
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert 'value="20304050"' in refused.content.decode()
    with in_org(personas.org_a):
        support_request.citizen.refresh_from_db()
    assert support_request.citizen.email == "lone@example.org"
    assert support_request.citizen.contact_channel == ContactChannel.EMAIL

    data.update({"contact-email": "lone@example.org", "contact-contact_channel": "sms"})
    assert client.post(url, data).status_code == 302
    with in_org(personas.org_a):
        support_request.citizen.refresh_from_db()
    assert support_request.citizen.contact_channel == ContactChannel.SMS


def test_a_citizen_with_only_an_address_is_not_asked(client, personas):
    _support_request, token = make_waiting_request(
        personas.programme_a, email="lone@example.org", phone=""
    )
    page = client.get(reverse("intake_personal_page", args=[token])).content.decode()
    assert "contact_channel" not in page


def test_the_receipt_follows_the_choice(personas, _sms_outbox, django_capture_on_commit_callbacks):
    support_request, token = make_waiting_request(personas.programme_a, email="lone@example.org")
    mail.outbox.clear()
    _sms_outbox.clear()
    for choice, mails, texts in (
        (ContactChannel.EMAIL, 1, 0),
        (ContactChannel.SMS, 0, 1),
        (ContactChannel.BOTH, 1, 1),
    ):
        _choose(support_request.citizen, choice)
        with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
            assert intake_notifications.send_receipt(support_request=support_request, token=token)
        assert (len(mail.outbox), len(_sms_outbox)) == (mails, texts), choice
        mail.outbox.clear()
        _sms_outbox.clear()


def test_a_proposal_goes_by_text_to_a_citizen_who_chose_texts(
    personas, _sms_outbox, django_capture_on_commit_callbacks
):
    user, peer = make_anna_peer(personas)
    support_request, _token = make_waiting_request(personas.programme_a, email="lone@example.org")
    _choose(support_request.citizen, ContactChannel.SMS)
    mail.outbox.clear()
    _sms_outbox.clear()
    with scope(organisation=personas.org_a.pk), django_capture_on_commit_callbacks(execute=True):
        match = matching_services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peer
        )
        matching_services.match_peer_answer(actor=user, match=match, accept=True)
    assert len(_sms_outbox) == 1
    assert "lone@example.org" not in [address for m in mail.outbox for address in m.to]


def test_a_questionnaire_and_its_reminder_go_both_ways(
    personas, _sms_outbox, django_capture_on_commit_callbacks
):
    from brobyg.outcomes import notifications

    instruments = load_instruments()
    citizen = consenting_citizen(personas.programme_a)
    _choose(citizen, ContactChannel.BOTH)
    mail.outbox.clear()
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        invitation, _token = outcome_services.invitation_create(
            organisation=personas.org_a,
            instrument=instruments["who-5"],
            anchor_kind="manual",
            anchor_id="x",
            timepoint="baseline",
            citizen=citizen,
            programme=personas.programme_a,
        )
    assert len(_sms_outbox) == 1 and [m.to for m in mail.outbox] == [[citizen.email]]
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_invitation_mail(invitation, reminder=True)
    assert len(_sms_outbox) == 2 and len(mail.outbox) == 2


def test_a_message_notice_follows_the_choice(
    personas, bob_peer, _sms_outbox, django_capture_on_commit_callbacks
):
    course = make_course(
        personas.programme_a, bob_peer, actor=personas.alice, email="lone@example.org"
    )
    _choose(course.citizen, ContactChannel.SMS)
    mail.outbox.clear()
    _sms_outbox.clear()
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True):
        conversation_services.message_write(actor=personas.bob, course=course, text="Hej")
    assert len(_sms_outbox) == 1 and "Hej" not in _sms_outbox[0]["text"]
    assert not [m for m in mail.outbox if "lone@example.org" in m.to]
