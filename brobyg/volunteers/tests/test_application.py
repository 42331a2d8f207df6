"""The public application page: received with a receipt, bad input kept and nothing saved, the
crisis question's safeguard, the robot trap."""

from django.core import mail
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.test import in_org
from brobyg.volunteers.models import Application

FORM = {
    "own_recovery": "Jeg har selv haft angst og depression og er kommet godt videre.",
    "experience_areas": ["anxiety", "depression"],
    "motivation": "Jeg vil gerne være det håb, jeg selv manglede.",
    "hours_per_month": "8",
    "availability": ["evenings"],
    "name": "Jonas Berg",
    "birth_year": "1985",
    "municipality": "Rudersdal",
    "gender": "",
    "email": "jonas@example.org",
    "phone": "20 30 40 50",
    "in_crisis": "no",
    "consent_application": "on",
}


def url(personas):
    return reverse("volunteer_apply", args=[personas.org_b.public_id])


def test_it_receives_an_application(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(personas), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteer_received")
    with in_org(personas.org_b):
        application = Application.objects.get()
    assert application.organisation == personas.org_b
    assert application.stage.position == 1
    assert application.experience_areas == ["anxiety", "depression"]
    assert application.consent_given_at is not None
    assert [message.to for message in mail.outbox] == [["jonas@example.org"]]
    received = client.get(reverse("volunteer_received"))
    assert "Frivilligcenter Testby" in received.content.decode()
    entry = LogEntry.objects.get(action="create", object_type="volunteers.application")
    assert entry.subject_type == "volunteer_applicant"
    assert "Jonas" not in entry.object_label


def test_it_keeps_what_was_typed_and_saves_nothing_on_bad_input(client, personas):
    data = {**FORM, "birth_year": "2020"}
    del data["consent_application"]
    response = client.post(url(personas), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Frivillige peer-støtter skal være mindst 18 år." in page
    assert "Vi kan kun modtage din ansøgning" in page
    assert 'value="Jonas Berg"' in page
    assert "Jeg vil gerne være det håb" in page
    with in_org(personas.org_b):
        assert not Application.objects.exists()


def test_it_shows_help_at_once_and_tells_the_coordinator_in_crisis(
    client, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(personas), {**FORM, "in_crisis": "yes"}, follow=True)
    page = response.content.decode()
    assert "Få hjælp nu" in page
    assert 'href="tel:112"' in page
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["carl@example.org", "jonas@example.org"]
    alert = next(message for message in mail.outbox if "carl@example.org" in message.to)
    assert "Jonas" not in alert.body


def test_it_saves_nothing_from_robots(client, personas):
    response = client.post(url(personas), {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    with in_org(personas.org_b):
        assert not Application.objects.exists()


def test_it_answers_kindly_for_an_unknown_organisation(client, db):
    response = client.get(reverse("volunteer_apply", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404
    assert 'href="tel:112"' in response.content.decode()


def test_it_speaks_english_when_asked(english, personas):
    response = english.get(url(personas))
    assert "Become a volunteer peer" in response.content.decode()
