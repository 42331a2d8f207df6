"""'Match the waiting list': the review page, approving some, and what a run never does."""

from django.test import TestCase
from django.urls import reverse
from django_scopes import scope

from brobyg.matching import batch
from brobyg.matching.models import BatchJob, BatchProposal, BatchRun, Decision, Match, MatchStatus
from brobyg.people.models import PeerStatus
from brobyg.test import in_org, make_member, make_peer, make_user, make_waiting_request


def _peer(personas, email, name, **fields):
    user = make_user(email, name)
    make_member(personas.org_a, user, ["peer"])
    return make_peer(personas.org_a, user, [personas.programme_a], **fields)


def _waiting(personas, name, phone, **request_data):
    data = {"purposes": ["wellbeing"], "forms": ["individual"], **request_data}
    support_request, _token = make_waiting_request(
        personas.programme_a, request_data=data, name=name, phone=phone
    )
    return support_request


def _run(client, personas):
    """Start a run as Alice; the tests' tasks backend runs it once the request commits."""
    client.force_login(personas.alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("matching_batch_create"), {"programmes": [personas.programme_a.public_id]}
        )
    with in_org(personas.org_a):
        run = BatchRun.objects.get()
        job = BatchJob.objects.get()
    assert response.url == reverse("matching_batch_job", args=[job.public_id])
    assert job.run == run
    return run


def test_a_run_proposes_nothing_until_approved_and_explains_every_pair(client, personas):
    _peer(personas, "p1@example.org", "Pia Holm", availability=["wed_evening"], capacity=1)
    _peer(personas, "p2@example.org", "Per Lund", availability=["mon_morning"], capacity=1)
    _waiting(personas, "Ane", "11111111", availability=["evenings"])
    _waiting(personas, "Bo", "22222222", availability=["weekday_daytime"])
    _waiting(personas, "Cia", "33333333", availability=["weekends"])
    run = _run(client, personas)
    with in_org(personas.org_a):
        assert not Match.objects.exists()
        pairs = {
            p.support_request.citizen.name: p.peer.user.full_name if p.peer else None
            for p in BatchProposal.objects.filter(batch=run)
        }
    assert pairs == {"Ane": "Pia Holm", "Bo": "Per Lund", "Cia": None}
    assert run.matched_count == 2
    page = client.get(reverse("matching_batch_detail", args=[run.public_id])).content.decode()
    assert "Kan mødes om aftenen" in page
    assert "Kan mødes i hverdagene om dagen" in page
    assert "De peer-støtter, der passer, blev givet til andre borgere i denne kørsel." in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("matching_batch_detail", args=[run.public_id])).content.decode()
    assert "Can meet in the evening" in page


def test_approving_some_proposes_those_and_marks_the_rest_not_approved(client, personas):
    _peer(personas, "p1@example.org", "Pia Holm", capacity=2)
    ane = _waiting(personas, "Ane", "11111111")
    _waiting(personas, "Bo", "22222222")
    run = _run(client, personas)
    with in_org(personas.org_a):
        chosen = BatchProposal.objects.get(batch=run, support_request=ane)
    empty = client.post(reverse("matching_batch_approve", args=[run.public_id]), {})
    assert empty.status_code == 200 and empty.context["form"].errors
    response = client.post(
        reverse("matching_batch_approve", args=[run.public_id]), {"proposals": [chosen.pk]}
    )
    assert response.status_code == 302
    with in_org(personas.org_a):
        decisions = dict(
            BatchProposal.objects.filter(batch=run).values_list(
                "support_request__citizen__name", "decision"
            )
        )
        matches = list(Match.objects.values_list("support_request__citizen__name", "status"))
    assert decisions == {"Ane": Decision.APPROVED, "Bo": Decision.SKIPPED}
    assert matches == [("Ane", MatchStatus.PROPOSED)]
    again = client.post(
        reverse("matching_batch_approve", args=[run.public_id]), {"proposals": [chosen.pk]}
    )
    assert again.status_code == 200  # decided already: nothing twice


def test_a_pair_that_no_longer_holds_is_skipped_with_its_reason(client, personas):
    pia = _peer(personas, "p1@example.org", "Pia Holm", capacity=1)
    _waiting(personas, "Ane", "11111111")
    run = _run(client, personas)
    with in_org(personas.org_a):
        pia.status = PeerStatus.PAUSED
        pia.save()
        proposal = BatchProposal.objects.get(batch=run)
    client.post(
        reverse("matching_batch_approve", args=[run.public_id]), {"proposals": [proposal.pk]}
    )
    proposal.refresh_from_db()
    assert proposal.decision == Decision.SKIPPED
    assert "pause" in proposal.decision_note
    with in_org(personas.org_a):
        assert not Match.objects.exists()


def test_a_paused_peer_is_never_in_a_run(personas):
    _peer(personas, "p1@example.org", "Pia Holm", status=PeerStatus.PAUSED, capacity=5)
    _waiting(personas, "Ane", "11111111")
    with scope(organisation=personas.org_a.pk):
        run = batch.batch_run(
            actor=personas.alice, organisation=personas.org_a, programmes=[personas.programme_a]
        )
        proposal = run.proposals.get()
    assert run.peers_count == 0 and proposal.peer is None
    assert proposal.unmatched_reason == {"code": "no_active_peers"}


def test_a_run_takes_only_the_chosen_programmes_waiting_list(personas):
    other = make_waiting_request(personas.programme_b, name="Eva", phone="44444444")[0]
    _peer(personas, "p1@example.org", "Pia Holm")
    _waiting(personas, "Ane", "11111111")
    with scope(organisation=personas.org_a.pk):
        run = batch.batch_run(
            actor=personas.alice, organisation=personas.org_a, programmes=[personas.programme_a]
        )
        assert [p.support_request.citizen.name for p in run.proposals.all()] == ["Ane"]
    assert other.organisation == personas.org_b
