"""Demo support courses: a year of sessions in courses of every state, communities joined,
drop-in counts, and hand-overs from Region Hovedstaden to Københavns Kommune and on to
Frivilligcenter Rudersdal (one accepted, one waiting for the volunteer centre's answer)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from brobyg.intake.selectors import coordinator_emails
from brobyg.orgs.demo import person_name
from brobyg.orgs.models import Programme, Unit
from brobyg.people import services as people_services
from brobyg.people.models import Peer
from brobyg.support import services
from brobyg.support.models import (
    ChimeTheme,
    Community,
    Course,
    FollowUp,
    Handover,
    Session,
    SessionStatus,
)

NOTES = [
    "Vi gik en tur i parken. Hun fortalte, at hun har fået sovet bedre.",
    "Talte om at tage kontakt til jobcentret. Han vil selv ringe inden næste gang.",
    "Vi øvede at tage bussen sammen. Det gik fint, og han var stolt bagefter.",
    "Snak om familien og om at sige fra. Hun fandt styrke i sin egen historie.",
    "Kaffe på værestedet. Vi lavede en plan for ugen med små mål.",
    "Hun har været til første gang i løbeklubben og vil gerne fortsætte.",
    "Vi delte erfaringer med at leve med angst. Han fik mod på at prøve igen.",
]
GOALS = [
    "Jeg vil gerne kunne gå i supermarkedet alene og have en fast rytme i hverdagen.",
    "Komme ud blandt andre mennesker igen og finde noget, jeg har lyst til.",
    "Blive klar til at starte på en uddannelse, måske til efteråret.",
    "Have nogen at tale med, som ved hvordan det er.",
]
COMMUNITIES = {
    "Københavns Kommune": [
        ("Fællesskabshaven på Nørrebro", "activity", "Nørrebro", "Tirsdag og torsdag 10-14"),
        ("Kor for alle", "creative", "Nørrebro", "Øver onsdag aften, ingen optagelsesprøve"),
        ("Læsekredsen på Nørrebro Bibliotek", "education", "Nørrebro", "Niveaufri adgang"),
    ],
    "Frivilligcenter Rudersdal": [
        ("Løbefællesskabet Holte", "sport", "Holte", "Alle tempi, vi venter på hinanden"),
        ("Strikkecaféen i Birkerød", "creative", "Birkerød", "Trappefri adgang"),
        ("Fællesspisning i Frivilligcentret", "association", "Holte", "Hver fredag kl. 17.30"),
        ("Naturvejlederne Rudersdal", "volunteering", "Rudersdal", ""),
    ],
}


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _citizen(context, organisation, actor):
    citizen = people_services.citizen_create(
        actor=actor,
        organisation=organisation,
        data={
            "name": person_name(context.fake),
            "phone": f"{context.rng.randint(20, 99)}{context.rng.randint(100000, 999999)}",
            "birth_year": context.rng.randint(1965, 2004),
        },
    )
    for purpose in ("support", "questionnaires", "share_with_team"):
        people_services.consent_record(
            actor=actor, citizen=citizen, purpose=purpose, given=True, method="in_person"
        )
    return citizen


def _sessions(context, course, actor, start, until, *, every=(6, 15)):
    rng = context.rng
    peer = course.peers.first()
    day = start + timedelta(days=rng.randint(1, 5))
    rows = []
    while day <= until:
        rows.append(
            Session(
                organisation=course.organisation,
                course=course,
                status=SessionStatus.HELD,
                starts_at=_aware(day, rng.choice([10, 13, 15, 18])),
                duration_minutes=rng.choice([45, 60, 60, 90, 120]),
                form=rng.choices(["in_person", "phone", "video", "chat", "walk"], [6, 2, 1, 1, 2])[
                    0
                ],
                kind=rng.choices(
                    ["conversation", "activity", "accompaniment", "bridge"], [6, 3, 2, 1]
                )[0],
                chime_themes=rng.sample(ChimeTheme.values, rng.randint(1, 3)),
                recovery_tools=rng.sample(
                    ["five_ways", "wrap", "everyday_life"], rng.randint(0, 1)
                ),
                note=rng.choice(NOTES),
                peer=peer,
                recorded_by=actor,
            )
        )
        day += timedelta(days=rng.randint(*every))
    Session.objects.bulk_create(rows)
    if rows:
        Course.objects.filter(pk=course.pk).update(last_session_at=rows[-1].starts_at)


def _course(context, organisation, programme, peer, actor, *, days_ago, quiet_days=0):
    today = context.today
    citizen = _citizen(context, organisation, actor)
    started = today - timedelta(days=days_ago)
    course = services.course_create(
        actor=actor,
        citizen=citizen,
        programme=programme,
        peers=[peer],
        data={
            "started_on": started,
            "review_on": started + timedelta(days=90),
            "purposes": ["wellbeing", "community"],
        },
        goals=context.rng.choice(GOALS),
    )
    _sessions(context, course, peer.user, started, today - timedelta(days=quiet_days or 1))
    return course


def _end(context, course, actor, reason, words=""):
    """End the course; a citizen with own words about it agreed to be quoted in reports."""
    last = course.sessions.order_by("-starts_at").first()
    ended_on = timezone.localtime(last.starts_at).date() if last else context.today
    services.course_end(actor=actor, course=course, ended_on=ended_on, reason=reason, words=words)
    if words:
        people_services.consent_record(
            actor=actor, citizen=course.citizen, purpose="quotes", given=True, method="in_person"
        )


def _handover(context, course, programme, sender, receiver, *, fields, accept_days_ago=None):
    handover = services.handover_propose(
        actor=sender,
        course=course,
        receiving_programme=programme,
        reason="Borgeren er klar til mere hverdag og fællesskab uden for behandlingen.",
        note="Holder af gåture og har god humor. Bedst om eftermiddagen.",
    )
    services.handover_record_consent(
        actor=sender, handover=handover, fields=fields, method="in_person"
    )
    if accept_days_ago is None:
        return handover
    peer = (
        Peer.objects.filter(organisation=programme.organisation, programmes=programme)
        .order_by("pk")
        .first()
    )
    new_course = services.handover_accept(
        actor=receiver,
        handover=handover,
        peer=peer,
        meeting_at=context.now + timedelta(days=1),
        meeting_place="Frivilligcentret, Holte",
    )
    meeting = _aware(context.today - timedelta(days=accept_days_ago), 14)
    Handover.objects.filter(pk=handover.pk).update(
        meeting_at=meeting, decided_at=meeting - timedelta(days=7)
    )
    Session.objects.filter(kind="bridge", status="planned", course__in=[course, new_course]).update(
        starts_at=meeting, status=SessionStatus.HELD, note="Brobygningsmøde med begge peers."
    )
    Course.objects.filter(pk=new_course.pk).update(started_on=meeting.date())
    for follow_up in FollowUp.objects.filter(handover=handover):
        FollowUp.objects.filter(pk=follow_up.pk).update(
            due_on=meeting.date() + timedelta(days=30 * follow_up.months)
        )
    _sessions(context, new_course, peer.user, meeting.date(), context.today - timedelta(days=2))
    return handover


def seed(context) -> None:
    orgs = context.organisations
    kk, fc, rh = (
        orgs["Københavns Kommune"],
        orgs["Frivilligcenter Rudersdal"],
        orgs["Region Hovedstaden"],
    )
    kk_coordinator = context.users[f"koordinator@{context.domain}"]
    fc_coordinator = context.users[f"frivilligkoordinator@{context.domain}"]
    kk_programme = Programme.objects.get(organisation=kk, name="Peer-støtte i socialpsykiatrien")
    fc_programme = Programme.objects.get(organisation=fc, name="Frivillig peer-støtte")
    rh_programme = Programme.objects.filter(organisation=rh).order_by("pk").first()
    demo_peer = Peer.objects.get(user=context.users[f"peer@{context.domain}"])
    kk_peers = list(Peer.objects.filter(organisation=kk).order_by("pk"))
    fc_peers = list(Peer.objects.filter(organisation=fc, status="active").order_by("pk"))
    rh_peers = list(Peer.objects.filter(organisation=rh).order_by("pk"))
    rh_coordinator = context.users[coordinator_emails(rh)[0]]
    today = context.today

    # The courses that matching's accepted matches started get their history.
    for course in Course.objects.filter(organisation=kk):
        started = today - timedelta(days=context.rng.randint(40, 120))
        Course.objects.filter(pk=course.pk).update(started_on=started)
        _sessions(context, course, course.peers.first().user, started, today - timedelta(days=3))

    # Københavns Kommune: courses in every state over the past year.
    courses = [
        _course(context, kk, kk_programme, demo_peer, kk_coordinator, days_ago=330),
        _course(context, kk, kk_programme, demo_peer, kk_coordinator, days_ago=200, quiet_days=30),
        _course(context, kk, kk_programme, kk_peers[-1], kk_coordinator, days_ago=360),
        _course(context, kk, kk_programme, kk_peers[-1], kk_coordinator, days_ago=250),
        _course(context, kk, kk_programme, kk_peers[-2], kk_coordinator, days_ago=150),
    ]
    services.course_update(actor=kk_coordinator, course=courses[4], data={"status": "paused"})
    _end(
        context,
        courses[2],
        kk_coordinator,
        "goals_reached",
        "Jeg kan godt selv nu. Tak for at du troede på mig.",
    )
    for offset, (name, kind, area, notes) in enumerate(COMMUNITIES["Københavns Kommune"]):
        community = Community.objects.create(
            organisation=kk,
            name=name,
            kind=kind,
            area=area,
            accessibility=notes,
            contact="kontakt@eksempel.dk",
        )
        services.community_join(
            actor=demo_peer.user,
            course=courses[offset % 2],
            community=community,
            joined_on=today - timedelta(days=100 + 40 * offset),
        )
    for row in range(12):
        services.drop_in_record(
            actor=demo_peer.user,
            organisation=kk,
            data={
                "unit": Unit.objects.get(name="Værestedet Nørrebro"),
                "programme": kk_programme,
                "day": today - timedelta(days=7 * row + 2),
                "contacts": context.rng.randint(4, 15),
                "minutes": context.rng.randint(90, 300),
            },
        )

    # Frivilligcenter Rudersdal: the register and its own courses.
    fc_communities = [
        Community.objects.create(
            organisation=fc,
            name=name,
            kind=kind,
            area=area,
            accessibility=notes,
            contact="frivillig@eksempel.dk",
        )
        for name, kind, area, notes in COMMUNITIES["Frivilligcenter Rudersdal"]
    ]
    for number, days_ago in enumerate((300, 240, 200, 160, 120, 60)):
        peer = fc_peers[number % len(fc_peers)]
        course = _course(context, fc, fc_programme, peer, fc_coordinator, days_ago=days_ago)
        services.community_join(
            actor=fc_coordinator,
            course=course,
            community=fc_communities[days_ago % len(fc_communities)],
            joined_on=course.started_on + timedelta(days=30),
        )
    _end(
        context,
        Course.objects.filter(organisation=fc).order_by("started_on").first(),
        fc_coordinator,
        "moved_on",
        "Nu har jeg løbeklubben og strikkecaféen. Jeg ved, hvor I er.",
    )

    # Hand-overs: region → municipality (accepted), municipality → volunteer centre (accepted,
    # follow-up due) and one waiting for the volunteer centre's answer.
    rh_course = _course(context, rh, rh_programme, rh_peers[0], rh_coordinator, days_ago=240)
    _handover(
        context,
        rh_course,
        kk_programme,
        rh_coordinator,
        kk_coordinator,
        fields=["name", "contact", "goals", "note"],
        accept_days_ago=150,
    )
    _end(
        context,
        rh_course,
        rh_coordinator,
        "moved_on",
        "Det var godt at møde den nye peer sammen med dig.",
    )
    _handover(
        context,
        courses[3],
        fc_programme,
        kk_coordinator,
        fc_coordinator,
        fields=["name", "contact", "municipality", "goals"],
        accept_days_ago=95,
    )
    _handover(context, courses[0], fc_programme, demo_peer.user, None, fields=["name", "contact"])

    # The demo peer's week: appointments to see in the calendar.
    for course, days, hour in ((courses[0], 1, 10), (courses[1], 3, 15)):
        services.session_plan(
            actor=demo_peer.user,
            course=course,
            data={
                "starts_at": _aware(today + timedelta(days=days), hour),
                "place": "Værestedet Nørrebro",
            },
        )
