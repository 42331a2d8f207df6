"""Demo matching: active matches, proposals waiting for a peer and for a citizen in Københavns
Kommune, and a run of 'match the waiting list' at the volunteer centre waiting for approval."""

from datetime import timedelta

from brobyg.intake import services as intake_services
from brobyg.intake.demo import backdate_request
from brobyg.intake.models import Status
from brobyg.matching import batch, selectors, services, tasks
from brobyg.matching.models import Match
from brobyg.orgs.models import Programme
from brobyg.people.models import Peer

# (first name, last name, purposes, forms, availability, experiences to share)
CITIZENS = [
    ("Sofie", "Brandt", ["wellbeing", "community"], ["individual"], ["evenings"], ["anxiety"]),
    ("Jonas", "Krogh", ["navigation"], ["individual", "phone"], ["weekday_daytime"], []),
    ("Amira", "Haddad", ["community"], ["activity"], ["weekends"], ["loneliness"]),
    ("Peter", "Mikkelsen", ["illness_management"], ["individual"], ["weekday_daytime"],
     ["psychosis"]),
    ("Line", "Østergaard", ["education_job"], ["individual"], ["evenings"], ["depression"]),
    ("Mads", "Thorsen", ["wellbeing"], ["activity"], ["weekends", "evenings"], ["stress"]),
    ("Nanna", "Friis", ["community", "empowerment"], ["group"], ["evenings"], []),
    ("Henrik", "Bech", ["wellbeing"], ["phone"], ["weekday_daytime"], ["grief"]),
]  # fmt: skip


def _waiting_request(context, programme, coordinator, person, municipality):
    first, last, purposes, forms, availability, _areas = person
    support_request, _token = intake_services.request_submit(
        programme=programme,
        citizen_data={
            "name": f"{first} {last}",
            "phone": f"{context.rng.randint(20, 99)}{context.rng.randint(100000, 999999)}",
            "email": f"{first.lower()}.{last.lower().replace('ø', 'oe')}@eksempel.dk",
            "birth_year": context.rng.randint(1960, 2003),
            "municipality": municipality,
        },
        request_data={"purposes": purposes, "forms": forms, "availability": availability},
        consents=["support", "questionnaires"],
        in_crisis=False,
    )
    for status in (Status.SCREENED, Status.WAITING):
        intake_services.request_change_status(
            actor=coordinator, support_request=support_request, status=status
        )
    # Waited before a peer was proposed, so the report's days waiting mean something.
    backdate_request(context, support_request, days=context.rng.randint(100, 140))
    if person[5]:
        services.wishes_update(
            actor=coordinator,
            support_request=support_request,
            data={"experience_areas": person[5], "language": "", "musts": []},
        )
    return support_request


def _propose_best(coordinator, support_request, *, peer=None):
    if peer is None:
        peer = selectors.candidates_for_request(support_request).candidates[0].peer
    return services.match_propose(
        actor=coordinator,
        support_request=support_request,
        peer=peer,
        note="Borgeren vil gerne mødes første gang på værestedet.",
    )


def seed(context) -> None:
    kk = context.organisations["Københavns Kommune"]
    coordinator = context.users[f"koordinator@{context.domain}"]
    programme = Programme.objects.get(organisation=kk, name="Peer-støtte i socialpsykiatrien")
    demo_peer = Peer.objects.get(user=context.users[f"peer@{context.domain}"])
    requests = [
        _waiting_request(context, programme, coordinator, person, "København")
        for person in CITIZENS[:5]
    ]
    # Two active matches: the demo peer's own, and one with another peer.
    for support_request, peer in ((requests[0], demo_peer), (requests[1], None)):
        match = _propose_best(coordinator, support_request, peer=peer)
        services.match_peer_answer(actor=match.peer.user, match=match, accept=True)
        services.match_citizen_answer(match=match, accept=True, method="personal_link")
        activated = context.now - timedelta(days=context.rng.randint(20, 90))
        Match.objects.filter(pk=match.pk).update(
            proposed_at=activated - timedelta(days=context.rng.randint(2, 6)),
            activated_at=activated,
        )
    # Waiting for the demo peer's answer (log in as peer@ to answer it).
    _propose_best(coordinator, requests[4], peer=demo_peer)
    # Accepted by a peer, waiting for the citizen's answer through their personal link.
    match = _propose_best(coordinator, requests[3])
    services.match_peer_answer(actor=match.peer.user, match=match, accept=True)

    # The volunteer centre: a batch run over its waiting list, waiting for approval.
    fc = context.organisations["Frivilligcenter Rudersdal"]
    fc_coordinator = context.users[f"frivilligkoordinator@{context.domain}"]
    fc_programme = Programme.objects.get(organisation=fc, name="Frivillig peer-støtte")
    for person in CITIZENS[2:]:
        _waiting_request(context, fc_programme, fc_coordinator, person, "Rudersdal")
    # Started as a coordinator starts it and run by the worker's task, here at once.
    job = batch.batch_queue(actor=fc_coordinator, organisation=fc, programmes=[fc_programme])
    tasks.run_batch.call(str(job.public_id))
