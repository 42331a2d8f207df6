"""Demo waiting lists: realistic, invented requests in several programmes, one of them urgent."""

from datetime import timedelta

from brobyg.intake import services
from brobyg.intake.models import RequestEvent, Status, SupportRequest
from brobyg.orgs.models import Programme, Unit

OWN_WORDS = [
    "Jeg vil gerne tale med en, der selv har prøvet at have angst.",
    "Jeg er flyttet fra bostedet og har svært ved at komme ud blandt andre.",
    "Jeg savner nogen at gå ture med og tale med om hverdagen.",
    "Jeg vil gerne tilbage til uddannelse, men ved ikke, hvor jeg skal starte.",
    "Jeg hører stemmer og vil gerne møde en, der forstår det.",
    "Efter min indlæggelse føler jeg mig alene. Jeg vil gerne finde et fællesskab.",
    "Jeg har brug for hjælp til at finde rundt i kommunen og jobcentret.",
    "",
]
REFERRAL_REASONS = [
    "Borgeren er klar til at tage et skridt ud i lokalsamfundet og ønsker følgeskab.",
    "Borgeren afslutter forløb i distriktspsykiatrien og ønsker støtte i overgangen.",
]
# (organisation, programme, number of requests, referrer e-mail local part or "")
QUEUES = [
    ("Københavns Kommune", "Peer-støtte i socialpsykiatrien", 8, "henviser"),
    ("Frivilligcenter Rudersdal", "Frivillig peer-støtte", 10, ""),
    ("Region Hovedstaden", "Recovery-mentorer i distriktspsykiatrien", 5, ""),
    ("Rudersdal Kommune", "Peer-støtte i Rudersdal", 4, ""),
]


def _email(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", ".")
    for danish, ascii_letters in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        local = local.replace(danish, ascii_letters)
    return f"{local}@eksempel.dk"


def backdate_request(context, support_request, days: int):
    """Make the request (and its history) as old as ``days`` days."""
    created = context.now - timedelta(days=days, hours=3)
    SupportRequest.objects.filter(pk=support_request.pk).update(
        created_at=created, status_changed_at=created
    )
    RequestEvent.objects.filter(support_request=support_request).update(at=created)


def seed(context) -> None:
    fake, rng = context.fake, context.rng
    coordinators = {
        "Københavns Kommune": context.users[f"koordinator@{context.domain}"],
        "Frivilligcenter Rudersdal": context.users[f"frivilligkoordinator@{context.domain}"],
    }
    for org_name, programme_name, count, referrer in QUEUES:
        organisation = context.organisations[org_name]
        programme = Programme.objects.get(organisation=organisation, name=programme_name)
        for number in range(count):
            first, last = fake.first_name(), fake.last_name()
            citizen_data = {
                "name": f"{first} {last}",
                "phone": f"{rng.randint(20, 99)}{rng.randint(100000, 999999)}",
                "email": _email(first, last) if number % 2 else "",
                "birth_year": rng.randint(1958, 2004),
                "municipality": org_name.replace(" Kommune", "")
                if "Kommune" in org_name
                else "Rudersdal",
                "contact_times": rng.choice(["Formiddag", "Efter kl. 16", "Hele dagen", ""]),
            }
            if org_name == "Frivilligcenter Rudersdal" and number == 9:
                citizen_data["birth_year"] = context.today.year - 16
            request_data = {
                "purposes": rng.sample(programme.purposes, k=min(2, len(programme.purposes))),
                "own_words": rng.choice(OWN_WORDS),
                "forms": [rng.choice(["individual", "group", "activity", "phone"])],
                "availability": rng.sample(["weekday_daytime", "evenings", "weekends"], k=2),
            }
            referral = {}
            if referrer and number % 3 == 0:
                referral = {
                    "actor": context.users[f"{referrer}@{context.domain}"],
                    "referring_unit": Unit.objects.filter(organisation=organisation).first(),
                    "referral_reason": rng.choice(REFERRAL_REASONS),
                    "consent_method": "in_person",
                }
            in_crisis = org_name == "Københavns Kommune" and number == 1
            support_request, _token = services.request_submit(
                programme=programme,
                citizen_data=citizen_data,
                request_data=request_data,
                consents=["support", "questionnaires"] if number % 2 else ["support"],
                in_crisis=in_crisis,
                **referral,
            )
            coordinator = coordinators.get(org_name)
            if coordinator and not in_crisis and number % 3 != 2:
                services.request_change_status(
                    actor=coordinator, support_request=support_request, status=Status.SCREENED
                )
                if not support_request.below_minimum_age and number % 2:
                    services.request_change_status(
                        actor=coordinator, support_request=support_request, status=Status.WAITING
                    )
            backdate_request(context, support_request, days=0 if in_crisis else rng.randint(2, 80))
