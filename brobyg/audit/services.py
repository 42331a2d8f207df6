"""Writing to the audit log. Every service and every view that shows personal data calls these."""

import logging
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from brobyg.audit.models import Action, LogEntry
from brobyg.audit.permit import deletion_permit

logger = logging.getLogger(__name__)

# How many entries that show personal data (read, search, export) the current request wrote; the
# NoStoreWhenReadMiddleware keeps browsers from storing such a page. None outside a request.
_READS_IN_REQUEST: ContextVar[list | None] = ContextVar("audit_reads_in_request", default=None)
SHOWING_ACTIONS = frozenset({Action.READ, Action.SEARCH, Action.EXPORT})


def start_counting_reads():
    return _READS_IN_REQUEST.set([])


def reads_logged() -> bool:
    return bool(_READS_IN_REQUEST.get())


def _count_read(action) -> None:
    counted = _READS_IN_REQUEST.get()
    if counted is not None and action in SHOWING_ACTIONS:
        counted.append(action)


# What every entry written inside ``logged_as`` carries (an import marks what it creates).
_CONTEXT: ContextVar[dict | None] = ContextVar("audit_context", default=None)


@contextmanager
def logged_as(*, reason: str, details: dict):
    """Every entry written inside gets this ``reason`` (unless it gives its own) and these
    ``details``: ``imports`` runs the ordinary services inside it, so each record they create is
    logged as created by the importing user *and* as imported, in one entry."""
    token = _CONTEXT.set({"reason": reason, "details": details})
    try:
        yield
    finally:
        _CONTEXT.reset(token)


# The API client a call through the JSON API acts for; every entry written during it names it.
_ACTING_CLIENT: ContextVar = ContextVar("audit_acting_client", default=None)


@contextmanager
def acting_as_client(api_client):
    """Every entry written inside names ``api_client`` as the actor (beside its account)."""
    token = _ACTING_CLIENT.set(api_client)
    try:
        yield
    finally:
        _ACTING_CLIENT.reset(token)


def client_ip(request) -> str | None:
    """The visitor's address. Behind ``TRUSTED_PROXY_HOPS`` reverse proxies it is the address the
    outermost trusted proxy saw, taken from the right end of X-Forwarded-For (which the visitor
    cannot forge past that proxy)."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def _object_reference(target):
    if target is None:
        return "", "", ""
    object_id = str(getattr(target, "public_id", "") or target.pk)
    label = str(target) if getattr(target, "AUDIT_LABEL", True) else ""
    return target._meta.label_lower, object_id, label[:200]


def _subject_reference(subject):
    if subject is None:
        return "", ""
    return subject.AUDIT_SUBJECT_TYPE, str(subject.public_id)


def log_action(
    *,
    action: str,
    actor=None,
    organisation=None,
    target=None,
    subject=None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    details: dict | None = None,
    request=None,
) -> LogEntry:
    """Append one entry. ``target`` is the object acted on, ``subject`` the person it is about."""
    target_type, target_id, target_label = _object_reference(target)
    subject_type, subject_id = _subject_reference(subject)
    _count_read(action)
    context = _CONTEXT.get()
    if context is not None:
        reason = reason or context["reason"]
        details = {**context["details"], **(details or {})}
    return LogEntry.objects.create(
        action=Action(action),
        actor=actor,
        api_client=_ACTING_CLIENT.get(),
        organisation=organisation,
        object_type=target_type or object_type,
        object_id=target_id or object_id,
        object_label=target_label,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason[:200],
        details=details or {},
        ip_address=client_ip(request),
    )


def log_action_on(target, *, action: str, organisation=None, **entry) -> LogEntry:
    """``log_action`` on ``target``, in the target's own organisation unless ``organisation``
    is given; ``entry`` holds the rest of ``log_action``'s arguments."""
    if organisation is None:
        organisation = target.organisation
    return log_action(action=action, organisation=organisation, target=target, **entry)


def save_and_log(instance, *, action: str, actor, organisation=None, **entry):
    """The common end of a service: check ``instance`` (``full_clean``), save it and log
    ``action`` on it (``log_action_on``). Returns the instance."""
    instance.full_clean()
    instance.save()
    log_action_on(instance, action=action, actor=actor, organisation=organisation, **entry)
    return instance


def log_request(request, *, action: str, **entry) -> LogEntry:
    """``log_action`` by the request's user in the request's organisation (a view's entry);
    ``entry`` holds the rest of ``log_action``'s arguments."""
    return log_action(
        action=action, actor=request.user, organisation=request.org, request=request, **entry
    )


def log_read(*, request, target, subject=None, reason: str) -> LogEntry:
    """Record that the current user was shown ``target`` (about ``subject``) and why."""
    return log_request(request, action=Action.READ, target=target, subject=subject, reason=reason)


# The list reads of a page of several lists, kept until it is built
# (``list_reads_written_together``).
_PENDING_LIST_READS: ContextVar[list | None] = ContextVar("audit_pending_list_reads", default=None)


@contextmanager
def list_reads_written_together():
    """Every ``log_list_read`` inside is written when the block ends, all the lists' entries in
    one INSERT (the start page's panels: one statement, not one per panel). If the block fails,
    what it read was never shown and nothing is written."""
    if _PENDING_LIST_READS.get() is not None:
        yield
        return
    pending: list = []
    token = _PENDING_LIST_READS.set(pending)
    try:
        yield
    finally:
        _PENDING_LIST_READS.reset(token)
    if pending:
        _insert_entries(pending)


def log_list_read(
    *,
    request,
    subjects,
    object_type: str,
    reason: str,
    action: str = Action.READ,
    details: dict | None = None,
) -> int:
    """Record that a list or search showed these people: one entry per person shown, so that a
    person's access request finds every list they appeared on. With nobody shown, one entry
    without a subject still records the search. Inside ``list_reads_written_together`` the
    entries are written when that block ends."""
    common = {
        "created_at": timezone.now(),
        "action": Action(action),
        "actor": request.user if request.user.is_authenticated else None,
        "api_client": _ACTING_CLIENT.get(),
        "organisation": request.org,
        "object_type": object_type,
        "object_id": "",
        "object_label": "",
        "reason": reason[:200],
        "details": details or {},
        "ip_address": client_ip(request),
    }
    unique = sorted({(subject.AUDIT_SUBJECT_TYPE, str(subject.public_id)) for subject in subjects})
    entries = [(common, subject) for subject in unique or [("", "")]]
    pending = _PENDING_LIST_READS.get()
    if pending is None:
        _insert_entries(entries)
    else:
        pending.extend(entries)
    _count_read(action)
    return len(unique) or 1


# Rows per INSERT of ``_insert_entries`` at most (fewer where the database limits the
# parameters of a statement: SQLite).
_INSERT_BATCH = 500


def _rows_per_insert(database, columns: int) -> int:
    """Entries per INSERT of ``columns`` values each: Django's batch size for the database
    (``bulk_batch_size``), at most ``_INSERT_BATCH``."""
    fields = [LogEntry._meta.pk] * columns
    return min(_INSERT_BATCH, database.ops.bulk_batch_size(fields, range(_INSERT_BATCH)))


def _insert_entries(entries: list[tuple[dict, tuple[str, str]]]) -> None:
    """Write ``entries``, each (columns shared with other entries: field name -> value,
    (subject type, subject id)), all or none. A list page shows 50 people; as 50 model
    instances through ``bulk_create`` their entries cost 3.6 ms of Python per page
    (benchmarks/pages.py). Here each set of shared values is prepared by its fields once, as
    ``bulk_create`` would prepare them; only the column names come from the model. On
    PostgreSQL the people are passed as two arrays (``_insert_from_arrays``), elsewhere as one
    multi-row INSERT per ``_rows_per_insert`` entries."""
    database = connections[router.db_for_write(LogEntry)]
    quote = database.ops.quote_name
    names = list(entries[0][0])
    fields = [LogEntry._meta.get_field(name) for name in names]
    prepared: dict[int, list] = {}

    def shared(common: dict) -> list:
        values = prepared.get(id(common))
        if values is None:
            values = []
            for field in fields:
                value = common[field.name]
                if field.is_relation and value is not None:
                    value = value.pk
                values.append(field.get_db_prep_save(value, database))
            prepared[id(common)] = values
        return values

    columns = ", ".join(
        [*(quote(field.column) for field in fields), quote("subject_type"), quote("subject_id")]
    )
    table = quote(LogEntry._meta.db_table)
    if database.vendor == "postgresql":
        _insert_from_arrays(database, f"INSERT INTO {table} ({columns})", fields, shared, entries)
        return
    row = "(" + ", ".join(["%s"] * (len(fields) + 2)) + ")"
    batch_size = _rows_per_insert(database, len(fields) + 2)
    several = len(entries) > batch_size
    atomic = transaction.atomic(using=database.alias) if several else nullcontext()
    with atomic, database.cursor() as cursor:
        for start in range(0, len(entries), batch_size):
            batch = entries[start : start + batch_size]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))}"  # noqa: S608 - model names
            params = []
            for common, subject in batch:
                params.extend(shared(common))
                params.extend(subject)
            cursor.execute(sql, params)


def _insert_from_arrays(database, insert: str, fields, shared, entries) -> None:
    """One statement for all ``entries``: per set of shared values, a SELECT of those values
    (each once) beside the people from two arrays (``unnest``). A row of parameters per person
    cost more than the rest of the write: psycopg parses a statement of more than 50
    parameters anew at every call, and quotes each value."""
    groups: dict[int, tuple[dict, list, list]] = {}
    for common, (subject_type, subject_id) in entries:
        _common, types, ids = groups.setdefault(id(common), (common, [], []))
        types.append(subject_type)
        ids.append(subject_id)
    values = ", ".join(f"CAST(%s AS {field.db_type(database)})" for field in fields)
    select = f"SELECT {values}, s.type, s.id FROM unnest(%s::text[], %s::text[]) AS s(type, id)"  # noqa: S608 - model types
    params = []
    for common, types, ids in groups.values():
        params.extend(shared(common))
        params.extend((types, ids))
    with database.cursor() as cursor:
        cursor.execute(f"{insert} {' UNION ALL '.join([select] * len(groups))}", params)


def log_denied(
    *, request, reason: str, target=None, object_type="", object_id="", details=None
) -> LogEntry:
    """Record a refused request. An attempt on another organisation's object is filed under
    the organisation that owns it."""
    owner = getattr(target, "organisation", None)
    actor_org = getattr(request, "org", None)
    details = {**(details or {}), "path": request.path, "method": request.method}
    if actor_org is not None:
        details["actor_organisation"] = str(actor_org.public_id)
    return log_action(
        action=Action.DENIED,
        actor=request.user if request.user.is_authenticated else None,
        organisation=owner or actor_org,
        target=target,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        details=details,
        request=request,
    )


ALL_ORGANISATIONS = object()


@transaction.atomic
def purge_expired_access_entries(*, now=None, before=None, organisation=ALL_ORGANISATIONS) -> int:
    """Apply the retention period for access entries; returns how many were removed.

    Without ``before`` the period is ``ACCESS_LOG_RETENTION_DAYS`` back from ``now``. With
    ``organisation`` only that organisation's entries go (``None``: entries of no organisation,
    such as failed log-ins); ``rights.retention`` calls it so with each organisation's period.
    """
    if before is None:
        before = (now or timezone.now()) - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    entries = LogEntry.objects.all()
    if organisation is not ALL_ORGANISATIONS:
        entries = entries.filter(organisation=organisation)
    with deletion_permit(cutoff=before):
        removed = entries.purge_expired_access_entries(before=before)
    logger.info("Audit retention removed %d access entries older than %s", removed, before.date())
    return removed
