"""Demo peer profiles: every demo member with the peer role gets one, in their organisation's
programmes, with invented lived experience, availability and capacity, joined over the past
years. One volunteer is paused; one of the region's recovery mentors stopped two months ago."""

from datetime import timedelta

from brobyg.orgs.choices import Purpose, RecoveryTool, Role, SupportType
from brobyg.orgs.models import Membership, Programme
from brobyg.people.models import (
    AVAILABILITY_SLOTS,
    AgeBand,
    ExperienceArea,
    Gender,
    Peer,
    PeerStatus,
    PreferredForm,
)

AREAS = {
    "Københavns Kommune": ["København", "Frederiksberg"],
    "Region Hovedstaden": ["Hillerød", "Helsingør", "Gribskov", "Fredensborg"],
    "Helsingør Kommune": ["Helsingør"],
    "Rudersdal Kommune": ["Rudersdal", "Lyngby-Taarbæk"],
    "Frivilligcenter Rudersdal": ["Rudersdal", "Lyngby-Taarbæk", "Furesø"],
    "Recoveryskolen Hovedstaden": ["Hillerød"],
}
PRESENTATIONS = [
    "Jeg har selv haft angst i mange år og ved, hvor svært det kan være at komme ud ad døren. "
    "Jeg går gerne en tur eller drikker en kop kaffe.",
    "Jeg holder af at gå ture i skoven og tale om det, der fylder. Jeg har prøvet at starte "
    "forfra efter en indlæggelse.",
    "Jeg er glad for at lave mad og tage med til foreninger. Sammen kan vi finde noget, du "
    "har lyst til.",
    "",
]


def _profile(rng, organisation, volunteer: bool) -> dict:
    slots = rng.sample(AVAILABILITY_SLOTS, k=rng.randint(3, 7))
    if volunteer:
        slots += [s for s in ("tue_evening", "thu_evening", "sat_afternoon") if s not in slots]
    languages = ["da"] + (["en"] if rng.random() < 0.5 else [])
    if rng.random() < 0.15:
        languages.append(rng.choice(["ar", "tr", "pl", "fa"]))
    return {
        "kind": SupportType.VOLUNTEER if volunteer else SupportType.PAID,
        "status": PeerStatus.ACTIVE,
        "experience_areas": rng.sample(ExperienceArea.values, k=rng.randint(1, 3)),
        "recovery_tools": rng.sample(RecoveryTool.values, k=rng.randint(0, 2)),
        "languages": languages,
        "gender": rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, ""]),
        "age_band": rng.choice(AgeBand.values),
        "municipalities": rng.sample(
            AREAS.get(organisation.name, ["København"]),
            k=min(2, len(AREAS.get(organisation.name, ["København"]))),
        ),
        "works_remote": rng.random() < 0.5,
        "availability": sorted(slots),
        "capacity": rng.choice([2, 3, 3, 4]) if volunteer else rng.choice([4, 5, 6]),
        "supports_min_age": 18,
        "supports_max_age": 120,
        "forms": rng.sample(PreferredForm.values, k=rng.randint(2, 4)),
        "strengths": rng.sample(Purpose.values, k=rng.randint(2, 4)),
        "presentation": rng.choice(PRESENTATIONS),
    }


def seed(context) -> None:
    rng = context.rng
    for organisation in context.organisations.values():
        programmes = list(Programme.objects.filter(organisation=organisation))
        volunteer = organisation.kind == "volunteer_centre"
        members = Membership.objects.filter(organisation=organisation).select_related("user")
        for membership in sorted(members, key=lambda m: m.user.email):
            if Role.PEER not in membership.roles:
                continue
            peer = Peer.objects.create(
                organisation=organisation,
                user=membership.user,
                **_profile(rng, organisation, volunteer),
            )
            peer.programmes.set(programmes)
    demo_peer = Peer.objects.get(user=context.users[f"peer@{context.domain}"])
    demo_peer.experience_areas = ["anxiety", "depression"]
    demo_peer.availability = ["mon_morning", "tue_afternoon", "wed_evening", "thu_afternoon"]
    demo_peer.capacity = 5
    demo_peer.save()
    # A volunteer who has taken a break for their own sake: never proposed until they resume.
    paused = (
        Peer.objects.filter(organisation=context.organisations["Frivilligcenter Rudersdal"])
        .exclude(user=context.users[f"frivillig@{context.domain}"])
        .order_by("pk")
        .first()
    )
    paused.status = PeerStatus.PAUSED
    paused.save()
    # Peers joined over the past years (so retention has a history), and one of the region's
    # recovery mentors stopped two months ago.
    now = context.now
    for peer in Peer.objects.order_by("pk"):
        joined = now - timedelta(days=rng.randint(400, 1200))
        Peer.objects.filter(pk=peer.pk).update(created_at=joined, status_changed_at=joined)
    stopped = (
        Peer.objects.filter(organisation=context.organisations["Region Hovedstaden"])
        .order_by("pk")
        .last()
    )
    Peer.objects.filter(pk=stopped.pk).update(
        status=PeerStatus.ENDED, status_changed_at=now - timedelta(days=60)
    )
