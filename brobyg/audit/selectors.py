from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django_scopes import scopes_disabled

from brobyg.audit.models import Action, LogEntry
from brobyg.lib.days import end_of_day, start_of_day
from brobyg.orgs.models import Membership


def entries_for_organisation(organisation):
    """Entries a privacy officer of ``organisation`` may see: those filed under it, and the
    log-in events (which belong to no organisation) of its members since they joined it.
    The actors are read for the rows of a page only (prefetched): joined in, PostgreSQL joined
    them for every entry of a small organisation before it sorted and kept the newest 51."""
    filed_under, log_ins = entry_parts_for_organisation(organisation)
    return (filed_under | log_ins).prefetch_related("actor", "organisation")


def entry_parts_for_organisation(organisation):
    """``entries_for_organisation`` as its two parts, which share no entry: those filed under
    the organisation, and its members' log-ins. A page of the log reads each part through its
    own index (``keyset_page`` takes both): as one OR, PostgreSQL read every entry of a small
    organisation and sorted them all to show the newest 50 (60 ms at national scale)."""
    with scopes_disabled():
        member_at_the_time = Membership.objects.filter(
            organisation=organisation,
            user_id=OuterRef("actor_id"),
            created_at__lte=OuterRef("created_at"),
        )
    return (
        LogEntry.objects.filter(organisation=organisation),
        LogEntry.objects.filter(Exists(member_at_the_time), organisation__isnull=True),
    )


def filter_entries(
    entries,
    *,
    actor=None,
    actors=None,
    subject_id="",
    member_ids=None,
    citizen_ids=None,
    action="",
    date_from=None,
    date_to=None,
):
    """``actors``: a queryset of the accounts whose entries these are (None: no filter);
    ``member_ids`` and ``citizen_ids``: public ids of members of staff and of citizens the
    entries must be about (None: no filter)."""
    if actor is not None:
        entries = entries.filter(actor=actor)
    if actors is not None:
        entries = entries.filter(actor__in=actors)
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    if member_ids is not None:
        entries = entries.filter(subject_type="user", subject_id__in=member_ids)
    if citizen_ids is not None:
        entries = entries.filter(subject_type="citizen", subject_id__in=citizen_ids)
    if action:
        entries = entries.filter(action=action)
    # Local days as moments, so that the index on the time serves the filter.
    if date_from:
        entries = entries.filter(created_at__gte=start_of_day(date_from))
    if date_to:
        entries = entries.filter(created_at__lte=end_of_day(date_to))
    return entries


def security_counts(organisation, *, since) -> dict:
    counted = (
        entries_for_organisation(organisation)
        .filter(
            created_at__gte=since,
            action__in=[Action.DENIED, Action.LOGIN_FAILED, Action.LOCKOUT],
        )
        .values("action")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {Action.DENIED: 0, Action.LOGIN_FAILED: 0, Action.LOCKOUT: 0}
    counts.update({row["action"]: row["n"] for row in counted})
    return counts


# The models behind each kind of data subject (``AUDIT_SUBJECT_TYPE``), looked up by label so the
# audit app, which every app imports, imports none of them.
SUBJECT_MODELS = {"user": "orgs.User", "citizen": "people.Citizen"}


def subject_names(entries) -> dict[str, str]:
    """Current names of the people the entries are about (the log itself stores ids only).
    Citizens are looked up within the current organisation's scope, like every citizen query."""
    names = {}
    for subject_type, label in SUBJECT_MODELS.items():
        ids = {e.subject_id for e in entries if e.subject_type == subject_type and e.subject_id}
        if ids:
            for person in apps.get_model(label).objects.filter(public_id__in=ids):
                names[str(person.public_id)] = str(person)
    return names
