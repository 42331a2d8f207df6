"""Authorisation-matrix rows; the format is described in orgs/tests/test_authorisation_matrix.py.

Roles in order: admin coordinator peer manager referrer supervisor evaluator privacy_officer.

The match these rows point at was proposed to Bob, not to the matrix's own peer user, so a peer
gets 404 for it; only the proposed peer sees a match. Empty POSTs: a form with required fields
comes back with its errors (200); optional-only forms do their work and redirect (302).
"""

from brobyg.matching.models import (
    BatchJob,
    BatchRun,
    Exclusion,
    ExclusionSource,
    Match,
    MatchStatus,
)
from brobyg.test import in_org, make_peer, make_waiting_request


def make_targets(personas, targets):
    from datetime import timedelta

    from django.utils import timezone

    from brobyg.lib.links import new_link_token, token_digest

    peer = make_peer(personas.org_a, personas.bob, [personas.programme_a])
    token = new_link_token()
    with in_org(personas.org_a):
        match = Match.objects.create(
            organisation=personas.org_a,
            programme=personas.programme_a,
            support_request=targets["request"],
            citizen=targets["citizen"],
            peer=peer,
            score=80,
            proposed_by=personas.alice,
        )
        accepted_request, request_token = make_waiting_request(
            personas.programme_a, name="Ida Berg"
        )
        Match.objects.create(
            organisation=personas.org_a,
            programme=personas.programme_a,
            support_request=accepted_request,
            citizen=accepted_request.citizen,
            peer=peer,
            score=70,
            proposed_by=personas.alice,
            status=MatchStatus.PEER_ACCEPTED,
            token_digest=token_digest(token),
            link_expires_at=timezone.now() + timedelta(days=30),
        )
        batch = BatchRun.objects.create(organisation=personas.org_a, created_by=personas.alice)
        batch_job = BatchJob.objects.create(
            organisation=personas.org_a, created_by=personas.alice, status="done", run=batch
        )
        exclusion = Exclusion.objects.create(
            organisation=personas.org_a,
            citizen=targets["citizen"],
            peer=peer,
            source=ExclusionSource.COORDINATOR,
        )
    return {
        "peer": peer,
        "match": match,
        "batch": batch,
        "batch_job": batch_job,
        "exclusion": exclusion,
        "match_token": token,
        "proposal_token": request_token,
    }


# fmt: off
ROWS = [
    ("matching_overview", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    # An empty form comes back with its error.
    ("matching_batch_create", "POST", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("matching_batch_job", "GET", "batch_job",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_batch_detail", "GET", "batch",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_batch_approve", "POST", "batch",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_request", "GET", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_request_wishes", "POST", "request",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_request_propose", "POST", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_request_exclude", "POST", "request",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_exclusion_remove", "POST", "exclusion",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_match_detail", "GET", "match",
     "own:     403 200 404 403 403 403 403 403",
     "foreign: 403 404 404 403 403 403 403 403"),
    ("matching_match_peer_answer", "POST", "match",
     "own:     403 403 404 403 403 403 403 403",
     "foreign: 403 403 404 403 403 403 403 403"),
    ("matching_match_record_citizen_answer", "POST", "match",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    # The match still waits for the peer, so no link is sent; the page says why.
    ("matching_match_send_link", "POST", "match",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_match_withdraw", "POST", "match",
     "own:     403 302 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_match_end", "POST", "match",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_programme_weights", "GET", "programme",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    ("matching_peer_list", "GET", None,
     "own:     403 200 403 200 403 403 403 403",
     "foreign: 403 200 403 200 403 403 403 403"),
    ("matching_peer_create", "GET", None,
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 200 403 403 403 403 403 403"),
    ("matching_peer_detail", "GET", "peer",
     "own:     403 200 403 200 403 403 403 403",
     "foreign: 403 404 403 404 403 403 403 403"),
    ("matching_peer_edit", "GET", "peer",
     "own:     403 200 403 403 403 403 403 403",
     "foreign: 403 404 403 403 403 403 403 403"),
    # A peer's own pages; a peer without a profile is told to ask their coordinator.
    ("matching_own_profile", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    ("matching_own_matches", "GET", None,
     "own:     403 403 200 403 403 403 403 403",
     "foreign: 403 403 200 403 403 403 403 403"),
    # The citizen's personal link: the token is the authorisation.
    ("matching_citizen_answer", "GET", "match_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
    # The same answer from the citizen's personal page: the request's token is the authorisation.
    ("matching_request_proposal", "GET", "proposal_token",
     "own:     200 200 200 200 200 200 200 200",
     "foreign: 200 200 200 200 200 200 200 200",
     200),
]
# fmt: on
