"""Demo peer care in Københavns Kommune: a role description, supervisors assigned, a history of
group and individual supervision with notes, training records, one credential expiring soon,
one peer overdue for supervision, and the demo peer's own pathway. At Frivilligcenter Rudersdal
the volunteer paused by the people demo gets the matching entry in the pause log."""

from datetime import timedelta

from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership, Programme
from brobyg.peercare import services
from brobyg.peercare.models import (
    PathwayKind,
    PauseAction,
    PauseLogEntry,
    SessionKind,
    TrainingKind,
)
from brobyg.people.models import Peer, PeerStatus


def _supervisor(organisation):
    membership = next(
        m
        for m in Membership.objects.filter(organisation=organisation).select_related("user")
        if Role.SUPERVISOR in m.roles
    )
    return membership.user


def seed(context) -> None:
    today = context.today
    kk = context.organisations["Københavns Kommune"]
    coordinator = context.users[f"koordinator@{context.domain}"]
    supervisor = context.users[f"supervisor@{context.domain}"]
    demo_peer = Peer.objects.get(user=context.users[f"peer@{context.domain}"])
    programme = Programme.objects.get(organisation=kk, name="Peer-støtte i socialpsykiatrien")
    services.care_update(
        actor=coordinator,
        programme=programme,
        data={
            "tasks": "Samtaler med borgere om hverdagsliv og recovery, følgeskab til aktiviteter "
            "og foreninger, at dele egne erfaringer når det giver mening for borgeren.",
            "not_tasks": "Behandling, medicin, myndighedsopgaver og akut krisehjælp. Du skal "
            "ikke være borgerens eneste kontakt.",
            "when_worried": "Ring til din koordinator i dagtiden. Uden for dagtiden: "
            "Psykiatrisk akutmodtagelse eller 1813. Ved fare for liv: 112.",
            "supervision_weeks": 6,
        },
    )
    peers = list(Peer.objects.filter(organisation=kk, status=PeerStatus.ACTIVE).order_by("pk"))
    for peer in peers:
        services.supervisor_assign(actor=coordinator, peer=peer, supervisor=supervisor)
        services.training_add(
            actor=coordinator,
            peer=peer,
            data={
                "kind": TrainingKind.EDUCATION,
                "title": "Peer-uddannelsen, grundmodul",
                "completed_on": today - timedelta(days=context.rng.randint(200, 500)),
            },
        )
        if peer != demo_peer:
            services.role_confirm(actor=peer.user, peer=peer, programme=programme)
    overdue_peer = next(peer for peer in peers if peer != demo_peer)
    on_time = [peer for peer in peers if peer != overdue_peer]
    # Group supervision every four weeks; the overdue peer last came nine weeks ago.
    for weeks_ago in (21, 17, 13, 9, 5, 1):
        attendees = on_time + ([overdue_peer] if weeks_ago >= 9 else [])
        session = services.session_record(
            actor=supervisor,
            organisation=kk,
            kind=SessionKind.GROUP,
            held_on=today - timedelta(weeks=weeks_ago, days=1),
            duration_minutes=120,
            attendees=attendees,
        )
        services.note_add(
            actor=supervisor,
            session=session,
            peer=None,
            text="Vi talte om grænser: hvornår deler man egne erfaringer, og hvornår lytter man.",
        )
    for weeks_ago in (15, 3):
        session = services.session_record(
            actor=supervisor,
            organisation=kk,
            kind=SessionKind.INDIVIDUAL,
            held_on=today - timedelta(weeks=weeks_ago),
            duration_minutes=60,
            attendees=[demo_peer],
        )
        services.note_add(
            actor=supervisor,
            session=session,
            peer=demo_peer,
            text="Talte om at passe på sig selv, når en borger minder om ens egen historie. "
            "Aftalt at sige til, hvis det bliver for meget.",
        )
    services.note_add(
        actor=demo_peer.user,
        session=session,
        peer=demo_peer,
        text="Godt at få sagt højt. Jeg vil prøve at holde fri om aftenen.",
    )
    # One credential expiring within 30 days.
    services.training_add(
        actor=coordinator,
        peer=demo_peer,
        data={
            "kind": TrainingKind.CREDENTIAL,
            "title": "Førstehjælp",
            "completed_on": today - timedelta(days=2 * 365 - 18),
            "expires_on": today + timedelta(days=18),
        },
    )
    services.training_add(
        actor=coordinator,
        peer=demo_peer,
        data={
            "kind": TrainingKind.RECOVERY_TOOL,
            "recovery_tool": "wrap",
            "completed_on": today - timedelta(days=150),
        },
    )
    for kind, title, days_ago in (
        (PathwayKind.SKILL, "Leder en recovery-gruppe sammen med en kollega", 40),
        (PathwayKind.COURSE, "Kursus i samtaleteknik på Recoveryskolen", 120),
        (PathwayKind.EDUCATION, "Undersøger socialpædagoguddannelsen", 10),
    ):
        services.pathway_add(
            actor=demo_peer.user,
            peer=demo_peer,
            data={
                "kind": kind,
                "title": title,
                "description": "",
                "happened_on": today - timedelta(days=days_ago),
                "on_statement": True,
            },
        )
    # The volunteer on a break (set by the people demo): their own break, without a reason.
    fc = context.organisations["Frivilligcenter Rudersdal"]
    for paused in Peer.objects.filter(organisation=fc, status=PeerStatus.PAUSED):
        PauseLogEntry.objects.create(
            organisation=fc,
            peer=paused,
            action=PauseAction.PAUSED,
            status_before=PeerStatus.ACTIVE,
            actor=paused.user,
        )
    fc_peers = Peer.objects.filter(organisation=fc, status=PeerStatus.ACTIVE).order_by("pk")
    fc_supervisor = _supervisor(fc)
    services.session_record(
        actor=fc_supervisor,
        organisation=fc,
        kind=SessionKind.GROUP,
        held_on=today - timedelta(weeks=2),
        duration_minutes=90,
        attendees=list(fc_peers),
    )
    for peer in fc_peers:
        services.supervisor_assign(actor=fc_supervisor, peer=peer, supervisor=fc_supervisor)
