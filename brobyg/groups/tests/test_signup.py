"""Someone signs up for an open group on its public page, with the self-referral's safeguards."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.audit.models import LogEntry
from brobyg.groups.models import Participant, ParticipantStatus
from brobyg.groups.tests.helpers import add_people, make_group
from brobyg.people.models import Citizen, Consent
from brobyg.test import in_org


def valid_data(**overrides) -> dict:
    data = {
        "kind": "citizen",
        "name": "Mette Holm",
        "birth_year": "1990",
        "municipality": "Rudersdal",
        "phone": "20 30 40 50",
        "email": "mette@example.org",
        "in_crisis": "no",
        "consent_support": "on",
        "consent_questionnaires": "on",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def group(personas):
    return make_group(personas, public_signup=True, capacity=2, title="Åben recovery-gruppe")


def url(group) -> str:
    return reverse("groups_signup", kwargs={"public_id": group.public_id})


def counts():
    with scopes_disabled():
        return Citizen.objects.count(), Consent.objects.count(), Participant.objects.count()


def test_it_shows_the_group_and_the_form_to_anyone(english, group):
    response = english.get(url(group))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Åben recovery-gruppe" in html and 'name="in_crisis"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_citizen_signs_up_with_consents_in_one_go(
    english, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url(group), valid_data())
    assert response.status_code == 302
    with in_org(group.organisation):
        participant = Participant.objects.select_related("citizen").get()
        purposes = sorted(Consent.objects.values_list("purpose", flat=True))
    assert participant.kind == "citizen" and participant.citizen.name == "Mette Holm"
    assert (
        participant.status == ParticipantStatus.ENROLLED and participant.source == "public_signup"
    )
    assert purposes == ["questionnaires", "support"]
    assert mail.outbox[0].to == ["mette@example.org"]
    done = english.get(response["Location"]).content.decode()
    assert "Thank you for signing up" in done


def test_a_relative_needs_no_citizen_record(english, group):
    english.post(url(group), valid_data(kind="relative", name="Hans Holm", email=""))
    with in_org(group.organisation):
        participant = Participant.objects.get()
    assert participant.citizen is None and participant.own_name == "Hans Holm"
    assert participant.questionnaire_consent
    assert counts()[:2] == (0, 0)


def test_a_full_group_puts_the_person_on_its_waiting_list(english, group):
    add_people(group, 2)
    response = english.post(url(group), valid_data())
    done = english.get(response["Location"]).content.decode()
    with in_org(group.organisation):
        assert Participant.objects.get(citizen__isnull=False).status == ParticipantStatus.WAITING
    assert "waiting list" in done


def test_it_keeps_what_was_typed_and_explains_on_the_field(english, group):
    before = counts()
    response = english.post(
        url(group), valid_data(phone="12", email="", consent_support=None, name="Mette Holm")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert counts() == before
    assert 'value="Mette Holm"' in html
    assert "at least 8 digits" in html
    assert "We can only store your sign-up with your consent." in html


def test_it_refuses_someone_below_the_programmes_minimum_age(english, group):
    response = english.post(url(group), valid_data(birth_year="2015"))
    assert counts()[2] == 0
    assert "This group is for people aged 18 or over" in response.content.decode()


def test_it_shows_the_emergency_numbers_and_alerts_the_coordinators(
    english, group, django_capture_on_commit_callbacks
):
    invalid = english.post(url(group), {"in_crisis": "yes"})
    html = invalid.content.decode().split("<footer")[0]
    assert 'href="tel:112"' in html and "1813" in html and "Livslinien" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url(group), valid_data(in_crisis="yes"))
    done = english.get(response["Location"]).content.decode()
    assert "Please get help now" in done and "akutmodtagelse" in done.lower()
    assert any(message.to == ["alice@example.org"] for message in mail.outbox)
    alert = next(message for message in mail.outbox if message.to == ["alice@example.org"])
    assert "Mette" not in alert.body


def test_it_pretends_to_accept_what_a_robot_sends_but_saves_nothing(english, group):
    response = english.post(url(group), valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert counts() == (0, 0, 0)


def test_it_limits_sign_ups_per_address(english, group, settings):
    settings.BROBYG_INTAKE_RATE_LIMIT = (2, 600)
    for index in range(2):
        english.post(url(group), valid_data(kind="staff", name=f"Person {index}"))
    response = english.post(url(group), valid_data(kind="staff", name="Person 3"))
    assert response.status_code == 429
    assert counts()[2] == 2


def test_it_answers_kindly_when_the_group_takes_no_sign_ups(english, personas):
    closed = make_group(personas, public_signup=False)
    response = english.get(url(closed))
    assert response.status_code == 404
    assert "not taking sign-ups" in response.content.decode()


def test_nothing_typed_reaches_the_audit_log(english, group):
    english.post(url(group), valid_data(name="Helt Hemmelig"))
    with in_org(group.organisation):
        assert not any("Hemmelig" in str(entry.details) for entry in LogEntry.objects.all())
