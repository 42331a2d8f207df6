"""Staff pages: a citizen's scores over time, asking in person with a QR code, the
questionnaires, a programme's schedules."""

import pytest
from django.urls import reverse

from brobyg.audit.models import LogEntry
from brobyg.outcomes import services, services_answers
from brobyg.outcomes.models import Invitation, Response, Schedule
from brobyg.outcomes.tests.helpers import consenting_citizen, load_pack
from brobyg.people.services import citizens_merge
from brobyg.test import in_org


def answered(citizen, instrument, answers, timepoint="baseline"):
    with in_org(citizen.organisation):
        invitation, _ = services.invitation_create_in_person(
            actor=None, citizen=citizen, instrument=instrument, timepoint=timepoint
        )
        services_answers.response_save(invitation=invitation, answers=answers)
        return services_answers.response_complete(invitation=invitation)


@pytest.fixture
def citizen(personas):
    return consenting_citizen(personas.programme_a)


def test_the_citizen_page_charts_scores_over_time_with_a_table(
    client, personas, instruments, citizen
):
    answered(citizen, instruments["who-5"], {"w1": 1, "w2": 1, "w3": 2, "w4": 1, "w5": 1})
    answered(
        citizen,
        instruments["who-5"],
        {"w1": 3, "w2": 3, "w3": 3, "w4": 3, "w5": 3},
        timepoint="followup_3m",
    )
    client.force_login(personas.alice)
    response = client.get(reverse("outcomes_citizen", args=[citizen.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "<table" in html and ">24<" in html and ">60<" in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>")[0]  # strict CSP
    assert LogEntry.objects.filter(
        action="read", actor=personas.alice, subject_id=str(citizen.public_id)
    ).exists()


def test_it_answers_404_to_another_organisations_staff_and_to_peers(
    client, personas, instruments, citizen
):
    url = reverse("outcomes_citizen", args=[citizen.public_id])
    client.force_login(personas.carl)
    assert client.get(url).status_code == 404
    client.force_login(personas.bob)
    assert client.get(url).status_code == 404  # peers see only their own courses' citizens


def test_asking_in_person_gives_a_printable_qr_code(client, personas, instruments, citizen):
    client.force_login(personas.alice)
    response = client.post(
        reverse("outcomes_citizen_invite", args=[citizen.public_id]),
        {"instrument": str(instruments["brobyg-chime"].public_id), "timepoint": "followup_3m"},
    )
    with in_org(personas.org_a):
        invitation = Invitation.objects.get(citizen=citizen)
    assert response["Location"] == reverse("outcomes_invitation_print", args=[invitation.public_id])
    assert invitation.anchor_kind == "manual" and invitation.timepoint == "followup_3m"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert '<svg aria-hidden="true"' in html and 'class="qr"' in html
    assert "/q/" in html
    assert "Jeg har mennesker i mit liv, som jeg kan gå til." in html  # the paper version
    assert html.count("paper-box") == 12 * 5


def test_asking_in_person_needs_consent_and_keeps_the_choice(client, personas, instruments):
    from brobyg.test import make_request

    with in_org(personas.org_a):
        support_request, _ = make_request(personas.programme_a)
    client.force_login(personas.alice)
    response = client.post(
        reverse("outcomes_citizen_invite", args=[support_request.citizen.public_id]),
        {"instrument": str(instruments["who-5"].public_id), "timepoint": "end"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert 'value="end" selected' in response.content.decode()
    with in_org(personas.org_a):
        assert not Invitation.objects.exists()


def test_licensed_questionnaires_are_offered_only_with_the_organisations_pack(
    client, personas, instruments, citizen
):
    client.force_login(personas.alice)
    url = reverse("outcomes_citizen", args=[citizen.public_id])
    qpr = str(instruments["qpr-15"].public_id)
    assert qpr not in client.get(url).content.decode()
    load_pack(personas.org_a, "qpr-15")
    assert qpr in client.get(url).content.decode()


def test_the_questionnaire_pages_show_licence_scoring_and_pack_state(client, personas, instruments):
    client.force_login(personas.maja)
    listing = client.get(reverse("outcomes_instrument_list")).content.decode()
    assert "WHO-5" in listing and "QPR-15" in listing
    detail = client.get(
        reverse("outcomes_instrument_detail", args=[instruments["brief-inspire-o"].public_id])
    ).content.decode()
    assert "b1" in detail and "Moeller" in detail
    assert "text (da)" not in detail  # no pack loaded


def test_a_programmes_schedules_are_added_paused_and_started(client, personas, instruments):
    client.force_login(personas.alice)
    url = reverse("outcomes_programme_schedules", args=[personas.programme_a.public_id])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "defaults"})
    with in_org(personas.org_a):
        assert Schedule.objects.filter(programme=personas.programme_a).count() == 3
    bad = client.post(
        url,
        {
            "action": "add",
            "anchor_kind": "peer",
            "instrument": str(instruments["who-5"].public_id),
            "every_days": "14",
        },
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    added = client.post(
        url,
        {
            "action": "add",
            "anchor_kind": "match",
            "instrument": str(instruments["who-5"].public_id),
            "baseline": "on",
            "followup_months": "3, 12",
        },
    )
    assert added.status_code == 302
    with in_org(personas.org_a):
        schedule = Schedule.objects.get(instrument__code="who-5")
    assert schedule.timing == {"baseline": True, "followup_months": [3, 12], "end": False}
    client.post(reverse("outcomes_schedule_toggle", args=[schedule.public_id]))
    with in_org(personas.org_a):
        assert not Schedule.objects.get(pk=schedule.pk).is_active


def test_merging_two_records_moves_the_answers(personas, instruments, citizen):
    duplicate = consenting_citizen(personas.programme_a, email="mette@example.org")
    answered(duplicate, instruments["who-5"], {"w1": 1, "w2": 1, "w3": 2, "w4": 1, "w5": 1})
    with in_org(personas.org_a):
        open_invitation, _ = services.invitation_create_in_person(
            actor=None, citizen=duplicate, instrument=instruments["who-5"], timepoint="end"
        )
        citizens_merge(actor=personas.alice, keep=citizen, duplicate=duplicate)
        assert Response.objects.get().citizen == citizen
        moved = Invitation.objects.get(pk=open_invitation.pk)
    assert moved.citizen == citizen and moved.is_expired


def test_the_citizen_page_uses_a_fixed_number_of_queries(
    client, personas, instruments, citizen, django_assert_max_num_queries
):
    for timepoint in ("baseline", "followup_3m", "followup_6m", "end"):
        answered(citizen, instruments["brobyg-chime"], {"c1": 2, "h1": 3}, timepoint=timepoint)
        answered(citizen, instruments["who-5"], {"w1": 2}, timepoint=timepoint)
    client.force_login(personas.alice)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("outcomes_citizen", args=[citizen.public_id]))
    assert response.content.decode().count("<svg") == 2
