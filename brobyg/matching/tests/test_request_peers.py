"""A request's candidates read by the database (``request_peers``) are exactly the full
engine's: every active peer of the programme loaded as a profile, featurised in Python and
scored, with cautions asked for every allowed peer (the page's way before issue 23)."""

import random
from types import SimpleNamespace

import numpy as np
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from brobyg.intake.models import Availability, PeerTypeWish
from brobyg.matching import selectors
from brobyg.matching.engine import scoring
from brobyg.matching.engine.features import CRITERIA, MAX_WEIGHT
from brobyg.matching.explain import pair_explanation
from brobyg.matching.extract import peer_features, request_features, wish_view
from brobyg.matching.models import Exclusion, Match, MatchStatus, ProgrammeWeights
from brobyg.matching.request_peers import JsonListHasAny
from brobyg.orgs.choices import Purpose, SupportType
from brobyg.people.models import (
    AVAILABILITY_SLOTS,
    AgeBand,
    ExperienceArea,
    Gender,
    Peer,
    PeerStatus,
    PreferredForm,
)
from brobyg.test import (
    assert_queries_do_not_grow,
    in_org,
    make_course,
    make_member,
    make_peer,
    make_user,
    make_waiting_request,
)

MUNICIPALITIES = ["København", "Rudersdal", "Aarhus", "Fanø", "Brøndby"]
LANGUAGES = ["da", "en", "ar", "tr", "so"]
LANGUAGE_NAMES = ["", "", "engelsk", "arabisk", "tyrkisk", "Somali", "klingon"]


def full_engine(support_request, wishes, *, limit):
    """The reference: the page's candidates as the engine gave them from every peer's
    profile (the code of ``candidates_for_request`` before the database read the features)."""
    programme = support_request.programme
    peers = list(
        Peer.objects.filter(organisation=support_request.organisation, programmes=programme)
        .select_related("user")
        .prefetch_related("programmes")
        .order_by("pk")
    )
    active = [peer for peer in peers if peer.is_matchable]
    if not active:
        return selectors.CandidateList(reason={"code": "no_active_peers"})
    view = wish_view(support_request, wishes)
    programme_index = {programme.pk: 0}
    counts = selectors.live_counts(programme.organisation_id, (peer.pk for peer in active))
    requests = request_features([view], programme_index)
    peer_arrays = peer_features(active, programme_index, counts)
    excluded = set(
        Exclusion.objects.filter(citizen=support_request.citizen).values_list("peer_id", flat=True)
    )
    exclusions = np.array(
        [(0, j) for j, peer in enumerate(active) if peer.pk in excluded], dtype=np.int64
    ).reshape(-1, 2)
    weights = selectors.programme_weights(programme)
    scores, allowed = scoring.score_matrix(requests, peer_arrays, weights, exclusions)
    allowed_peers = np.flatnonzero(allowed[0])
    if allowed_peers.size == 0:
        masks = scoring.constraint_masks(requests, peer_arrays, exclusions)
        return selectors.CandidateList(reason=selectors._first_failing(masks, view, active))
    cautions = selectors.peer_cautions(
        support_request.organisation, [active[j].pk for j in allowed_peers]
    )
    scores = scores.copy()
    for j in allowed_peers:
        if cautions.get(active[j].pk):
            scores[0, j] -= selectors.CAUTION_PENALTY
    order = allowed_peers[np.argsort(-scores[0, allowed_peers], kind="stable")]
    if limit is not None:
        order = order[:limit]
    applicable, similarity = scoring.components(requests, peer_arrays.take(order))
    weight_vector = scoring.weights_vector(weights)
    candidates = [
        selectors.Candidate(
            peer=active[j],
            score=float(scores[0, j]),
            explanation=selectors._with_caution(
                pair_explanation(
                    view,
                    active[j],
                    counts.get(active[j].pk, 0),
                    applicable[0],
                    similarity[0, k],
                    weight_vector,
                ),
                cautions.get(active[j].pk),
            ),
            live=counts.get(active[j].pk, 0),
        )
        for k, j in enumerate(order)
    ]
    return selectors.CandidateList(candidates=candidates, allowed_count=int(allowed_peers.size))


def _some(rng, values, most=3):
    return rng.sample(list(values), rng.randint(0, min(most, len(values))))


def _peers(personas, rng, count):
    """Peers of programme A with varied profiles; a few paused, ended or onboarding."""
    made = []
    for number in range(count):
        user = make_user(f"peer{number}@example.org", f"Peer {number}", with_second_factor=False)
        make_member(personas.org_a, user, ["peer"])
        min_age = rng.choice([0, 18, 25, 40])
        made.append(
            make_peer(
                personas.org_a,
                user,
                [personas.programme_a],
                kind=rng.choice(SupportType.values),
                status=rng.choices(PeerStatus.values, [1, 12, 1, 1])[0],
                capacity=rng.choice([1, 1, 2, 3, 5]),
                experience_areas=_some(rng, ExperienceArea.values),
                strengths=_some(rng, Purpose.values),
                forms=_some(rng, PreferredForm.values),
                availability=_some(rng, AVAILABILITY_SLOTS, 5),
                municipalities=_some(rng, MUNICIPALITIES, 2),
                languages=["da", *_some(rng, LANGUAGES[1:], 2)],
                works_remote=rng.random() < 0.4,
                gender=rng.choice(["", *Gender.values]),
                age_band=rng.choice(["", *AgeBand.values]),
                supports_min_age=min_age,
                supports_max_age=rng.choice([min_age + 20, 120]),
            )
        )
    return made


def _live_places(personas, peers):
    """Proposals waiting for an answer and live courses: places taken, a few peers full."""
    for number, peer in enumerate(peers[:4]):
        make_course(personas.programme_a, peer, actor=personas.alice, phone=f"3100000{number}")
    for number, peer in enumerate(peers[2:8]):
        support_request, _token = make_waiting_request(
            personas.programme_a, name=f"Borger {number}", phone=f"3200000{number}"
        )
        with scopes_disabled():
            Match.objects.create(
                organisation=personas.org_a,
                programme=personas.programme_a,
                support_request=support_request,
                citizen=support_request.citizen,
                peer=peer,
                status=rng_status(number),
                score=50,
                proposed_by=personas.alice,
            )


def rng_status(number):
    return [MatchStatus.PROPOSED, MatchStatus.PEER_ACCEPTED][number % 2]


def _vary(rng, support_request, updated_by):
    """The request, its citizen and the coordinator's wishes drawn anew (not saved: both
    ways read them from the objects), and the programme's weights (saved)."""
    support_request.purposes = _some(rng, Purpose.values)
    support_request.forms = _some(rng, PreferredForm.values)
    support_request.availability = _some(rng, Availability.values)
    support_request.peer_type = rng.choice(["", *PeerTypeWish.values])
    support_request.wish_gender = rng.choice(["", *Gender.values])
    support_request.wish_age_band = rng.choice(["", *AgeBand.values])
    support_request.wish_language = rng.choice(LANGUAGE_NAMES)
    citizen = support_request.citizen
    citizen.municipality = rng.choice(["", "Københavns Kommune", *MUNICIPALITIES, "Atlantis"])
    citizen.birth_year = rng.choice([None, 1940, 1975, 1990, 2004, 2012])
    musts = [code for code in CRITERIA if code != "load" and rng.random() < 0.08]
    with scopes_disabled():
        ProgrammeWeights.objects.update_or_create(
            programme=support_request.programme,
            defaults={
                "organisation": support_request.organisation,
                "weights": {code: rng.randint(0, MAX_WEIGHT) for code in CRITERIA},
                "updated_by": updated_by,
            },
        )
    return SimpleNamespace(
        experience_areas=_some(rng, ExperienceArea.values),
        language=rng.choice(["", "", *LANGUAGES]),
        musts=musts,
    )


def _answer(found):
    return (
        found.reason,
        found.allowed_count,
        [(c.peer.pk, c.score, c.explanation, c.live) for c in found.candidates],
    )


def test_it_gives_the_full_engines_answer_on_varied_data(personas, monkeypatch):
    rng = random.Random(23)
    peers = _peers(personas, rng, 36)
    _live_places(personas, peers)
    support_request, _token = make_waiting_request(personas.programme_a, name="Borger Søger")
    with scopes_disabled():
        for peer in rng.sample(peers, 5):
            Exclusion.objects.create(
                organisation=personas.org_a,
                citizen=support_request.citizen,
                peer=peer,
                created_by=personas.alice,
            )
    # Few cautioned peers, or most of them (then the best are asked in several rounds).
    cautioned = {}
    monkeypatch.setattr(
        selectors,
        "peer_cautions",
        lambda organisation, ids: {pk: cautioned[pk] for pk in ids if pk in cautioned},
    )
    seen = {"reasons": set(), "candidates": 0}
    with in_org(personas.org_a):
        for _round in range(70):
            wishes = _vary(rng, support_request, personas.alice)
            cautioned.clear()
            for peer in rng.sample(peers, rng.choice([0, 8, 30])):
                cautioned[peer.pk] = rng.choice([["asked_for_break"], ["credential_expired"]])
            for limit in (selectors.TOP_CANDIDATES, 1, None):
                fast = selectors.candidates_for_request(support_request, limit=limit, wishes=wishes)
                assert _answer(fast) == _answer(full_engine(support_request, wishes, limit=limit))
                seen["reasons"].add((fast.reason or {}).get("code"))
                seen["candidates"] = max(seen["candidates"], len(fast.candidates))
    # The data reached both the lists and the reasons why nobody fits.
    assert seen["candidates"] > selectors.TOP_CANDIDATES
    assert len(seen["reasons"]) >= 3


def test_a_peer_with_no_active_status_is_never_read(personas):
    make_peer(personas.org_a, personas.bob, [personas.programme_a], status=PeerStatus.PAUSED)
    support_request, _token = make_waiting_request(personas.programme_a)
    with in_org(personas.org_a):
        found = selectors.candidates_for_request(support_request)
    assert found.reason == {"code": "no_active_peers"}


@pytest.mark.parametrize(
    "words, expected",
    [(["København"], {"a"}), (["Rudersdal", "Fanø"], {"b", "c"}), (["københavn"], set())],
)
def test_a_json_list_is_matched_by_whole_words(personas, words, expected):
    names = {"a": ["København"], "b": ["Fanø", "Aarhus"], "c": ["Rudersdal"], "d": []}
    for key, municipalities in names.items():
        user = make_user(f"{key}@example.org", key, with_second_factor=False)
        make_peer(personas.org_a, user, [], municipalities=municipalities)
    with in_org(personas.org_a):
        found = Peer.objects.annotate(has=JsonListHasAny("municipalities", words)).filter(has=True)
        assert {peer.user.full_name for peer in found} == expected


def test_the_page_costs_the_same_queries_with_many_more_peers_who_fit(client, personas):
    """Two peers who fit, then twenty more: the same queries."""
    support_request, _token = make_waiting_request(personas.programme_a, name="Borger Søger")
    rng = random.Random(7)

    def add(count, start):
        for number in range(start, start + count):
            user = make_user(f"p{number}@example.org", f"Peer {number}", with_second_factor=False)
            make_member(personas.org_a, user, ["peer"])
            make_peer(
                personas.org_a,
                user,
                [personas.programme_a],
                experience_areas=_some(rng, ExperienceArea.values),
                availability=_some(rng, AVAILABILITY_SLOTS, 4),
            )

    add(2, 0)
    client.force_login(personas.alice)
    url = reverse("matching_request", args=[support_request.public_id])
    response = assert_queries_do_not_grow(client, url, grow=lambda: add(20, 100))
    assert "22 peer-støtter opfylder de faste krav" in response.content.decode()
