from itertools import groupby
from statistics import median
from typing import NamedTuple

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from brobyg.intake.models import OPEN_STATUSES, RequestEvent, Source, Status, SupportRequest
from brobyg.lib.compiled import compiled_values
from brobyg.lib.links import token_digest
from brobyg.lib.rows import choice_label_map, public_id_url
from brobyg.lib.templatetags.dates import short_date
from brobyg.orgs.permissions import member_permissions, visible_by_table
from brobyg.orgs.selectors import active_members_holding
from brobyg.people import selectors as people_selectors


def request_by_link_token(token: str) -> SupportRequest | None:
    """The request a citizen's personal link points to, or None if unknown or expired.

    Read across scopes: the citizen has no account, the token is the authorisation.
    """
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        support_request = (
            SupportRequest.objects.select_related("citizen", "programme", "organisation")
            .filter(token_digest=token_digest(token))
            .first()
        )
    if support_request is None or support_request.link_expires_at < timezone.now():
        return None
    return support_request


def waiting_list(organisation, *, programme=None, status="", urgent_only=False, query=""):
    """Open requests, most urgent first, then longest waiting."""
    requests = SupportRequest.objects.filter(organisation=organisation).select_related(
        "citizen", "programme"
    )
    requests = (
        requests.filter(status=status) if status else requests.filter(status__in=OPEN_STATUSES)
    )
    if programme is not None:
        requests = requests.filter(programme=programme)
    if urgent_only:
        requests = requests.filter(urgent=True)
    if query:
        # A request's citizen is always of the request's organisation: saying so lets PostgreSQL
        # match the organisation's citizens by its index, instead of looking up a request for
        # every citizen of the installation whose name matches.
        requests = requests.filter(citizen__organisation=organisation).filter(
            people_selectors.citizen_contains(query, through="citizen__")
        )
    return requests.only(*LISTED_REQUEST_FIELDS).order_by("-urgent", "created_at")


# What the waiting list and the start page's urgent requests show and check (possible
# duplicates by phone, e-mail and CPR digest): only these columns are read.
LISTED_REQUEST_FIELDS = (
    "public_id",
    "organisation",
    "urgent",
    "status",
    "source",
    "created_at",
    "status_changed_at",
    "first_contact_at",
    "below_minimum_age",
    "age_override_reason",
    "programme",
    "programme__public_id",
    "programme__name",
    "citizen",
    "citizen__organisation",
    "citizen__public_id",
    "citizen__name",
    "citizen__phone",
    "citizen__email",
    "citizen__cpr_digest",
)


def days_waiting(support_request, *, now=None) -> int:
    return ((now or timezone.now()) - support_request.created_at).days


def queue_figures(organisation, *, now=None) -> list[dict]:
    """Per programme: how many wait (new, screened or on the waiting list), how many are urgent,
    and the median number of days they have waited. Requests below the programme's minimum age
    count only once a coordinator has set the age limit aside: until then they are not waiting
    for peer support. The query depends only on the organisation: it is compiled once for it
    (``lib.compiled``), its rows read at every call."""
    now = now or timezone.now()

    def build():
        open_requests = SupportRequest.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES
        ).exclude(below_minimum_age=True, age_override_reason="")
        # One query, whatever the number of programmes or the queues' length: the database
        # numbers each programme's queue by age and returns only its middle request (two for an
        # even count), each with its queue's count and urgent count.
        per_programme = {"partition_by": [F("programme_id")]}
        return (
            open_requests.annotate(
                place=Window(
                    RowNumber(), order_by=[F("created_at").asc(), F("pk").asc()], **per_programme
                ),
                total=Window(Count("pk"), **per_programme),
                urgent_total=Window(Count("pk", filter=Q(urgent=True)), **per_programme),
            )
            .filter(Q(place=(F("total") - 1) / 2 + 1) | Q(place=F("total") / 2 + 1))
            # No order: the database would sort every open request to order the few middle
            # ones (they are sorted below). The windows read the open requests in the order of
            # the index ``request_queue_order`` (3,400 in a big municipality), not sorted.
            .order_by()
            # Only the columns the panel shows.
            .values_list(
                "programme_id",
                "programme__public_id",
                "programme__name",
                "created_at",
                "total",
                "urgent_total",
            )
        )

    middles = sorted(
        compiled_values(SupportRequest, ("intake.queue_figures", organisation.pk), build),
        key=lambda row: (row[2], row[0]),
    )
    figures = []
    for (_programme_id, public_id, name), rows in groupby(middles, key=lambda row: row[:3]):
        rows = list(rows)
        figures.append(
            {
                "programme": QueueProgramme(public_id, name),
                "count": rows[0][4],
                "urgent": rows[0][5],
                "median_days": median((now - row[3]).days for row in rows),
            }
        )
    return figures


class QueueProgramme(NamedTuple):
    """A programme as the queue figures show it."""

    public_id: object
    name: str


def urgent_open_requests(organisation):
    return waiting_list(organisation, urgent_only=True)


def coordinator_emails(organisation) -> list[str]:
    """Who is told of a request: the members who handle requests (``manage_requests``)."""
    return [member.user.email for member in active_members_holding(organisation, "manage_requests")]


def requests_visible_to(membership):
    """``view_all_requests``: every request of the organisation (the waiting list);
    ``view_referral_status``: the requests the member referred. Their free text is
    ``view_request_text``'s (``request_text_visible``)."""
    return visible_by_table(
        SupportRequest.objects.filter(organisation=membership.organisation),
        membership,
        "view_all_requests",
        "view_referral_status",
        lambda requests: requests.filter(referred_by=membership.user),
    )


def request_text_visible(membership) -> bool:
    """Whether the member reads a request's free text: the citizen's own words, the referrer's
    reason, the reasons for a status or an age exception, the free-text wishes."""
    return "view_request_text" in member_permissions(membership)


def requests_referred_by(organisation, user):
    """What a referrer sees: the status of the requests they sent, never notes."""
    return (
        SupportRequest.objects.filter(organisation=organisation, referred_by=user)
        .select_related("programme", "citizen")
        .only(
            "public_id",
            "status",
            "created_at",
            "status_changed_at",
            "programme__name",
            "citizen__name",
            "citizen__public_id",
        )
        .order_by("-created_at", "-pk")
    )


def waiting_list_rows(requests, *, now=None) -> list[dict]:
    """One page of the waiting list: each request with its days waiting (until it was closed, for
    a closed one) and whether its citizen has a possible duplicate, in a fixed number of queries
    however long the page. What each row shows is plain data built once per page (lib.rows): the
    citizen's ``name``, the ``programme``'s name, ``status`` and ``source`` labelled,
    ``first_contact`` ("Yes, 3. marts 2026" or "Not yet") and the request's ``url``."""
    requests = list(requests)
    now = now or timezone.now()
    flagged = people_selectors.possible_duplicate_ids(
        {support_request.citizen for support_request in requests}
    )
    statuses = choice_label_map(Status)
    sources = choice_label_map(Source)
    yes, not_yet = _("Yes"), _("Not yet")
    detail_url = public_id_url("intake_request_detail")
    rows = []
    for support_request in requests:
        contacted = support_request.first_contact_at
        rows.append(
            {
                "request": support_request,
                "name": support_request.citizen.name,
                "programme": support_request.programme.name,
                "urgent": support_request.urgent,
                "below_minimum_age": support_request.below_minimum_age,
                "age_set_aside": bool(support_request.age_override_reason),
                "days_waiting": days_waiting(
                    support_request,
                    now=now if support_request.is_open else support_request.status_changed_at,
                ),
                "possible_duplicate": support_request.citizen_id in flagged,
                "status": statuses.get(support_request.status, support_request.status),
                "source": sources.get(support_request.source, support_request.source),
                "first_contact": f"{yes}, {short_date(contacted)}" if contacted else not_yet,
                "url": detail_url(support_request.public_id),
            }
        )
    return rows


def request_for_page(queryset):
    """What the request page shows, fetched with the request in one query."""
    return queryset.select_related(
        "citizen", "programme", "referred_by", "referring_unit", "first_contact_by"
    )


def request_history(support_request):
    return RequestEvent.objects.filter(support_request=support_request).select_related("actor")


def requests_of_citizen(citizen):
    return (
        SupportRequest.objects.filter(organisation=citizen.organisation_id, citizen=citizen)
        .select_related("programme")
        .order_by("-created_at")
    )


def citizen_timeline(citizen, *, consents=None) -> list[dict]:
    """Everything that happened to a citizen's requests and consents, newest first.

    Each item has ``at``, ``kind`` (``"request_event"`` or ``"consent"``) and the ``event`` or
    ``consent``; merges show as ``merged`` events on the requests that moved. Pass the citizen's
    consent history when it is already fetched."""
    events = RequestEvent.objects.filter(
        organisation=citizen.organisation_id, support_request__citizen=citizen
    ).select_related("actor", "support_request__programme")
    if consents is None:
        consents = people_selectors.consent_history(citizen)
    items = [{"at": event.at, "kind": "request_event", "event": event} for event in events]
    items += [
        {"at": consent.recorded_at, "kind": "consent", "consent": consent} for consent in consents
    ]
    return sorted(items, key=lambda item: item["at"], reverse=True)
