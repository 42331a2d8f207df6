from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.audit.models import Action, LogEntry
from brobyg.lib.days import end_of_day, start_of_day
from brobyg.lib.rows import choice_label_map
from brobyg.lib.templatetags.dates import short_date
from brobyg.orgs.models import Membership, User


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
# audit app, which every app imports, imports none of them, each with the columns its name
# (``__str__``) is made of: a page of the log reads no other column of the 50 people.
SUBJECT_MODELS = {
    "user": ("orgs.User", ("full_name", "email")),
    "citizen": ("people.Citizen", ("name",)),
}


def subject_names(entries) -> dict[str, str]:
    """Current names of the people the entries are about (the log itself stores ids only).
    Citizens are looked up within the current organisation's scope, like every citizen query."""
    names = {}
    for subject_type, (label, name_fields) in SUBJECT_MODELS.items():
        ids = {e.subject_id for e in entries if e.subject_type == subject_type and e.subject_id}
        if ids:
            people = apps.get_model(label).objects.filter(public_id__in=ids)
            for person in people.only("public_id", *name_fields):
                names[str(person.public_id)] = str(person)
    return names


# What a row of the log's page shows: only these columns are read (the entry's ``details`` only
# for the e-mail a failed log-in was tried with, as ``email``).
ROW_FIELDS = (
    "pk",
    "created_at",
    "action",
    "actor_id",
    "object_type",
    "object_label",
    "subject_type",
    "subject_id",
    "reason",
)


def for_rows(entries):
    """``entries`` with only what ``entry_rows`` shows of them, as named rows (``pk``,
    ``created_at``, ... as attributes, no model instance: the two parts of a page are 102
    rows)."""
    return entries.annotate(email=KT("details__email")).values_list(
        *ROW_FIELDS, "email", named=True
    )


def entry_rows(entries, *, list_url: str) -> list[dict]:
    """A page of the log as plain rows (read with ``for_rows``): when, who (linked to their
    entries in ``list_url``), the action, the record, about whom and why, each label translated
    once per page and the actors' names read in one query."""
    entries = list(entries)
    actors = {
        pk: (public_id, name)
        for pk, public_id, name in User.objects.filter(
            pk__in={entry.actor_id for entry in entries if entry.actor_id}
        ).values_list("pk", "public_id", "full_name")
    }
    names = subject_names(entries)
    actions = choice_label_map(Action)
    record_labels: dict[str, str] = {}
    unknown = _("unknown")
    rows = []
    for entry in entries:
        if entry.object_type not in record_labels:
            record_labels[entry.object_type] = _record_label(entry.object_type)
        record = record_labels[entry.object_type]
        actor = actors.get(entry.actor_id)
        moment = timezone.localtime(entry.created_at)
        rows.append(
            {
                "when": f"{short_date(moment)} {moment:%H:%M:%S}",
                "actor_name": actor[1] if actor else "",
                "actor_url": f"{list_url}?actor={actor[0]}" if actor else "",
                "email": entry.email or unknown,
                "action": actions.get(entry.action, entry.action),
                "record": f"{record}: {entry.object_label}" if entry.object_label else record,
                "about": (names.get(entry.subject_id, "") or entry.subject_id)
                if entry.subject_id
                else "",
                "why": _(entry.reason) if entry.reason else "",
            }
        )
    return rows


def _record_label(label: str) -> str:
    """``orgs.membership`` as the model's translated name, e.g. "medlemskab"."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
