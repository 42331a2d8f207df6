"""Demo volunteer pipeline at Frivilligcenter Rudersdal: applicants in every stage (some waiting
long enough to be reminded about), one who became an active volunteer peer and one ended "not
now"."""

from datetime import timedelta

from brobyg.volunteers import services
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
