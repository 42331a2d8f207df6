"""Demo group courses.

Recoveryskolen Hovedstaden: a finished recovery-school course with citizens, relatives and staff
(its evaluation is answered in outcomes' demo, close to the published shares: 84 % new insights,
74 % more hopeful) and a running WRAP course with a public sign-up page. Frivilligcenter
Rudersdal: a running open walking group with a head-count, enrolled partly from the waiting list,
and a planned self-harm group still waiting for its professional co-facilitator.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from brobyg.groups import services, services_messages
from brobyg.groups.models import GroupCourse, GroupStatus, ParticipantKind, ParticipantStatus
from brobyg.intake import services as intake_services
from brobyg.intake.models import Status
from brobyg.orgs.choices import Role
from brobyg.orgs.demo import person_name
from brobyg.orgs.models import Membership, Programme
from brobyg.people import services as people_services
from brobyg.people.models import ConsentMethod, Peer, PeerStatus

RS = "Recoveryskolen Hovedstaden"
FC = "Frivilligcenter Rudersdal"
# The finished course's participants by type: n as in a typical recovery-school course.
FINISHED_COURSE = {
    ParticipantKind.CITIZEN: 19,
    ParticipantKind.RELATIVE: 15,
    ParticipantKind.STAFF: 13,
}


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localtime() - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _data(programme, **fields) -> dict:
    return {
        "programme": programme,
        "description": "",
        "tool_other": "",
        "theme": "general",
        "unit": None,
        "place": "",
        "co_facilitator": None,
        "is_open": False,
        "public_signup": False,
        "interval_days": 7,
        "duration_minutes": 120,
        **fields,
    }


def _recovery_school_peers(context, organisation, programme) -> list[Peer]:
    """Two volunteer peers from the volunteer centre also teach at the recovery school."""
    volunteers = sorted(
        (
            membership.user
            for membership in Membership.objects.filter(
                organisation=context.organisations[FC]
            ).select_related("user")
            if Role.PEER in membership.roles
        ),
        key=lambda user: user.email,
    )[1:3]
    peers = []
    for user in volunteers:
        Membership.objects.create(user=user, organisation=organisation, roles=[Role.PEER])
        peer = Peer.objects.create(
            organisation=organisation,
            user=user,
            kind="paid",
            status=PeerStatus.ACTIVE,
            recovery_tools=["life_stories", "wrap"],
            languages=["da"],
            forms=["group"],
            strengths=["empowerment", "illness_management"],
            municipalities=["Hillerød"],
        )
        peer.programmes.set([programme])
        peers.append(peer)
    return peers


def _person(context, index: int) -> dict:
    name = person_name(context.fake)
    local = f"deltager{index:03d}"
    return {
        "name": name,
        "email": f"{local}@eksempel.dk",
        "phone": f"4{context.rng.randint(1000000, 9999999)}",
    }


def _add(context, group, kind, index, *, source="coordinator"):
    person = _person(context, index)
    if kind == ParticipantKind.CITIZEN:
        citizen = people_services.citizen_create(
            actor=None,
            organisation=group.organisation,
            data={**person, "birth_year": context.rng.randint(1958, 2004)},
        )
        for purpose in ("support", "questionnaires", "evaluation"):
            people_services.consent_record(
                actor=None,
                citizen=citizen,
                purpose=purpose,
                given=True,
                method=ConsentMethod.IN_PERSON,
            )
        return services.participant_add(
            actor=None, group=group, kind=kind, citizen=citizen, source=source
        )
    return services.participant_add(
        actor=None,
        group=group,
        kind=kind,
        source=source,
        name=person["name"],
        email=person["email"],
        questionnaire_consent=True,
    )


def _take_attendance(context, group, actor, *, share=0.8, headcount=False):
    enrolled = list(group.participants.filter(status=ParticipantStatus.ENROLLED))
    now = context.now
    for session in group.sessions.filter(starts_at__lt=now).order_by("number"):
        present = {
            str(participant.public_id) for participant in enrolled if context.rng.random() < share
        }
        services.attendance_record(
            actor=actor,
            session=session,
            present=present,
            headcount=len(present) + context.rng.randint(0, 4) if headcount else None,
        )


def _users(context, organisation, role):
    return sorted(
        (
            membership.user
            for membership in Membership.objects.filter(organisation=organisation).select_related(
                "user"
            )
            if role in membership.roles
        ),
        key=lambda user: user.email,
    )


def _recovery_school(context):
    organisation = context.organisations[RS]
    programme = Programme.objects.get(organisation=organisation, name="Kurser på Recoveryskolen")
    unit = programme.units.first()
    peers = _recovery_school_peers(context, organisation, programme)
    coordinator = _users(context, organisation, Role.COORDINATOR)[0]
    professional = _users(context, organisation, Role.MANAGER)[0]
    finished = services.group_create(
        actor=coordinator,
        organisation=organisation,
        data=_data(
            programme,
            title="Recovery: håb og hverdagsliv",
            description="Et kursus for borgere, pårørende og medarbejdere om personlig recovery, "
            "undervist af en peer og en fagperson sammen.",
            kind="recovery_school",
            tool="life_stories",
            setting="outside",
            place_kind="unit",
            unit=unit,
            place="Lokale 2",
            co_facilitator=professional,
            capacity=50,
            first_session_at=_at(70, 16),
            session_count=8,
        ),
        facilitators=peers,
    )
    services.group_start(actor=coordinator, group=finished)
    index = 0
    for kind, count in FINISHED_COURSE.items():
        for _ in range(count):
            index += 1
            _add(context, finished, kind, index)
    _take_attendance(context, finished, peers[0].user, share=0.85)
    services.group_finish(actor=coordinator, group=finished)

    running = services.group_create(
        actor=coordinator,
        organisation=organisation,
        data=_data(
            programme,
            title="WRAP: lav din egen trivselsplan",
            description="Seks gange, hvor du laver din egen plan for trivsel "
            "og for svære perioder.",
            kind="recovery_school",
            tool="wrap",
            setting="outside",
            place_kind="unit",
            unit=unit,
            co_facilitator=professional,
            capacity=16,
            public_signup=True,
            first_session_at=_at(14, 10),
            session_count=6,
        ),
        facilitators=peers[:1],
    )
    services.group_start(actor=coordinator, group=running)
    for kind in (
        [ParticipantKind.CITIZEN] * 6 + [ParticipantKind.RELATIVE] * 4 + [ParticipantKind.STAFF] * 2
    ):
        index += 1
        _add(context, running, kind, index)
    _take_attendance(context, running, peers[0].user)


def _volunteer_centre(context):
    organisation = context.organisations[FC]
    cafe = Programme.objects.get(organisation=organisation, name="Peer-caféen")
    coordinator = context.users[f"frivilligkoordinator@{context.domain}"]
    volunteer = Peer.objects.get(
        organisation=organisation, user=context.users[f"frivillig@{context.domain}"]
    )
    other = (
        Peer.objects.filter(organisation=organisation, status=PeerStatus.ACTIVE)
        .exclude(pk=volunteer.pk)
        .order_by("user__email")
        .first()
    )
    walking = services.group_create(
        actor=coordinator,
        organisation=organisation,
        data=_data(
            cafe,
            title="Gå-gruppen: 5 veje til et godt liv",
            description="Vi går en tur sammen hver onsdag og slutter med kaffe i caféen. "
            "Alle er velkomne, også hvis du bare vil prøve én gang.",
            kind="activity_group",
            tool="five_ways",
            setting="outside",
            place_kind="cafe",
            place="Caféen i Frivilligcenter Rudersdal, Holte",
            capacity=12,
            is_open=True,
            public_signup=True,
            first_session_at=_at(28, 17),
            session_count=12,
            duration_minutes=90,
        ),
        facilitators=[volunteer, other],
    )
    services.group_start(actor=coordinator, group=walking)
    # Two citizens from the waiting list: their requests move on through intake.
    for number, name in enumerate(("Nanna Friis-Holm", "Kasper Lund"), start=1):
        support_request, _token = intake_services.request_submit(
            programme=cafe,
            citizen_data={
                "name": name,
                "phone": f"2{context.rng.randint(1000000, 9999999)}",
                "email": f"cafe{number}@eksempel.dk",
                "birth_year": 1980 + number * 5,
                "municipality": "Rudersdal",
            },
            request_data={"purposes": ["community"], "forms": ["group"]},
            consents=["support", "questionnaires"],
            in_crisis=False,
        )
        for status in (Status.SCREENED, Status.WAITING):
            intake_services.request_change_status(
                actor=coordinator, support_request=support_request, status=status
            )
        services.participant_enrol_request(
            actor=coordinator, group=walking, support_request=support_request
        )
    for offset in range(8):
        _add(context, walking, ParticipantKind.CITIZEN, 200 + offset)
    _add(context, walking, ParticipantKind.RELATIVE, 210)
    # Full: one waits for a place.
    _add(context, walking, ParticipantKind.CITIZEN, 211, source="public_signup")
    _add(context, walking, ParticipantKind.CITIZEN, 212, source="public_signup")
    _take_attendance(context, walking, volunteer.user, share=0.7, headcount=True)
    next_session = walking.sessions.filter(starts_at__gt=context.now).order_by("number").first()
    if next_session is not None:
        services_messages.group_message_send(
            actor=volunteer.user,
            group=walking,
            kind="change_of_place",
            subject="Vi mødes ved Holte Station",
            body="Næste gang mødes vi ved Holte Station kl. 17 og går mod Furesøen. Kaffen er "
            "som altid i caféen bagefter.",
            session=next_session,
            new_place="Holte Station, indgangen mod Øverødvej",
        )
    # Planned, and not allowed to start yet: the page says why.
    services.group_create(
        actor=coordinator,
        organisation=organisation,
        data=_data(
            cafe,
            title="Samtalegruppe om selvskade",
            kind="self_help",
            tool="other",
            tool_other="Samtaler med udgangspunkt i egne erfaringer",
            theme="self_harm",
            setting="outside",
            place_kind="volunteer_centre",
            place="Frivilligcenter Rudersdal, mødelokale 1",
            capacity=8,
            first_session_at=_at(-21, 18),
            session_count=8,
        ),
        facilitators=[volunteer],
    )


def seed(context) -> None:
    _recovery_school(context)
    _volunteer_centre(context)


def finished_recovery_school_course(context) -> GroupCourse:
    """The course whose evaluation outcomes' demo answers."""
    return GroupCourse.objects.get(
        organisation=context.organisations[RS],
        status=GroupStatus.FINISHED,
        title="Recovery: håb og hverdagsliv",
    )
