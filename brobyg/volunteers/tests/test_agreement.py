"""The volunteer agreement: versions, sent by a personal link, accepted there, version and
moment kept."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope

from brobyg.test import in_org
from brobyg.volunteers import services_agreement


def publish(personas, text):
    with scope(organisation=personas.org_b.pk):
        return services_agreement.agreement_publish(
            actor=personas.carl, organisation=personas.org_b, text=text
        )


def test_a_changed_text_is_a_new_version(client, personas):
    client.force_login(personas.carl)
    response = client.post(reverse("volunteers_agreement"), {"text": "Du har tavshedspligt."})
    assert response.status_code == 302
    assert publish(personas, "Du har tavshedspligt.").number == 1
    assert publish(personas, "Du har tavshedspligt. Du får supervision.").number == 2
    response = client.post(reverse("volunteers_agreement"), {"text": "  "})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()


def test_the_applicant_accepts_through_the_personal_link(
    client, personas, apply_to, django_capture_on_commit_callbacks
):
    publish(personas, "Du har tavshedspligt.")
    application = apply_to()
    client.force_login(personas.carl)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("volunteers_send_agreement", args=[application.public_id]))
    (message,) = mail.outbox
    assert message.to == ["jonas@example.org"]
    path = message.body.split("http://")[1].split()[0]
    path = path[path.index("/") :]
    publish(personas, "En nyere tekst, som ikke blev sendt.")
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "Du har tavshedspligt." in page.content.decode()
    assert client.post(path, {}).status_code == 200  # the box must be ticked
    with time_machine.travel("2026-05-04 10:00 +02:00"):
        assert client.post(path, {"accept": "on"}).status_code == 302
    with in_org(personas.org_b):
        application.refresh_from_db()
    assert application.agreement_accepted.number == 1
    assert application.agreement_accepted_at.isoformat().startswith("2026-05-04T08:00")
    client.force_login(personas.carl)
    detail = client.get(reverse("volunteers_detail", args=[application.public_id]))
    assert "Version 1 accepteret" in detail.content.decode()


def test_an_unknown_or_expired_link_is_not_found(client, personas, apply_to):
    publish(personas, "Tekst")
    with time_machine.travel("2026-01-01 10:00 +01:00"):
        application = apply_to()
        with scope(organisation=personas.org_b.pk):
            token = services_agreement.agreement_send(actor=personas.carl, application=application)
    with time_machine.travel("2026-03-01 10:00 +01:00"):
        assert client.get(reverse("volunteer_agreement", args=[token])).status_code == 404
    assert client.get(reverse("volunteer_agreement", args=["nonsense"])).status_code == 404


def test_there_is_nothing_to_send_without_an_agreement(personas, apply_to):
    with scope(organisation=personas.org_b.pk), pytest.raises(ValidationError):
        services_agreement.agreement_send(actor=personas.carl, application=apply_to())
