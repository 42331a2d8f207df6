"""The citizen's personal link: the status in plain words, contact details, withdrawing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from brobyg.audit.models import LogEntry
from brobyg.intake.models import EventKind, RequestEvent, SupportRequest
from brobyg.test import in_org, make_request


def page(token: str) -> str:
    return reverse("intake_personal_page", kwargs={"token": token})


def contact(**overrides) -> dict:
    data = {
        "step": "contact",
        "contact-name": "Mette Holm",
        "contact-phone": "20304050",
        "contact-email": "",
        "contact-contact_times": "",
    }
    data.update(overrides)
    return data


def reload(support_request) -> SupportRequest:
    with in_org(support_request.organisation):
        return SupportRequest.objects.select_related("citizen").get(pk=support_request.pk)


def test_it_shows_the_status_in_plain_words_and_logs_each_view(client, personas):
    support_request, token = make_request(personas.programme_a)

    response = client.get(page(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert support_request.get_status_display() in html
    with translation.override("da"):
        explanation = gettext(
            "We have received your request. A coordinator will read it and contact you."
        )
    assert explanation in html
    assert personas.programme_a.name in html and personas.org_a.name in html
    assert 'value="Mette Holm"' in html
    # Links and forms on the page never pass on its secret address, not even to our own site.
    assert response["Referrer-Policy"] == "strict-origin"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]

    client.get(page(token))
    reads = LogEntry.objects.filter(action="read", object_id=str(support_request.public_id))
    assert reads.count() == 2
    entry = reads.first()
    assert entry.actor is None
    assert entry.organisation == personas.org_a
    assert entry.object_type == "intake.supportrequest"
    assert (entry.subject_type, entry.subject_id) == (
        "citizen",
        str(support_request.citizen.public_id),
    )
    assert entry.reason == "citizen's personal link"


def test_it_answers_404_for_unknown_and_expired_links(client, personas):
    support_request, token = make_request(personas.programme_a)
    assert client.get(page("not-a-real-token-" + "x" * 30)).status_code == 404
    assert client.get(page("y" * 150)).status_code == 404
    assert client.post(page("z" * 43), {"step": "withdraw_confirmed"}).status_code == 404

    with in_org(personas.org_a):
        SupportRequest.objects.filter(pk=support_request.pk).update(
            link_expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert client.get(page(token)).status_code == 404
    assert client.post(page(token), {"step": "withdraw_confirmed"}).status_code == 404
    assert reload(support_request).status == "new"
    assert not LogEntry.objects.filter(action="read").exists()


def test_it_shows_nothing_of_any_other_request(client, personas):
    _mine, token = make_request(personas.programme_a)
    make_request(personas.programme_a, name="Ole Berg", phone="99887766")
    make_request(personas.programme_b, name="Karen Dahl", phone="11223344")
    html = client.get(page(token)).content.decode()
    for other in ("Ole Berg", "99887766", "Karen Dahl", "11223344", personas.programme_b.name):
        assert other not in html


def test_it_lets_the_citizen_correct_their_contact_details(client, personas):
    support_request, token = make_request(personas.programme_a)

    response = client.post(
        page(token),
        contact(**{"contact-phone": "", "contact-email": "mette@example.org"}),
    )
    assert response.status_code == 302
    assert response["Location"] == page(token)
    citizen = reload(support_request).citizen
    assert (citizen.phone, citizen.email) == ("", "mette@example.org")
    with in_org(personas.org_a):
        kinds = list(
            RequestEvent.objects.filter(support_request=support_request).values_list(
                "kind", flat=True
            )
        )
    assert kinds == [EventKind.SUBMITTED, EventKind.CONTACT_UPDATED]
    assert LogEntry.objects.filter(
        action="update", subject_id=str(citizen.public_id), details={"fields": ["email", "phone"]}
    ).exists()
    assert "mette@example.org" in client.get(page(token)).content.decode()


def test_it_keeps_what_was_typed_when_contact_details_are_wrong(client, personas):
    support_request, token = make_request(personas.programme_a)
    response = client.post(
        page(token),
        contact(**{"contact-name": "Mette H.", "contact-phone": "", "contact-email": "mette@"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indtast en gyldig e-mail-adresse." in html
    assert 'value="Mette H."' in html and 'value="mette@"' in html
    assert 'href="#id_contact-email"' in html
    assert reload(support_request).citizen.name == "Mette Holm"


def test_it_withdraws_the_request_only_after_the_citizen_confirms(client, personas):
    support_request, token = make_request(personas.programme_a)

    confirm = client.post(page(token), {"step": "withdraw"})
    assert confirm.status_code == 200
    assert 'value="withdraw_confirmed"' in confirm.content.decode()
    assert reload(support_request).status == "new"

    response = client.post(page(token), {"step": "withdraw_confirmed"})
    assert response.status_code == 302
    withdrawn = reload(support_request)
    assert withdrawn.status == "withdrawn"
    with in_org(personas.org_a):
        event = RequestEvent.objects.filter(support_request=support_request).last()
    assert (event.from_status, event.to_status, event.actor) == ("new", "withdrawn", None)

    html = client.get(page(token)).content.decode()
    assert withdrawn.get_status_display() in html
    assert 'value="withdraw"' not in html

    # Withdrawing again changes nothing and breaks nothing.
    assert client.post(page(token), {"step": "withdraw_confirmed"}).status_code == 302
    with in_org(personas.org_a):
        assert RequestEvent.objects.filter(support_request=support_request).count() == 2


def test_it_never_withdraws_on_a_get(client, personas):
    support_request, token = make_request(personas.programme_a)
    client.get(page(token), {"step": "withdraw_confirmed"})
    assert reload(support_request).status == "new"
