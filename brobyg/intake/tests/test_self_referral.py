"""A citizen asks for peer support through the public form, without an account."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.intake import selectors
from brobyg.intake.models import EventKind, RequestEvent, SupportRequest
from brobyg.people.models import Citizen, Consent
from brobyg.test import in_org, make_programme

LINK = re.compile(r"/my-request/([A-Za-z0-9_-]{40,})/")


def valid_data(**overrides) -> dict:
    """A complete self-referral as the browser sends it."""
    data = {
        "purposes": ["wellbeing", "community"],
        "own_words": "Jeg vil gerne tale med en, der selv har prøvet at have angst.",
        "forms": ["individual", "activity"],
        "peer_type": "volunteer",
        "availability": ["evenings", "weekends"],
        "wish_gender": "woman",
        "wish_age_band": "30_50",
        "wish_language": "",
        "wish_shared_experience": "Angst",
        "name": "Mette Holm",
        "birth_year": "1990",
        "municipality": "København",
        "gender": "",
        "languages": "dansk, engelsk, Dansk",
        "cpr": "",
        "phone": "20 30 40 50",
        "email": "mette@example.org",
        "contact_times": "Hverdage før middag",
        "in_crisis": "no",
        "consent_support": "on",
        "consent_questionnaires": "on",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def url(programme) -> str:
    return reverse("intake_self_referral", kwargs={"public_id": programme.public_id})


def counts() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            Citizen.objects.count(),
            Consent.objects.count(),
            SupportRequest.objects.count(),
            RequestEvent.objects.count(),
        )


def submit(client, programme, captured, **overrides):
    with captured(execute=True):
        return client.post(url(programme), valid_data(**overrides))


def test_it_explains_peer_support_and_shows_the_form_to_anyone(client, personas):
    response = client.get(url(personas.programme_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.programme_a.name in html
    for number in ("tel:112", "tel:1813", "tel:70201201"):
        assert number in html
    # The consents are separate and not ticked in advance; sharing with another organisation is
    # not asked for here.
    for name in ("consent_support", "consent_questionnaires", "consent_evaluation"):
        checkbox = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)[0]
        assert "checked" not in checkbox
    assert "share_with_organisation" not in html
    # The trap for robots is out of reach for people.
    trap = re.search(r'<div class="field-trap" aria-hidden="true">.*?</div>', html, re.S)[0]
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert "maxlength" in re.search(r'<input type="text" name="name"[^>]*>', html)[0]


def test_it_registers_a_complete_self_referral_in_one_go(
    client, personas, django_capture_on_commit_callbacks
):
    response = submit(client, personas.programme_a, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("intake_receipt")
    with in_org(personas.org_a):
        citizen = Citizen.objects.get()
        support_request = SupportRequest.objects.get()
        consents = sorted(Consent.objects.values_list("purpose", "given", "method"))
        events = list(RequestEvent.objects.values_list("kind", flat=True))
    assert citizen.organisation == personas.org_a
    assert (citizen.name, citizen.phone, citizen.email) == (
        "Mette Holm",
        "20 30 40 50",
        "mette@example.org",
    )
    assert citizen.birth_year == 1990 and citizen.languages == ["dansk", "engelsk"]
    assert consents == [
        ("questionnaires", True, "self_referral"),
        ("support", True, "self_referral"),
    ]
    assert support_request.programme == personas.programme_a
    assert support_request.source == "self_referral" and support_request.referred_by is None
    assert support_request.purposes == ["wellbeing", "community"]
    assert support_request.forms == ["individual", "activity"]
    assert support_request.availability == ["evenings", "weekends"]
    assert (support_request.peer_type, support_request.wish_gender) == ("volunteer", "woman")
    assert not support_request.urgent and not support_request.below_minimum_age
    assert events == [EventKind.SUBMITTED]

    # The receipt e-mail holds the personal link; no alert, as nobody is in crisis.
    assert [message.to for message in mail.outbox] == [["mette@example.org"]]
    token = LINK.search(mail.outbox[0].body)[1]
    assert selectors.request_by_link_token(token) == support_request

    # The receipt page shows the same link once.
    receipt = client.get(reverse("intake_receipt"))
    assert token in receipt.content.decode()
    assert "noindex" in receipt["X-Robots-Tag"]
    assert "no-store" in receipt["Cache-Control"]
    assert token not in client.get(reverse("intake_receipt")).content.decode()


def test_it_shows_emergency_help_on_the_very_next_page_and_alerts_the_coordinators(
    client, personas, django_capture_on_commit_callbacks
):
    response = submit(
        client, personas.programme_a, django_capture_on_commit_callbacks, in_crisis="yes"
    )
    with in_org(personas.org_a):
        support_request = SupportRequest.objects.get()
    assert support_request.in_crisis and support_request.urgent

    page = client.get(response["Location"]).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    # The emergency numbers come first, before the receipt and the link.
    for number in ('href="tel:112"', 'href="tel:1813"', 'href="tel:70201201"'):
        assert main.index(number) < main.index("/my-request/")
    assert "psykiatrisk akutmodtagelse" in main
    assert main.index("<h1") < main.index('href="tel:112"')

    recipients = sorted(recipient for message in mail.outbox for recipient in message.to)
    assert recipients == ["alice@example.org", "mette@example.org"]
    alert = next(message for message in mail.outbox if message.to == ["alice@example.org"])
    assert str(support_request.public_id) in alert.body
    assert "Mette" not in alert.body


def test_it_tells_a_citizen_below_the_minimum_age_about_help_for_young_people(
    client, personas, django_capture_on_commit_callbacks
):
    birth_year = timezone.localdate().year - 15
    submit(
        client,
        personas.programme_a,
        django_capture_on_commit_callbacks,
        birth_year=str(birth_year),
    )
    with in_org(personas.org_a):
        support_request = SupportRequest.objects.get()
    assert support_request.below_minimum_age
    assert support_request.status == "new"

    page = client.get(reverse("intake_receipt")).content.decode()
    assert 'href="tel:116111"' in page
    assert "Headspace" in page and "Ungdomslinien" in page
    assert "18" in page


def test_it_keeps_what_was_typed_and_answers_with_danish_field_messages(client, personas):
    response = client.post(
        url(personas.programme_a),
        valid_data(email="mette@", birth_year="1850", phone="", consent_support=None),
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0)
    assert "Indtast en gyldig e-mail-adresse." in html
    assert "Denne værdi skal være større end eller lig 1900." in html
    # Field-level: each message sits on its field, which is marked invalid and described by it.
    email_input = re.search(r'<input type="email" name="email"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in email_input and "id_email_error" in email_input
    assert 'id="id_consent_support_error"' in html
    # The summary at the top links to each field.
    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    for anchor in ("#id_email", "#id_birth_year", "#id_consent_support"):
        assert anchor in summary
    # Everything typed is still there.
    assert 'value="Mette Holm"' in html
    assert "prøvet at have angst" in html
    assert 'value="mette@"' in html
    assert re.search(r'<input type="checkbox" name="purposes" value="wellbeing"[^>]*checked', html)


def test_it_needs_a_way_to_reach_the_citizen_and_an_answer_to_the_crisis_question(client, personas):
    response = client.post(
        url(personas.programme_a), valid_data(phone="", email="", in_crisis=None)
    )
    errors = response.context["form"].errors
    assert set(errors) == {"phone", "in_crisis"}
    assert counts() == (0, 0, 0, 0)


def test_it_checks_the_cpr_number_and_stores_it_encrypted(
    client, personas, django_capture_on_commit_callbacks
):
    response = client.post(url(personas.programme_a), valid_data(cpr="320190-1234"))
    assert "CPR-nummer" in response.content.decode()
    assert response.context["form"].errors.keys() == {"cpr"}

    submit(client, personas.programme_a, django_capture_on_commit_callbacks, cpr="010190-1234")
    with in_org(personas.org_a):
        citizen = Citizen.objects.get()
    assert citizen.cpr_masked == "010190-xxxx"
    assert "1234" not in citizen.cpr_encrypted


def test_it_refuses_too_long_input_on_the_field(client, personas):
    response = client.post(
        url(personas.programme_a), valid_data(own_words="x" * 2001, name="y" * 201)
    )
    assert set(response.context["form"].errors) == {"own_words", "name"}
    assert counts() == (0, 0, 0, 0)


def test_it_pretends_to_accept_what_a_robot_sends_but_saves_nothing(
    client, personas, django_capture_on_commit_callbacks
):
    response = submit(
        client,
        personas.programme_a,
        django_capture_on_commit_callbacks,
        website="https://spam.example.com",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("intake_receipt")
    assert counts() == (0, 0, 0, 0)
    assert mail.outbox == []
    receipt = client.get(response["Location"]).content.decode()
    assert "/my-request/" not in receipt


def test_it_limits_submissions_per_ip_address(
    client, personas, settings, django_capture_on_commit_callbacks
):
    settings.BROBYG_INTAKE_RATE_LIMIT = (2, 600)
    # Corrections of an invalid form do not count.
    client.post(url(personas.programme_a), valid_data(email="wrong"))
    for _ in range(2):
        assert (
            submit(client, personas.programme_a, django_capture_on_commit_callbacks).status_code
            == 302
        )

    response = submit(
        client, personas.programme_a, django_capture_on_commit_callbacks, name="Ole Berg"
    )
    html = response.content.decode()
    assert response.status_code == 429
    assert 'value="Ole Berg"' in html
    assert 'href="tel:112"' in html and 'href="tel:70201201"' in html
    assert counts()[0] == 2

    # Another address is not held back.
    other = client.post(url(personas.programme_a), valid_data(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_it_lets_the_citizen_choose_among_an_organisations_active_programmes(
    client, personas, django_capture_on_commit_callbacks
):
    groups = make_programme(
        personas.org_a,
        "Recovery-grupper",
        description="Grupper for dig, der vil mødes med andre.",
        forms=["group"],
    )
    make_programme(personas.org_a, "Lukket tilbud", is_active=False)
    page = reverse(
        "intake_self_referral_organisation", kwargs={"public_id": personas.org_a.public_id}
    )

    html = client.get(page).content.decode()
    assert personas.programme_a.name in html and "Recovery-grupper" in html
    assert "Grupper for dig" in html
    assert "Lukket tilbud" not in html
    assert personas.programme_b.name not in html

    response = client.post(page, valid_data(programme=""))
    assert "programme" in response.context["form"].errors
    response = client.post(page, valid_data(programme=str(personas.programme_b.public_id)))
    assert "programme" in response.context["form"].errors

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, valid_data(programme=str(groups.public_id)))
    assert response.status_code == 302
    with in_org(personas.org_a):
        assert SupportRequest.objects.get().programme == groups


def test_it_answers_kindly_when_a_programme_takes_no_requests(client, personas):
    closed = make_programme(personas.org_a, "Lukket tilbud", is_active=False)
    response = client.get(url(closed))
    assert response.status_code == 404
    assert 'href="tel:112"' in response.content.decode()
    assert client.post(url(closed), valid_data()).status_code == 404
    assert counts() == (0, 0, 0, 0)


def test_it_keeps_what_was_typed_out_of_the_audit_log(
    client, personas, django_capture_on_commit_callbacks
):
    submit(client, personas.programme_a, django_capture_on_commit_callbacks)
    logged = str(list(LogEntry.objects.values_list("details", "object_label", "reason")))
    for typed in ("Mette", "20 30 40 50", "mette@example.org", "angst", "København"):
        assert typed not in logged


def test_it_keeps_the_request_when_the_mail_server_fails(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    from brobyg.intake import notifications
    from brobyg.intake.services import request_submit

    def broken_mail(**kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "send_receipt", broken_mail)
    with in_org(personas.org_a), django_capture_on_commit_callbacks(execute=True) as callbacks:
        support_request, _token = request_submit(
            programme=personas.programme_a,
            citizen_data={"name": "Ole", "phone": "20304050", "email": "ole@example.org"},
            request_data={},
            consents=["support"],
            in_crisis=True,
        )
    assert len(callbacks) == 2  # the receipt failed quietly; the coordinators' alert still ran
    assert mail.outbox and mail.outbox[-1].to == ["alice@example.org"]
    with in_org(personas.org_a):
        assert SupportRequest.objects.filter(pk=support_request.pk).exists()


def test_it_shows_the_emergency_numbers_even_when_the_form_needs_correcting(client, personas):
    url = reverse("intake_self_referral", args=[personas.programme_a.public_id])
    response = client.post(url, {"in_crisis": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:112"' in html.split("<footer")[0]
    with in_org(personas.org_a):
        assert not SupportRequest.objects.exists()


def test_it_records_the_citizens_current_contact_with_services(
    client, personas, django_capture_on_commit_callbacks
):
    submit(
        client,
        personas.programme_a,
        django_capture_on_commit_callbacks,
        services_contact="Distriktspsykiatrien",
    )
    with in_org(personas.org_a):
        assert Citizen.objects.get().services_contact == "Distriktspsykiatrien"


def test_it_keeps_the_address_out_of_the_log_when_a_receipt_cannot_be_sent(
    client, personas, settings, django_capture_on_commit_callbacks
):
    import logging

    class Collect(logging.Handler):
        lines: list = []

        def emit(self, record):
            self.lines.append(self.format(record))

    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    settings.EMAIL_BACKEND = "brobyg.intake.tests.failing_mail.RefusingBackend"
    try:
        response = submit(
            client,
            personas.programme_a,
            django_capture_on_commit_callbacks,
            email="hemmelig@example.org",
        )
    finally:
        root.removeHandler(handler)
    assert response.status_code == 302
    logged = "\n".join(handler.lines)
    assert "not sent: SMTPRecipientsRefused" in logged
    assert "hemmelig@example.org" not in logged
