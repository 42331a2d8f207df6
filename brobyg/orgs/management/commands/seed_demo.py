"""Load realistic, invented demo data (deterministic and idempotent) and print the demo logins.

This command seeds organisations, services, programmes and staff. Every other Brobyg app may add
its own demo data in a module ``<app>/demo.py`` with a function ``seed(context)``; they run in the
order of INSTALLED_APPS, after this one, inside the same transaction. The context's ``now`` and
``today`` are the one moment every app builds its dates from, so a demo seeded at midnight does
not mix two days.
"""

import random
from importlib import import_module
from importlib.util import find_spec
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled
from faker import Faker

from brobyg.orgs.choices import (
    LegalBasis,
    OrganisationKind,
    PeerRole,
    ProgrammeModel,
    Role,
    SupportType,
    UnitKind,
)
from brobyg.orgs.demo import person_name
from brobyg.orgs.models import Membership, Organisation, Programme, Unit, User

DEMO_PASSWORD = "brobyg-demo-2026"
DEMO_DOMAIN = "brobyg.demo"

KK = "Københavns Kommune"
HK = "Helsingør Kommune"
RK = "Rudersdal Kommune"
RH = "Region Hovedstaden"
FC = "Frivilligcenter Rudersdal"
RS = "Recoveryskolen Hovedstaden"

ORGANISATIONS = [
    (RH, OrganisationKind.REGION, "kontakt@regionh.brobyg.demo"),
    (KK, OrganisationKind.MUNICIPALITY, "socialpsykiatri@kk.brobyg.demo"),
    (HK, OrganisationKind.MUNICIPALITY, "socialpsykiatri@helsingor.brobyg.demo"),
    (RK, OrganisationKind.MUNICIPALITY, "socialpsykiatri@rudersdal.brobyg.demo"),
    (FC, OrganisationKind.VOLUNTEER_CENTRE, "info@frivilligrudersdal.brobyg.demo"),
    (RS, OrganisationKind.RECOVERY_SCHOOL, "kurser@recoveryskolen.brobyg.demo"),
]

UNITS = [
    (RH, "Distriktspsykiatrien Nordsjælland", UnitKind.DISTRICT_PSYCHIATRY, "Hillerød"),
    (RH, "OPUS Nordsjælland", UnitKind.OPUS_TEAM, "Hillerød"),
    (KK, "Botilbuddet Skovbrynet", UnitKind.SUPPORTED_HOUSING, "København NV"),
    (KK, "Værestedet Nørrebro", UnitKind.ACTIVITY_CENTRE, "København N"),
    (HK, "Bostedet Kronborg Have", UnitKind.SUPPORTED_HOUSING, "Helsingør"),
    (HK, "Aktivitetshuset Helsingør", UnitKind.ACTIVITY_CENTRE, "Helsingør"),
    (RK, "Botilbuddet Rudersdal", UnitKind.SUPPORTED_HOUSING, "Birkerød"),
    (RK, "Aktivitets- og samværstilbuddet Holte", UnitKind.ACTIVITY_CENTRE, "Holte"),
    (FC, "Frivilligcenter Rudersdal, Holte", UnitKind.OTHER, "Holte"),
    (RS, "Recoveryskolen, Hillerød", UnitKind.OTHER, "Hillerød"),
]

# (organisation, name, units, type, model, peer role, purposes, forms, minimum age, basis, text)
PROGRAMMES = [
    (
        RH,
        "Recovery-mentorer i distriktspsykiatrien",
        ["Distriktspsykiatrien Nordsjælland"],
        SupportType.PAID,
        ProgrammeModel.SUPPLEMENTARY,
        PeerRole.SPECIAL,
        ["illness_management", "empowerment", "navigation"],
        ["individual", "phone"],
        18,
        LegalBasis.PUBLIC_TASK,
        "Recovery-mentorer med egen erfaring støtter borgere i ambulant behandling.",
    ),
    (
        RH,
        "Peer-støtte i OPUS",
        ["OPUS Nordsjælland"],
        SupportType.PAID,
        ProgrammeModel.SUPPLEMENTARY,
        PeerRole.INTEGRATED,
        ["wellbeing", "education_job", "empowerment"],
        ["individual", "group"],
        18,
        LegalBasis.PUBLIC_TASK,
        "Unge med en første psykose møder en peer-støtter, som er en del af OPUS-teamet.",
    ),
    (
        KK,
        "Peer-støtte i socialpsykiatrien",
        ["Botilbuddet Skovbrynet", "Værestedet Nørrebro"],
        SupportType.PAID,
        ProgrammeModel.SEPARATE,
        PeerRole.SPECIAL,
        ["wellbeing", "community", "navigation", "empowerment"],
        ["individual", "group", "drop_in"],
        18,
        LegalBasis.PUBLIC_TASK,
        "Lønnede peer-støttere i botilbud og på værestedet: samtaler, grupper og følgeskab.",
    ),
    (
        HK,
        "Peer-støtte på bostederne",
        ["Bostedet Kronborg Have", "Aktivitetshuset Helsingør"],
        SupportType.PAID,
        ProgrammeModel.CONVENTIONAL,
        PeerRole.CONVENTIONAL,
        ["wellbeing", "illness_management", "community"],
        ["individual", "group"],
        18,
        LegalBasis.PUBLIC_TASK,
        "Medarbejdere med egen erfaring arbejder på bostederne og i aktivitetshuset.",
    ),
    (
        RK,
        "Peer-støtte i Rudersdal",
        ["Botilbuddet Rudersdal", "Aktivitets- og samværstilbuddet Holte"],
        SupportType.PAID,
        ProgrammeModel.SEPARATE,
        PeerRole.SPECIAL,
        ["community", "education_job", "wellbeing"],
        ["individual", "group", "online"],
        18,
        LegalBasis.PUBLIC_TASK,
        "Peer-støtte til borgere i botilbud og bostøtte, med brobygning til frivilligcentret.",
    ),
    (
        FC,
        "Frivillig peer-støtte",
        ["Frivilligcenter Rudersdal, Holte"],
        SupportType.VOLUNTEER,
        ProgrammeModel.SEPARATE,
        PeerRole.SPECIAL,
        ["community", "training", "wellbeing", "empowerment"],
        ["individual", "phone", "online"],
        18,
        LegalBasis.CONSENT,
        "Frivillige peer-støttere følger borgere i hverdagen: aftener, weekender og aktiviteter.",
    ),
    (
        FC,
        "Peer-caféen",
        ["Frivilligcenter Rudersdal, Holte"],
        SupportType.VOLUNTEER,
        ProgrammeModel.SEPARATE,
        PeerRole.SPECIAL,
        ["community", "empowerment"],
        ["group", "drop_in"],
        18,
        LegalBasis.CONSENT,
        "Et åbent fællesskab hver tirsdag aften, uden tilmelding.",
    ),
    (
        RS,
        "Kurser på Recoveryskolen",
        ["Recoveryskolen, Hillerød"],
        SupportType.PAID,
        ProgrammeModel.SUPPLEMENTARY,
        PeerRole.SPECIAL,
        ["empowerment", "illness_management", "wellbeing"],
        ["group"],
        18,
        LegalBasis.CONSENT,
        "Kurser for borgere, pårørende og medarbejdere, undervist af peers og fagfolk sammen.",
    ),
]

# The logins printed for a newcomer: (e-mail local part, roles per organisation, what to try).
DEMO_LOGINS = [
    (
        "admin",
        {
            KK: [Role.ADMIN],
            RH: [Role.ADMIN],
            FC: [Role.ADMIN],
            HK: [Role.ADMIN],
            RK: [Role.ADMIN],
            RS: [Role.ADMIN],
        },
        "platform administrator, admin in every organisation (shows the switcher)",
    ),
    ("koordinator", {KK: [Role.COORDINATOR]}, "coordinator, Københavns Kommune"),
    ("peer", {KK: [Role.PEER]}, "paid peer, Københavns Kommune"),
    ("leder", {KK: [Role.MANAGER]}, "manager, Københavns Kommune"),
    ("supervisor", {KK: [Role.SUPERVISOR]}, "supervisor, Københavns Kommune"),
    ("henviser", {KK: [Role.REFERRER]}, "referrer at a supported housing, Københavns Kommune"),
    ("frivilligkoordinator", {FC: [Role.COORDINATOR]}, "coordinator, Frivilligcenter Rudersdal"),
    ("frivillig", {FC: [Role.PEER]}, "volunteer peer, Frivilligcenter Rudersdal"),
    ("recoveryskole", {RS: [Role.COORDINATOR]}, "coordinator, Recoveryskolen Hovedstaden"),
    (
        "evaluator",
        {RH: [Role.EVALUATOR], KK: [Role.EVALUATOR], FC: [Role.EVALUATOR]},
        "evaluator across programmes (pseudonymised data only)",
    ),
    ("privatliv", {KK: [Role.PRIVACY_OFFICER]}, "privacy officer, Københavns Kommune"),
]

# Further invented staff: (organisation, roles, how many).
STAFF = [
    (RH, [Role.COORDINATOR], 1),
    (RH, [Role.MANAGER], 1),
    (RH, [Role.SUPERVISOR], 1),
    (RH, [Role.PEER], 4),
    (RH, [Role.REFERRER], 2),
    (KK, [Role.COORDINATOR], 1),
    (KK, [Role.PEER], 3),
    (KK, [Role.REFERRER], 1),
    (HK, [Role.COORDINATOR], 1),
    (HK, [Role.MANAGER], 1),
    (HK, [Role.PEER], 2),
    (RK, [Role.COORDINATOR], 1),
    (RK, [Role.MANAGER], 1),
    (RK, [Role.PEER], 2),
    (RK, [Role.SUPERVISOR], 1),
    (FC, [Role.PEER], 17),
    (FC, [Role.SUPERVISOR], 1),
    (FC, [Role.MANAGER], 1),
    (RS, [Role.COORDINATOR], 1),
    (RS, [Role.MANAGER], 1),
]


class Command(BaseCommand):
    help = "Load the invented demo organisations, programmes and staff (`demo_logins` lists them)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE or settings.PRODUCTION:
            raise CommandError(
                "The demo users share a published password: seed_demo runs only with "
                "BROBYG_DEMO_MODE=1 outside production (`make demo` sets it)."
            )
        # The invented citizens' receipts and alerts are not worth printing to the console.
        quiet_mail = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            BROBYG_SMS_BACKEND="locmem",
        )
        with quiet_mail, scopes_disabled(), transaction.atomic():
            created = self._seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded." if created else "Demo data already present.")
        )

    def _seed(self) -> bool:
        if User.objects.filter(email=f"admin@{DEMO_DOMAIN}").exists():
            return False
        now = timezone.now()
        fake = Faker("da_DK")
        fake.seed_instance(2026)
        password = make_password(DEMO_PASSWORD)  # hashed once: the demo users share it
        organisations = {}
        for name, kind, email in ORGANISATIONS:
            organisations[name] = Organisation.objects.create(name=name, kind=kind, email=email)
        units = {}
        for org_name, name, kind, town in UNITS:
            units[name] = Unit.objects.create(
                organisation=organisations[org_name], name=name, kind=kind, address=town
            )
        for (
            org_name,
            name,
            unit_names,
            support_type,
            model,
            peer_role,
            purposes,
            forms,
            minimum_age,
            legal_basis,
            description,
        ) in PROGRAMMES:
            programme = Programme.objects.create(
                organisation=organisations[org_name],
                name=name,
                description=description,
                support_type=support_type,
                model=model,
                peer_role=peer_role,
                purposes=purposes,
                forms=forms,
                minimum_age=minimum_age,
                legal_basis=legal_basis,
            )
            programme.units.set([units[unit_name] for unit_name in unit_names])

        def add_user(email, roles_by_org):
            user = User.objects.create(email=email, full_name=person_name(fake), password=password)
            for org_name, roles in roles_by_org.items():
                Membership.objects.create(
                    user=user, organisation=organisations[org_name], roles=roles
                )

        for local_part, roles_by_org, _description in DEMO_LOGINS:
            add_user(f"{local_part}@{DEMO_DOMAIN}", roles_by_org)
        User.objects.filter(email=f"admin@{DEMO_DOMAIN}").update(is_platform_admin=True)
        number = 0
        for org_name, roles, count in STAFF:
            for _ in range(count):
                number += 1
                add_user(f"medarbejder{number:02d}@{DEMO_DOMAIN}", {org_name: roles})
        context = SimpleNamespace(
            fake=fake,
            rng=random.Random(2026),
            organisations=organisations,
            users={user.email: user for user in User.objects.all()},
            domain=DEMO_DOMAIN,
            now=now,
            today=timezone.localdate(now),
        )
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            # orgs' own data is made above; brobyg/orgs/demo.py holds what the others share.
            if app_config.name == "brobyg.orgs":
                continue
            if app_config.name.startswith("brobyg.") and find_spec(module_name):
                import_module(module_name).seed(context)
        return True
