"""Hypothesis sends the public form and the referral form arbitrary text and choices.

Whatever arrives, the answer is never a server error, and a request is either saved whole
(citizen, at least one consent, request and its first event) or not at all.
"""

from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from brobyg.intake.tests.test_self_referral import counts, valid_data
from brobyg.people.models import ConsentMethod
from brobyg.test import make_request

FUZZ = hypothesis_settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a browser could send (lone surrogates cannot be encoded, so no browser sends them).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
LONG_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=150, max_size=2500)
CHECKBOX = st.sampled_from(["on", ""]) | TEXT


def _arbitrary(valid):
    """Something other than ``valid`` for one field: any text, or any list of texts and codes."""
    if isinstance(valid, list):
        return st.lists(st.sampled_from(valid) | TEXT, max_size=5)
    return TEXT | LONG_TEXT | st.just("")


def _submissions(valid: dict, extra=None):
    """A valid submission with some of its fields (maybe none, maybe all) replaced or left out."""
    fields = sorted(valid)

    @st.composite
    def build(draw):
        data = dict(valid)
        for name in draw(st.sets(st.sampled_from(fields))):
            if draw(st.booleans()):
                data.pop(name)
            elif extra and name in extra:
                data[name] = draw(extra[name] | _arbitrary(valid[name]))
            else:
                data[name] = draw(_arbitrary(valid[name]))
        return data

    return build()


def _check_whole_or_nothing(before, after, response):
    citizens, consents, requests, events = (b - a for a, b in zip(before, after, strict=True))
    assert response.status_code in (200, 302), response.status_code
    if citizens == 0:
        assert (consents, requests, events) == (0, 0, 0)
    else:
        assert citizens == 1 and consents >= 1 and requests == 1 and events == 1
        assert response.status_code == 302


def _public_valid():
    data = valid_data()
    data["consent_evaluation"] = "on"
    data["cpr"] = "010190-1234"
    return data


def test_it_never_fails_or_half_saves_a_self_referral(client, personas, settings):
    settings.BROBYG_INTAKE_RATE_LIMIT = (1_000_000, 600)
    url = reverse("intake_self_referral", kwargs={"public_id": personas.programme_a.public_id})
    extra = {
        "in_crisis": st.sampled_from(["yes", "no"]),
        "consent_support": CHECKBOX,
        "website": st.just(""),
    }

    @FUZZ
    @given(data=_submissions(_public_valid(), extra))
    def submit(data):
        before = counts()
        response = client.post(url, data)
        after = counts()
        _check_whole_or_nothing(before, after, response)
        if data.get("website", "").strip():
            assert after == before

    submit()


def test_it_never_fails_or_half_saves_a_self_referral_through_the_organisation(
    client, personas, settings
):
    settings.BROBYG_INTAKE_RATE_LIMIT = (1_000_000, 600)
    url = reverse(
        "intake_self_referral_organisation", kwargs={"public_id": personas.org_a.public_id}
    )
    valid = {**_public_valid(), "programme": str(personas.programme_a.public_id)}
    extra = {"programme": st.just(str(personas.programme_b.public_id))}

    @hypothesis_settings(FUZZ, max_examples=20)
    @given(data=_submissions(valid, extra))
    def submit(data):
        before = counts()
        response = client.post(url, data)
        _check_whole_or_nothing(before, counts(), response)

    submit()


def test_it_never_fails_or_half_saves_a_referral(client, personas):
    client.force_login(personas.rita)
    url = reverse("intake_referral_create")
    valid = valid_data(
        programme=str(personas.programme_a.public_id),
        referring_unit=str(personas.unit_a.public_id),
        referral_reason="Borgeren ønsker følgeskab.",
        consent_method="phone",
        website=None,
    )
    extra = {
        "programme": st.just(str(personas.programme_b.public_id)),
        "referring_unit": st.just(str(personas.unit_b.public_id)),
        "consent_method": st.sampled_from(ConsentMethod.values),
        "in_crisis": st.sampled_from(["yes", "no"]),
    }

    @FUZZ
    @given(data=_submissions(valid, extra))
    def submit(data):
        before = counts()
        response = client.post(url, data)
        _check_whole_or_nothing(before, counts(), response)

    submit()


def test_it_never_fails_on_arbitrary_contact_details_through_the_personal_link(client, personas):
    _support_request, token = make_request(personas.programme_a)
    url = reverse("intake_personal_page", kwargs={"token": token})
    valid = {
        "step": "contact",
        "contact-name": "Mette Holm",
        "contact-phone": "20304050",
        "contact-email": "mette@example.org",
        "contact-contact_times": "Efter kl. 16",
    }
    extra = {"step": st.sampled_from(["contact", "withdraw", ""])}

    @hypothesis_settings(FUZZ, max_examples=20)
    @given(data=_submissions(valid, extra))
    def submit(data):
        response = client.post(url, data)
        assert response.status_code in (200, 302)

    submit()
