from django.db.models import Q, Value
from django.db.models.functions import Lower, Upper

from brobyg.lib.planning import planned_for_values
from brobyg.orgs.permissions import member_permissions
from brobyg.orgs.selectors import member_users_matching
from brobyg.people.extensions import citizen_scope
from brobyg.people.models import Citizen, Consent, Peer

# Object-scope permissions that grant citizens through a member's own work; how to find them is
# registered by the app that knows (support: the citizens of a peer's own live courses).
CITIZEN_GRANTS = ("view_citizens_of_own_courses",)


def citizens_visible_to(membership):
    """``view_all_citizens``: every citizen of the organisation; otherwise the citizens the
    member's grants in the table give (a peer: the citizens of their own live courses)."""
    citizens = Citizen.objects.filter(organisation=membership.organisation)
    permissions = member_permissions(membership)
    if "view_all_citizens" in permissions:
        return citizens
    granted = Q(pk__in=[])
    for permission in CITIZEN_GRANTS:
        if permission in permissions:
            granted |= Q(pk__in=citizen_scope(permission)(membership))
    return citizens.filter(granted)


def current_consents(citizen: Citizen) -> dict[tuple[str, int | None], Consent]:
    """The latest record per purpose (and per named organisation for sharing)."""
    latest = {}
    for consent in Consent.objects.filter(citizen=citizen).select_related("shared_with"):
        latest[consent.purpose, consent.shared_with_id] = consent
    return latest


def has_consent(citizen: Citizen, purpose: str, *, shared_with=None) -> bool:
    consent = (
        Consent.objects.filter(
            citizen=citizen,
            purpose=purpose,
            shared_with=shared_with,
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return bool(consent and consent.given)


def consent_history(citizen: Citizen):
    return Consent.objects.filter(citizen=citizen).select_related("recorded_by", "shared_with")


def possible_duplicates(citizen: Citizen):
    """Other citizens of the same organisation with the same phone, e-mail or CPR number."""
    same = Q()
    if citizen.phone:
        same |= Q(phone=citizen.phone)
    if citizen.email:
        same |= Q(email__iexact=citizen.email)
    if citizen.cpr_digest:
        same |= Q(cpr_digest=citizen.cpr_digest)
    if not same:
        return Citizen.objects.none()
    return Citizen.objects.filter(
        same, organisation=citizen.organisation, merged_into__isnull=True
    ).exclude(pk=citizen.pk)


def records_merged_into(citizen: Citizen):
    """Earlier records of the same person that were merged into ``citizen``."""
    return Citizen.objects.filter(
        organisation=citizen.organisation_id, merged_into=citizen
    ).order_by("created_at", "pk")


def match_keys(phone: str, email: str, cpr_digest: str) -> set[tuple[str, str]]:
    """What makes two records possible duplicates: the same phone, e-mail or CPR number."""
    keys = set()
    if phone:
        keys.add(("phone", phone))
    if email:
        keys.add(("email", email.lower()))
    if cpr_digest:
        keys.add(("cpr", cpr_digest))
    return keys


def citizens_holding(organisation, keys) -> dict[tuple[str, str], list[int]]:
    """For each of ``keys`` (as ``match_keys`` makes them, for records not yet saved, e.g. the
    rows of an import), the ids of the organisation's citizens holding it, in one query: the
    rule ``possible_duplicates`` follows."""
    keys = set(keys)
    phones = {value for kind, value in keys if kind == "phone"}
    emails = {value for kind, value in keys if kind == "email"}
    digests = {value for kind, value in keys if kind == "cpr"}
    if not keys:
        return {}
    candidates = (
        Citizen.objects.filter(organisation=organisation, merged_into__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(Q(phone__in=phones) | Q(email_lower__in=emails) | Q(cpr_digest__in=digests))
        .values_list("pk", "phone", "email_lower", "cpr_digest")
    )
    holders: dict[tuple[str, str], list[int]] = {}
    for pk, phone, email, digest in candidates:
        for key in match_keys(phone, email, digest) & keys:
            holders.setdefault(key, []).append(pk)
    return holders


def possible_duplicate_ids(citizens) -> set[int]:
    """The ids of those of ``citizens`` (one organisation's) that have a possible duplicate, as
    ``possible_duplicates`` finds them, in one query however many citizens are given."""
    citizens = list(citizens)
    if not citizens:
        return set()
    phones = {c.phone for c in citizens if c.phone}
    emails = {c.email.lower() for c in citizens if c.email}
    digests = {c.cpr_digest for c in citizens if c.cpr_digest}
    if not (phones or emails or digests):
        return set()
    candidates = (
        Citizen.objects.filter(organisation=citizens[0].organisation_id, merged_into__isnull=True)
        .annotate(email_lower=Lower("email"))
        .filter(Q(phone__in=phones) | Q(email_lower__in=emails) | Q(cpr_digest__in=digests))
        .values_list("pk", "phone", "email_lower", "cpr_digest")
    )
    holders: dict[tuple[str, str], set[int]] = {}
    for pk, phone, email, digest in candidates:
        for key in match_keys(phone, email, digest):
            holders.setdefault(key, set()).add(pk)
    return {
        citizen.pk
        for citizen in citizens
        if any(
            holders.get(key, set()) - {citizen.pk}
            for key in match_keys(citizen.phone, citizen.email, citizen.cpr_digest)
        )
    }


def duplicate_matches(citizen: Citizen) -> list[dict]:
    """The possible duplicates of ``citizen``, each with what they have in common
    (``"phone"``, ``"email"``, ``"cpr"``)."""
    own = match_keys(citizen.phone, citizen.email, citizen.cpr_digest)
    matches = []
    for other in possible_duplicates(citizen).order_by("created_at", "pk"):
        shared = own & match_keys(other.phone, other.email, other.cpr_digest)
        matches.append({"citizen": other, "same": sorted(kind for kind, _value in shared)})
    return matches


def citizen_contains(query: str, *, through: str = "") -> Q:
    """Citizens whose name, phone or e-mail contains ``query``, in any case. ``through`` is the
    path from the queried model to its citizen (``"citizen__"``)."""
    return Q(**{f"{through}search_text__contains": Upper(Value(query))})


def citizen_public_ids_matching(organisation, query: str) -> list[str]:
    """Public ids of the organisation's citizens (merged records too) whose name, phone or e-mail
    contains ``query``: how a privacy officer finds what the audit log holds about a person."""
    matches = Citizen.objects.filter(citizen_contains(query), organisation=organisation)
    with planned_for_values(Citizen):  # a search: planned for what it asks for (lib.planning)
        return [str(public_id) for public_id in matches.values_list("public_id", flat=True)]


def own_peer(request) -> Peer | None:
    """The member's own peer profile in the current organisation, read once per request (the
    start page's panels each need it)."""
    if not hasattr(request, "_own_peer"):
        request._own_peer = peer_of_user(request.org, request.user)
    return request._own_peer


def peer_of_user(organisation, user, *, with_programmes=False) -> Peer | None:
    """The member's peer profile in the organisation, or None."""
    peers = Peer.objects.filter(organisation=organisation, user=user)
    if with_programmes:
        peers = peers.select_related("user").prefetch_related("programmes")
    return peers.first()


def peers_named(organisation, text: str, *, limit: int):
    """Up to ``limit`` of the organisation's peers whose name or e-mail contains ``text``, by
    name; the database filters them (a trigram index on PostgreSQL)."""
    return list(
        Peer.objects.filter(
            organisation=organisation, user__in=member_users_matching(organisation, text)
        )
        .select_related("user")
        .order_by("user__full_name", "pk")[:limit]
    )
