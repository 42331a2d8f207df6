"""The citizen page: profile, requests, consents with history, timeline, who may see it."""

from django.urls import reverse
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.intake import services
from brobyg.orgs.choices import Role
from brobyg.people import selectors as people_selectors
from brobyg.people import services as people_services
from brobyg.test import in_org, make_member, make_programme, make_request, make_user

CPR = "010190-1234"


def _url(citizen):
    return reverse("intake_citizen_detail", kwargs={"public_id": citizen.public_id})


def _citizen_with_history(personas):
    """A citizen with a CPR number, two requests, and a consent given and then withdrawn."""
    with in_org(personas.org_a):
        first, _token = services.request_submit(
            programme=personas.programme_a,
            citizen_data={"name": "Mette Holm", "phone": "20304050"},
            request_data={"purposes": ["wellbeing"]},
            consents=["support", "questionnaires"],
            in_crisis=False,
            cpr=CPR,
        )
        citizen = first.citizen
        people_services.consent_record(
            actor=personas.alice,
            citizen=citizen,
            purpose="questionnaires",
            given=False,
            method="phone",
        )
        second_programme = make_programme(personas.org_a, "Recovery-mentorer")
        services.request_change_status(
            actor=personas.alice, support_request=first, status="screened"
        )
    return citizen, first, second_programme


def test_it_shows_the_profile_with_the_cpr_number_masked(client, personas):
    citizen, _request, _programme = _citizen_with_history(personas)
    client.force_login(personas.alice)
    response = client.get(_url(citizen))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mette Holm" in page and "20304050" in page
    assert "010190-xxxx" in page
    assert CPR not in page and CPR.replace("-", "") not in page


def test_it_shows_requests_consents_with_history_and_a_timeline_newest_first(client, personas):
    citizen, support_request, _programme = _citizen_with_history(personas)
    client.force_login(personas.alice)
    response = client.get(_url(citizen))
    context = response.context
    assert [r.pk for r in context["requests"]] == [support_request.pk]
    current = {consent.purpose: consent.given for consent in context["current_consents"]}
    assert current == {"support": True, "questionnaires": False}
    assert len(context["consent_history"]) == 3
    moments = [item["at"] for item in context["timeline"]]
    assert moments == sorted(moments, reverse=True)
    kinds = [item["kind"] for item in context["timeline"]]
    assert kinds.count("consent") == 3 and kinds.count("request_event") == 2
    assert reverse("intake_request_detail", args=[support_request.public_id]) in (
        response.content.decode()
    )


def test_it_logs_every_view_as_a_read_about_the_citizen(client, personas):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    client.force_login(personas.maja)
    client.get(_url(citizen))
    entry = LogEntry.objects.get(actor=personas.maja, action="read")
    assert (entry.subject_type, entry.subject_id) == ("citizen", str(citizen.public_id))
    assert entry.object_id == str(citizen.public_id)
    assert entry.reason == "citizen page"


def test_it_shows_a_peer_no_citizen_and_logs_the_attempt_as_denied(client, personas):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    client.force_login(personas.bob)
    response = client.get(_url(citizen))
    assert response.status_code == 404
    assert "Mette Holm" not in response.content.decode()
    denied = LogEntry.objects.get(actor=personas.bob, action="denied")
    assert denied.organisation == personas.org_a
    assert denied.object_id == str(citizen.public_id)
    assert not LogEntry.objects.filter(actor=personas.bob, action="read").exists()


def test_it_answers_another_organisations_coordinator_404_and_logs_it(client, personas):
    support_request, _token = make_request(personas.programme_a)
    client.force_login(personas.carl)
    assert client.get(_url(support_request.citizen)).status_code == 404
    assert LogEntry.objects.filter(
        actor=personas.carl, action="denied", organisation=personas.org_a
    ).exists()


def test_it_lets_coordinators_and_managers_see_all_citizens_and_peers_none_yet(personas):
    support_request, _token = make_request(personas.programme_a)
    citizen = support_request.citizen
    both = make_user("both@example.org", "Peer og koordinator")
    membership = make_member(personas.org_a, both, [Role.PEER, Role.COORDINATOR])
    with scope(organisation=personas.org_a.pk):
        for member, expected in [
            (personas.alice_membership, [citizen]),
            (personas.maja_membership, [citizen]),
            (membership, [citizen]),
            (personas.bob_membership, []),
            (personas.rita_membership, []),
            (personas.ada_membership, []),
        ]:
            assert list(people_selectors.citizens_visible_to(member)) == expected, member.roles
    with scope(organisation=personas.org_b.pk):
        assert list(people_selectors.citizens_visible_to(personas.carl_membership)) == []


def test_it_offers_merging_possible_duplicates_to_coordinators_only(client, personas):
    first, _token = make_request(personas.programme_a, name="Mette Holm")
    second, _token = make_request(personas.programme_a, name="M. Holm")
    merge_url = reverse("intake_citizen_merge", args=[first.citizen.public_id])
    client.force_login(personas.alice)
    response = client.get(_url(first.citizen))
    assert [m["citizen"] for m in response.context["duplicates"]] == [second.citizen]
    assert response.context["duplicates"][0]["same"] == ["phone"]
    assert merge_url in response.content.decode()
    entry = LogEntry.objects.get(actor=personas.alice, action="read")
    assert entry.details == {"possible_duplicates": [str(second.citizen.public_id)]}
    client.force_login(personas.maja)
    response = client.get(_url(first.citizen))
    assert "M. Holm" in response.content.decode()
    assert merge_url not in response.content.decode()
