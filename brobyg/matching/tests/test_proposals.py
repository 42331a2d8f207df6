"""One request: candidates with explanations, a proposal, the peer's and the citizen's answers."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from brobyg.audit.models import LogEntry
from brobyg.intake.models import Status
from brobyg.matching import selectors, services
from brobyg.matching.models import Exclusion, Match, MatchStatus, RequestWishes
from brobyg.people.models import PeerStatus
from brobyg.test import in_org, make_member, make_peer, make_user, make_waiting_request


@pytest.fixture
def peers(personas):
    """Bob (paid, anxiety, evenings) and two more peers in programme A."""
    anna = make_user("anna@example.org", "Anna Lund")
    make_member(personas.org_a, anna, ["peer"])
    karl = make_user("karl@example.org", "Karl Dam")
    make_member(personas.org_a, karl, ["peer"])
    return {
        "bob": make_peer(
            personas.org_a,
            personas.bob,
            [personas.programme_a],
            experience_areas=["anxiety", "depression"],
            availability=["tue_evening", "thu_evening"],
            municipalities=["Rudersdal"],
        ),
        "anna": make_peer(
            personas.org_a,
            anna,
            [personas.programme_a],
            experience_areas=["psychosis"],
            availability=["mon_morning"],
            languages=["da", "ar"],
        ),
        "karl": make_peer(
            personas.org_a,
            karl,
            [personas.programme_a],
            status=PeerStatus.PAUSED,
            experience_areas=["anxiety"],
            availability=["tue_evening"],
            municipalities=["Rudersdal"],
        ),
    }


def _waiting(personas, **request_data):
    data = {"purposes": ["wellbeing"], "forms": ["individual"], **request_data}
    support_request, _token = make_waiting_request(
        personas.programme_a,
        request_data=data,
        municipality="Rudersdal Kommune",
        email="mette@example.org",
    )
    return support_request


def _wish(personas, support_request, **data):
    with scope(organisation=personas.org_a.pk):
        services.wishes_update(actor=personas.alice, support_request=support_request, data=data)


def test_the_best_peer_comes_first_with_each_criterion_explained(client, personas, peers):
    support_request = _waiting(personas, availability=["evenings"])
    _wish(personas, support_request, experience_areas=["anxiety"])
    client.force_login(personas.alice)
    url = reverse("matching_request", args=[support_request.public_id])
    response = client.get(url)
    candidates = response.context["candidates"]
    assert [c["peer"] for c in candidates] == [peers["bob"], peers["anna"]]
    page = response.content.decode()
    assert "I har begge erfaring med angst" in page
    assert "Kan mødes om aftenen" in page
    assert "Dækker Rudersdal" in page
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert "You both have experience with anxiety" in page
    assert "Can meet in the evening" in page


def test_a_paused_peer_is_never_proposed_even_as_the_best_fit(client, personas, peers):
    support_request = _waiting(personas, availability=["evenings"])
    with scope(organisation=personas.org_a.pk):
        found = selectors.candidates_for_request(support_request, limit=None)
        assert peers["karl"] not in [c.peer for c in found.candidates]
        with translation.override("en"), pytest.raises(ValidationError, match="paused"):
            services.match_propose(
                actor=personas.alice, support_request=support_request, peer=peers["karl"]
            )


def test_a_request_nobody_can_take_says_why(client, personas, peers):
    support_request = _waiting(personas)
    _wish(personas, support_request, language="so", musts=["language"])
    client.force_login(personas.alice)
    response = client.get(reverse("matching_request", args=[support_request.public_id]))
    assert response.context["candidates"] == []
    assert "Ingen ledig peer-støtte taler somali, og det er et krav." in response.content.decode()


def test_a_language_the_citizen_wrote_themself_is_understood(personas, peers):
    support_request = _waiting(personas, wish_language="Arabisk")
    with scope(organisation=personas.org_a.pk):
        RequestWishes.objects.create(
            organisation=personas.org_a,
            support_request=support_request,
            musts=["language"],
            updated_by=personas.alice,
        )
        found = selectors.candidates_for_request(support_request)
    assert [c.peer for c in found.candidates] == [peers["anna"]]


def _propose(client, personas, support_request, peer):
    client.force_login(personas.alice)
    return client.post(
        reverse("matching_request_propose", args=[support_request.public_id]),
        {"peer": peer.public_id, "note": "Hun vil gerne gå ture."},
    )


def test_proposal_accepted_by_peer_then_citizen_makes_an_active_match(
    client, personas, peers, django_capture_on_commit_callbacks
):
    support_request = _waiting(personas)
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(client, personas, support_request, peers["bob"])
    with in_org(personas.org_a):
        match = Match.objects.get(support_request=support_request)
    assert response.url == reverse("matching_match_detail", args=[match.public_id])
    assert match.status == MatchStatus.PROPOSED
    assert mail.outbox[-1].to == [personas.bob.email]
    assert "Mette" not in mail.outbox[-1].body  # staff e-mails hold no personal data

    client.force_login(personas.bob)
    page = client.get(reverse("matching_match_detail", args=[match.public_id]))
    assert "Hun vil gerne gå ture." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("matching_match_peer_answer", args=[match.public_id]), {"answer": "accept"}
        )
    match.refresh_from_db()
    assert match.status == MatchStatus.PEER_ACCEPTED
    assert mail.outbox[-1].to == ["mette@example.org"]
    path = re.search(r"https?://[^/\s]+(/my-match/\S+/)", mail.outbox[-1].body).group(1)

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bob" in text and "Nielsen" not in text
    assert "angst" not in text  # the peer's lived experience is for coordinators only
    response = client.post(path, {"answer": "accept"})
    assert "Tak for dit svar" in response.content.decode()
    match.refresh_from_db()
    support_request.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE and match.activated_at
    assert support_request.status == Status.MATCHED
    again = client.get(path)
    assert again.status_code == 404
    assert "Linket virker ikke længere" in again.content.decode()
    with in_org(personas.org_a):
        assert LogEntry.objects.filter(
            action="read", reason="citizen's personal link: a proposal"
        ).exists()


def test_a_peer_can_decline_and_ask_never_to_be_proposed_again(client, personas, peers):
    support_request = _waiting(personas)
    _propose(client, personas, support_request, peers["bob"])
    with in_org(personas.org_a):
        match = Match.objects.get(support_request=support_request)
    client.force_login(personas.bob)
    client.post(
        reverse("matching_match_peer_answer", args=[match.public_id]),
        {"answer": "decline", "reason": "Jeg kender hende privat.", "exclude": "on"},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED_BY_PEER
    with scope(organisation=personas.org_a.pk):
        assert Exclusion.objects.filter(citizen=support_request.citizen, peer=peers["bob"]).exists()
        found = selectors.candidates_for_request(support_request)
    assert peers["bob"] not in [c.peer for c in found.candidates]


def test_only_the_proposed_peer_may_answer(client, personas, peers):
    support_request = _waiting(personas)
    _propose(client, personas, support_request, peers["bob"])
    with in_org(personas.org_a):
        match = Match.objects.get(support_request=support_request)
    client.force_login(peers["anna"].user)
    response = client.post(
        reverse("matching_match_peer_answer", args=[match.public_id]), {"answer": "accept"}
    )
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_a_full_peer_cannot_be_proposed(personas, peers):
    with in_org(personas.org_a):
        peers["anna"].capacity = 1
        peers["anna"].save()
    first = _waiting(personas)
    second, _token = make_waiting_request(personas.programme_a, name="Ole Bak", phone="31313131")
    with scope(organisation=personas.org_a.pk):
        services.match_propose(actor=personas.alice, support_request=first, peer=peers["anna"])
        with pytest.raises(ValidationError, match=r"full|fuld"):
            services.match_propose(actor=personas.alice, support_request=second, peer=peers["anna"])


def test_the_coordinator_records_an_answer_by_phone_and_can_end_without_rematch(
    client, personas, peers
):
    support_request = _waiting(personas)
    with scope(organisation=personas.org_a.pk):
        match = services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peers["bob"]
        )
        services.match_peer_answer(actor=personas.bob, match=match, accept=True)
    client.force_login(personas.alice)
    client.post(
        reverse("matching_match_record_citizen_answer", args=[match.public_id]),
        {"answer": "accept", "method": "phone"},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE and match.citizen_answer_method == "phone"
    response = client.post(reverse("matching_match_end", args=[match.public_id]), {})
    assert response.status_code == 200  # the reason is required; nothing changed
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    client.post(
        reverse("matching_match_end", args=[match.public_id]),
        {"reason": "Det fungerede ikke.", "do_not_rematch": "on"},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    with in_org(personas.org_a):
        exclusion = Exclusion.objects.get(citizen=support_request.citizen, peer=peers["bob"])
    assert exclusion.source == "ended_match"


def test_weights_change_the_ranking(client, personas, peers):
    support_request = _waiting(personas, availability=["weekday_daytime"])
    _wish(personas, support_request, experience_areas=["anxiety"])
    with scope(organisation=personas.org_a.pk):
        first = selectors.candidates_for_request(support_request).candidates[0].peer
    assert first == peers["bob"]  # shared experience (3) outweighs the daytime (3) + load tie
    client.force_login(personas.alice)
    url = reverse("matching_programme_weights", args=[personas.programme_a.public_id])
    weights = {c: 0 for c in ("purposes", "form", "area", "language", "peer_type", "gender")}
    weights |= {"shared_experience": 1, "availability": 10, "age": 0, "load": 0}
    assert client.post(url, weights).status_code == 302
    with scope(organisation=personas.org_a.pk):
        first = selectors.candidates_for_request(support_request).candidates[0].peer
    assert first == peers["anna"]
    bad = client.post(url, {**weights, "availability": 11})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_a_request_withdrawn_by_the_citizen_takes_its_pending_proposal_with_it(personas, peers):
    from brobyg.intake import services as intake_services

    support_request = _waiting(personas)
    with scope(organisation=personas.org_a.pk):
        match = services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peers["bob"]
        )
        intake_services.request_withdraw_by_citizen(support_request=support_request)
        match.refresh_from_db()
        assert match.status == MatchStatus.WITHDRAWN
        assert selectors.live_counts(peers["bob"].organisation_id, [peers["bob"].pk]) == {}


def test_merging_two_records_moves_matches_and_exclusions(personas, peers):
    from brobyg.people import services as people_services

    first = _waiting(personas)
    second, _token = make_waiting_request(personas.programme_a, name="M. Holm", phone="20304050")
    with scope(organisation=personas.org_a.pk):
        match = services.match_propose(
            actor=personas.alice, support_request=second, peer=peers["bob"]
        )
        services.exclusion_add(actor=personas.alice, citizen=second.citizen, peer=peers["anna"])
        services.exclusion_add(actor=personas.alice, citizen=first.citizen, peer=peers["anna"])
        people_services.citizens_merge(
            actor=personas.alice, keep=first.citizen, duplicate=second.citizen
        )
        match.refresh_from_db()
        assert match.citizen == first.citizen
        assert list(Exclusion.objects.values_list("citizen", flat=True)) == [first.citizen.pk]


def test_the_citizen_answers_from_their_personal_page_after_the_e_mailed_link_expired(
    client, personas, peers
):
    from datetime import timedelta

    from django.utils import timezone

    support_request, token = make_waiting_request(personas.programme_a, name="Lone Holm")
    proposal = reverse("matching_request_proposal", kwargs={"token": token})
    assert client.get(proposal).status_code == 404  # nothing to answer yet
    with in_org(personas.org_a):
        match = services.match_propose(
            actor=personas.alice, support_request=support_request, peer=peers["bob"]
        )
        services.match_peer_answer(actor=personas.bob, match=match, accept=True)
        Match.objects.filter(pk=match.pk).update(link_expires_at=timezone.now() - timedelta(1))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("intake_personal_page", kwargs={"token": token})).content.decode()
    assert "A peer has said yes" in page and proposal in page
    assert client.get(proposal).status_code == 200
    response = client.post(proposal, {"answer": "accept"})
    assert "Back to your request" in response.content.decode()
    with in_org(personas.org_a):
        match.refresh_from_db()
        assert match.status == MatchStatus.ACTIVE
        assert match.citizen_answer_method == "personal_link"
    assert client.get(proposal).status_code == 404


def _screened(personas):
    from brobyg.intake import services as intake_services
    from brobyg.test import make_request

    support_request, _token = make_request(personas.programme_a, name="Sofie Krog")
    with in_org(personas.org_a):
        intake_services.request_change_status(
            actor=personas.alice, support_request=support_request, status=Status.SCREENED
        )
    return support_request


def test_a_screened_request_is_matched_without_a_separate_waiting_list_step(
    client, english, personas, peers
):
    support_request = _screened(personas)
    client.force_login(personas.alice)
    url = reverse("matching_request", args=[support_request.public_id])
    page = client.get(url).content.decode()
    assert "Proposing a peer also puts it on the waiting list" in page
    assert "Propose Bob" in page
    # The propose form's address and each candidate's kind are built once for the page.
    propose_url = reverse("matching_request_propose", args=[support_request.public_id])
    assert f'<form method="post" action="{propose_url}" novalidate>' in page
    assert '<span class="tag">Paid peer support</span>' in page
    response = client.post(
        reverse("matching_request_propose", args=[support_request.public_id]),
        {"peer": peers["bob"].public_id, "note": ""},
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        support_request.refresh_from_db()
        assert support_request.status == Status.WAITING
        match = Match.objects.get(support_request=support_request)
        assert match.status == MatchStatus.PROPOSED
        changes = LogEntry.objects.filter(object_id=str(support_request.public_id), action="update")
        assert changes.filter(details__status={"before": "screened", "after": "waiting"}).exists()


def test_the_matching_page_offers_the_missing_step_instead_of_refusing(
    client, english, personas, peers
):
    from brobyg.test import make_request

    new_request, _token = make_request(personas.programme_a, name="Ny Borger")
    client.force_login(personas.alice)
    page = client.get(reverse("matching_request", args=[new_request.public_id])).content.decode()
    assert "Screen the request" in page
    assert reverse("intake_request_detail", args=[new_request.public_id]) in page
    assert "Propose Bob" not in page
    response = client.post(
        reverse("matching_request_propose", args=[new_request.public_id]),
        {"peer": peers["bob"].public_id, "note": "Hej"},
    )
    assert response.status_code == 200
    assert "Only a screened request or one on the waiting list can be matched." in (
        response.content.decode()
    )
    with in_org(personas.org_a):
        assert not Match.objects.filter(support_request=new_request).exists()


def test_a_screened_request_below_the_minimum_age_is_not_put_on_the_waiting_list(
    client, english, personas, peers
):
    support_request = _screened(personas)
    with in_org(personas.org_a):
        from brobyg.intake.models import SupportRequest

        SupportRequest.objects.filter(pk=support_request.pk).update(below_minimum_age=True)
    client.force_login(personas.alice)
    page = client.get(reverse("matching_request", args=[support_request.public_id]))
    assert "Override the age limit" in page.content.decode()
    response = client.post(
        reverse("matching_request_propose", args=[support_request.public_id]),
        {"peer": peers["bob"].public_id},
    )
    assert "minimum age" in response.content.decode()
    with in_org(personas.org_a):
        support_request.refresh_from_db()
        assert support_request.status == Status.SCREENED
        assert not Match.objects.filter(support_request=support_request).exists()
