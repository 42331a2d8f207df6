"""Demo data for the privacy officer of Københavns Kommune (privatliv@brobyg.demo).

An open access request registered by staff, a correction the citizen asked for from their data
page and that was carried out, an erasure carried out, an erasure request that a legal hold on the
citizen's course (journal duty) keeps from being carried out, last month's log spot check with
findings, the organisation's own retention periods for two categories, and old reads that the
first run of the retention job deletes (its page then shows the run's counts).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from brobyg.audit.models import Action, LogEntry
from brobyg.orgs.choices import Role
from brobyg.orgs.models import Membership
from brobyg.people.models import Citizen
from brobyg.rights import services
from brobyg.rights.models import RequestChannel, RequestKind

KK = "Københavns Kommune"


def _members(organisation, role):
    return [
        membership.user
        for membership in Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email")
        if role in membership.roles
    ]


def _reads(context, organisation, citizens, readers, *, first_day, days, count) -> None:
    """Reads of citizens' pages on days from ``first_day``."""
    reasons = ["citizen page", "support course", "waiting list"]
    entries = []
    for number in range(count):
        day = first_day + timedelta(days=context.rng.randrange(days))
        moment = timezone.make_aware(datetime.combine(day, time(9 + context.rng.randrange(7))))
        citizen = citizens[number % len(citizens)]
        entries.append(
            LogEntry(
                created_at=moment,
                actor=readers[number % len(readers)],
                organisation=organisation,
                action=Action.READ,
                object_type="people.citizen",
                object_id=str(citizen.public_id),
                subject_type="citizen",
                subject_id=str(citizen.public_id),
                reason=reasons[number % len(reasons)],
            )
        )
    LogEntry.objects.bulk_create(entries)


def seed(context) -> None:
    organisation = context.organisations[KK]
    officer = context.users[f"privatliv@{context.domain}"]
    readers = _members(organisation, Role.COORDINATOR) or [officer]
    with_course = list(
        Citizen.objects.filter(organisation=organisation, courses__isnull=False, merged_into=None)
        .distinct()
        .order_by("pk")
    )
    without_course = list(
        Citizen.objects.filter(
            organisation=organisation,
            courses__isnull=True,
            group_participations__isnull=True,
            merged_into=None,
        ).order_by("pk")
    )
    asks_access, corrected = with_course[0], with_course[1]
    held = with_course[2]
    erased = without_course[-1]

    services.data_request_register(
        actor=officer,
        citizen=asks_access,
        kind=RequestKind.ACCESS,
        received_at=context.now - timedelta(days=6),
    )

    correction = services.data_request_register(
        actor=None,
        citizen=corrected,
        kind=RequestKind.CORRECTION,
        channel=RequestChannel.CITIZEN,
        description="Mit telefonnummer er forkert; det rigtige er 31 45 67 89.",
        received_at=context.now - timedelta(days=12),
    )
    services.citizen_correct(actor=officer, citizen=corrected, data={"phone": "31456789"})
    services.data_request_complete(
        actor=officer,
        data_request=correction,
        note="Dit telefonnummer er rettet.",
    )

    erasure = services.data_request_register(
        actor=None,
        citizen=erased,
        kind=RequestKind.ERASURE,
        channel=RequestChannel.CITIZEN,
        received_at=context.now - timedelta(days=20),
    )
    services.citizen_erase(
        actor=officer,
        data_request=erasure,
        note="Dine oplysninger er slettet. Anonyme optællinger er bevaret.",
    )

    services.legal_hold_place(
        actor=officer,
        citizen=held,
        category="support",
        reason="Journaliseringspligt efter serviceloven: forløbet er en del af sagen.",
    )
    services.data_request_register(
        actor=None,
        citizen=held,
        kind=RequestKind.ERASURE,
        channel=RequestChannel.CITIZEN,
        received_at=context.now - timedelta(days=3),
    )

    first = context.today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    # Last month's reads for the spot check; reads from seven months ago, past the access log's
    # period, that the retention job (run by `make demo` after the seed) deletes.
    _reads(
        context,
        organisation,
        with_course[:8],
        readers,
        first_day=last_month,
        days=(first - last_month).days,
        count=40,
    )
    _reads(
        context,
        organisation,
        with_course[:8],
        readers,
        first_day=context.today - timedelta(days=215),
        days=10,
        count=25,
    )
    spot_check = services.spot_check_draw(
        actor=officer, organisation=organisation, month=(first - timedelta(days=1)).replace(day=1)
    )
    items = list(spot_check.items.order_by("pk"))
    for item in items[:6]:
        services.spot_check_mark(actor=officer, item=item, justified=True, note="")
    if len(items) > 6:
        services.spot_check_mark(
            actor=officer,
            item=items[6],
            justified=False,
            note="Koordinatoren havde ikke borgeren i forløb; talt med lederen.",
        )

    for category, days in (("messages", 180), ("questionnaire_answers", 730)):
        services.retention_setting_set(
            actor=officer, organisation=organisation, category=category, days=days
        )
