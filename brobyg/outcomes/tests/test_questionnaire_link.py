"""Answering through a personal link: one question per screen or one page, save and continue,
Danish or English, and a used or expired link that says so kindly."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brobyg.audit.models import LogEntry
from brobyg.outcomes import services
from brobyg.outcomes.models import Invitation, Response, Score
from brobyg.outcomes.tests.helpers import consenting_citizen, load_pack
from brobyg.test import in_org


@pytest.fixture
def citizen(personas):
    return consenting_citizen(personas.programme_a)


def invite(citizen, instrument, timepoint="baseline"):
    with in_org(citizen.organisation):
        return services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instrument, timepoint=timepoint
        )


def url(token, query=""):
    return reverse("outcomes_answer", kwargs={"token": token}) + query


def saved(invitation) -> Response:
    with in_org(invitation.organisation):
        return Response.objects.get(invitation=invitation)


def test_it_asks_one_question_per_screen_and_keeps_every_answer(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["who-5"])
    intro = client.get(url(token))
    assert intro.status_code == 200
    html = intro.content.decode()
    assert "WHO-5" in html and "?step=1" in html and "?all=1" in html
    assert intro["Referrer-Policy"] == "strict-origin"
    assert "noindex" in intro["X-Robots-Tag"] and "no-store" in intro["Cache-Control"]

    page = client.get(url(token, "?step=1")).content.decode()
    assert "Jeg har været glad og i godt humør." in page
    assert page.count('type="radio"') == 6
    response = client.post(url(token), {"step": 1, "nav": "next", "item_w1": "4"})
    assert response.status_code == 302 and response["Location"].endswith("?step=2")
    # Skipping a question is allowed: it is missing.
    client.post(url(token), {"step": 2, "nav": "next"})
    client.post(url(token), {"step": 3, "nav": "next", "item_w3": "3"})
    assert saved(invitation).answers == {"w1": 4, "w3": 3}
    # Going back keeps the answer and shows it chosen.
    back = client.post(url(token), {"step": 3, "nav": "back", "item_w3": "2"})
    assert back["Location"].endswith("?step=2")
    assert re.search(r'value="2"[^>]*checked', client.get(url(token, "?step=3")).content.decode())


def test_it_saves_and_continues_later_where_the_respondent_left_off(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["who-5"])
    later = client.post(url(token), {"step": 1, "nav": "later", "item_w1": "5"})
    assert later.status_code == 200
    assert "saved" in later.content.decode().lower() or "gemt" in later.content.decode()
    assert saved(invitation).current_step == 2
    # Coming back later, the link offers to continue at question 2.
    assert "?step=2" in client.get(url(token)).content.decode()


def test_it_sends_scores_and_refuses_reuse(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["who-5"])
    for step, value in enumerate([5, 4, 3, 2, 1], start=1):
        client.post(url(token), {"step": step, "nav": "next", f"item_w{step}": str(value)})
    finish = client.get(url(token, "?step=6"))
    assert 'name="mode"' in finish.content.decode()
    done = client.post(url(token), {"step": 6, "nav": "send", "mode": "assisted"})
    assert done.status_code == 302
    response = saved(invitation)
    assert response.is_completed and response.mode == "assisted"
    assert response.total == 60
    with in_org(citizen.organisation):
        assert Score.objects.get(response=response, scale="total").value == 60
        assert Invitation.objects.get(pk=invitation.pk).is_completed
    # The used link thanks, and will not take answers again.
    again = client.get(url(token, "?step=1"))
    assert again.status_code == 200
    assert 'name="nav"' not in again.content.decode()
    client.post(url(token), {"step": 1, "nav": "next", "item_w1": "0"})
    assert saved(invitation).answers["w1"] == 5


def test_it_answers_every_question_on_one_page(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["brobyg-chime"])
    page = client.get(url(token, "?all=1")).content.decode()
    assert page.count("<fieldset") == 13  # 12 questions and "how was it filled in"
    data = {"all": "1", "nav": "send", "mode": "self", "see_chart": "on"}
    data.update({f"item_{item}": "3" for item in ("c1", "c2", "h1", "h2", "i1", "i2")})
    data.update({f"item_{item}": "3" for item in ("m1", "m2", "e1", "e2", "e3")})
    data["item_c3"] = "1"  # lonely a little: reversed to 3
    assert client.post(url(token), data).status_code == 302
    response = saved(invitation)
    assert response.total == 3 and response.citizen_sees_chart
    # The citizen chose to see their chart: the used link shows it, and logs the read.
    done = client.get(url(token)).content.decode()
    assert "<svg" in done and 'role="img"' in done and "<table" in done
    with in_org(citizen.organisation):
        assert LogEntry.objects.filter(
            action="read", subject_id=str(citizen.public_id), object_id=str(response.public_id)
        ).exists()


def test_it_keeps_what_was_typed_when_an_answer_is_off_the_scale(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["who-5"])
    data = {"all": "1", "nav": "send", "mode": "self", "item_w1": "9", "item_w2": "3"}
    response = client.post(url(token), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert re.search(r'name="item_w2" value="3"[^>]*checked', html)
    with in_org(citizen.organisation):
        assert not Response.objects.filter(invitation=invitation).exists()


def test_it_shows_the_questionnaire_in_english_when_chosen(client, instruments, citizen):
    _invitation, token = invite(citizen, instruments["who-5"])
    client.cookies["django_language"] = "en"
    page = client.get(url(token, "?step=1")).content.decode()
    assert "I have felt cheerful and in good spirits." in page
    assert "All of the time" in page


def test_an_expired_link_says_so_kindly(client, instruments, citizen):
    invitation, token = invite(citizen, instruments["who-5"])
    with in_org(citizen.organisation):
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    response = client.get(url(token, "?step=1"))
    assert response.status_code == 410
    assert 'name="nav"' not in response.content.decode()
    assert client.post(url(token), {"step": 1, "item_w1": "3"}).status_code == 410


def test_an_unknown_link_is_404_with_a_kind_page(client, db):
    response = client.get(url("x" * 43))
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    assert client.get(url("y" * 150)).status_code == 404


def test_a_licensed_questionnaire_shows_the_organisations_pack(
    client, instruments, citizen, personas
):
    load_pack(personas.org_a, "qpr-15")
    _invitation, token = invite(citizen, instruments["qpr-15"])
    page = client.get(url(token, "?step=1")).content.decode()
    assert "q1 text (da)" in page and "4 (da)" in page


def test_a_citizen_without_consent_is_not_asked(instruments, personas):
    from django.core.exceptions import ValidationError

    from brobyg.test import make_request

    with in_org(personas.org_a):
        support_request, _ = make_request(personas.programme_a)
    with pytest.raises(ValidationError):
        invite(support_request.citizen, instruments["who-5"])
