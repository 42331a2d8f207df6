"""Demo volunteer centre, Frivilligcenter Rudersdal: applicants in every stage (some waiting long
enough to be reminded about), one who became an active volunteer peer and one ended "not now";
the agreement; the state's rate per km; a month of hours and expense claims (approved, waiting,
one returned with a note and one corrected and sent again)."""

from datetime import date, timedelta
from decimal import Decimal

from brobyg.people.models import Peer, PeerStatus
from brobyg.volunteers import services, services_agreement, services_claims
from brobyg.volunteers.models import Application, StageEvent

ORGANISATION = "Frivilligcenter Rudersdal"
OWN_RECOVERY = [
    "Jeg havde angst i mange år og fik hjælp af en peer-støtte. I dag har jeg et godt hverdagsliv.",
    "Efter en depression og en lang sygemelding er jeg kommet tilbage. Fællesskabet hjalp mig.",
    "Jeg har været indlagt flere gange og ved, hvor svært det er at komme hjem igen.",
    "Jeg hører stemmer og har lært at leve godt med dem. Det vil jeg gerne dele.",
]
MOTIVATION = [
    "Jeg vil gerne være det håb, jeg selv manglede.",
    "Jeg har tid om aftenen og vil gerne bruge den på noget meningsfuldt.",
    "Jeg vil gerne følge nogen ud i foreningslivet, som jeg selv blev fulgt.",
]
NOTES = [
    "God første samtale. Vil gerne støtte unge voksne.",
    "Referencer ringet op; begge positive.",
    "Deltager i grunduddannelsen i denne måned.",
]
# (stage position, days in the stage, applicants)
PIPELINE = [(1, 3, 2), (2, 20, 2), (3, 6, 1), (4, 9, 1), (5, 16, 2), (6, 2, 1)]


def _email(name: str) -> str:
    local = name.lower().replace(" ", ".")
    for danish, ascii_letters in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e")):
        local = local.replace(danish, ascii_letters)
    return f"{local}.frivillig@eksempel.dk"


def _applicant(context, number: int) -> dict:
    rng, fake = context.rng, context.fake
    name = f"{fake.first_name()} {fake.last_name()}"
    return {
        "name": name,
        "email": _email(f"{name} {number}"),
        "phone": f"{rng.randint(20, 99)}{rng.randint(100000, 999999)}",
        "birth_year": rng.randint(1960, 2000),
        "municipality": rng.choice(["Rudersdal", "Lyngby-Taarbæk", "Furesø", "Allerød"]),
        "gender": rng.choice(["woman", "man", ""]),
        "experience_areas": rng.sample(["anxiety", "depression", "psychosis", "loneliness"], k=2),
        "availability": rng.sample(["weekday_daytime", "evenings", "weekends"], k=2),
        "hours_per_month": rng.choice([4, 6, 8, 10, 12]),
        "own_recovery": rng.choice(OWN_RECOVERY),
        "motivation": rng.choice(MOTIVATION),
        "works_with_minors": number % 4 == 0,
    }


def _backdate(context, application, days: int) -> None:
    moment = context.now - timedelta(days=days, hours=2)
    Application.objects.filter(pk=application.pk).update(
        created_at=moment - timedelta(days=10 * application.stage.position),
        stage_entered_at=moment,
    )
    StageEvent.objects.filter(application=application).update(created_at=moment)


def seed(context) -> None:
    organisation = context.organisations[ORGANISATION]
    coordinator = context.users[f"frivilligkoordinator@{context.domain}"]
    stages = services.stages_ensure(organisation=organisation)
    number = 0
    for position, days, count in PIPELINE:
        for _ in range(count):
            number += 1
            application = services.application_submit(
                organisation=organisation, data=_applicant(context, number), in_crisis=False
            )
            stage = stages[position - 1]
            if position > 1:
                passed_certificate = position > 4
                application = services.application_move(
                    actor=coordinator,
                    application=application,
                    stage=stage,
                    note=context.rng.choice(NOTES),
                    certificate_kind="criminal_record" if passed_certificate else "",
                    certificate_seen_on=(context.today - timedelta(days=days + 5))
                    if passed_certificate
                    else None,
                )
            _backdate(context, application, days)
    number += 1
    active = services.application_submit(
        organisation=organisation, data=_applicant(context, number), in_crisis=False
    )
    services.application_move(
        actor=coordinator,
        application=active,
        stage=stages[-1],
        note="Velkommen i gruppen af frivillige!",
        certificate_kind="criminal_record",
        certificate_seen_on=context.today - timedelta(days=30),
    )
    number += 1
    ended = services.application_submit(
        organisation=organisation, data=_applicant(context, number), in_crisis=False
    )
    services.application_not_now(
        actor=coordinator,
        application=ended,
        reason="timing",
        message="Du er meget velkommen til at søge igen til foråret.",
    )
    services_agreement.agreement_publish(
        actor=coordinator, organisation=organisation, text=AGREEMENT
    )
    agreed = Application.objects.filter(organisation=organisation, stage=stages[5]).first()
    services_agreement.agreement_send(actor=coordinator, application=agreed)
    services_agreement.agreement_accept(application=agreed)
    _seed_claims(context, organisation, coordinator)


AGREEMENT = """Som frivillig peer-støtte hos Frivilligcenter Rudersdal aftaler du med os:

1. Du har tavshedspligt om det, borgerne fortæller dig, også efter du er stoppet.
2. Du deltager i supervision og i de frivilliges fællesmøder.
3. Du lytter, deler din erfaring og hjælper borgeren med at finde sine egne svar; du behandler ikke.
4. Du siger til, hvis du har brug for en pause. Din egen trivsel kommer først.
5. Vi dækker dine dokumenterede udgifter til kørsel, billetter og café med en borger.
"""
# A small receipt photo for the demo claims (a valid 1x1 PNG).
RECEIPT = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
CLAIMS = [
    ("transport", "Kørsel til gåtur i Dyrehaven med en borger", 18, None),
    ("ticket", "Bus til biblioteket med en borger", None, Decimal("24")),
    ("cafe", "Kaffe med en borger efter gåturen", None, Decimal("58")),
    ("ticket", "Entré til koncert i Holte med en borger", None, Decimal("90")),
    ("transport", "Kørsel til fællesmøde for frivillige", 11, None),
]


def _seed_claims(context, organisation, coordinator) -> None:
    admin = context.users[f"admin@{context.domain}"]
    services_claims.mileage_rate_set(
        actor=admin,
        organisation=organisation,
        valid_from=date(context.today.year - 1, 1, 1),
        rate_per_km=Decimal("3.81"),
    )
    volunteers = list(
        Peer.objects.filter(
            organisation=organisation, kind="volunteer", status=PeerStatus.ACTIVE
        ).order_by("pk")[:5]
    )
    rng = context.rng
    number = 0
    for peer in volunteers:
        services_claims.hours_record(
            actor=peer.user,
            peer=peer,
            day=context.today - timedelta(days=rng.randint(3, 25)),
            minutes=rng.choice([90, 120, 180]),
            task=rng.choice(["Grundkursus for frivillige", "Fællesmøde for frivillige"]),
        )
        for kind, description, km, amount in rng.sample(CLAIMS, k=3):
            number += 1
            claim = services_claims.claim_submit(
                actor=peer.user,
                peer=peer,
                kind=kind,
                day=context.today - timedelta(days=rng.randint(1, 30)),
                description=description,
                km=Decimal(km) if km else None,
                amount=amount,
                receipt=None if kind == "transport" else RECEIPT,
            )
            if number % 3 == 0:
                continue  # waiting for the coordinator
            if number == 4:
                services_claims.claim_decide(
                    actor=coordinator,
                    claim=claim,
                    approve=False,
                    note="Beløbet eller antal km passer ikke. Ret det, og send igen.",
                )
                continue
            if number == 5:
                services_claims.claim_decide(
                    actor=coordinator, claim=claim, approve=False, note="Tilføj dato på bilaget."
                )
                claim = services_claims.claim_resubmit(
                    actor=peer.user,
                    claim=claim,
                    kind=claim.kind,
                    day=claim.day,
                    description=claim.description + " (rettet)",
                    km=claim.km,
                    amount=claim.amount,
                    receipt=None,
                )
                continue
            services_claims.claim_decide(actor=coordinator, claim=claim, approve=True)
