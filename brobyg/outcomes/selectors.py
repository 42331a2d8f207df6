"""Reads of instruments, their texts, invitations, responses and scores."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from brobyg.lib.links import token_digest
from brobyg.orgs.permissions import member_permissions
from brobyg.orgs.selectors import active_members_holding
from brobyg.outcomes.definitions import TOTAL, Definition
from brobyg.outcomes.models import (
    Instrument,
    InstrumentPack,
    Invitation,
    PeerAlert,
    RespondentKind,
    Response,
    Schedule,
    Score,
)
from brobyg.people import selectors as people_selectors


@dataclass(frozen=True)
class Texts:
    """What an organisation may show of an instrument: its own texts, or a loaded pack's."""

    definition: Definition
    available: bool
    items: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    title: dict = field(default_factory=dict)
    intro: dict = field(default_factory=dict)
    conversion_table: dict = field(default_factory=dict)
    licence: str = ""

    def language(self, wanted: str | None = None) -> str:
        wanted = wanted or translation.get_language() or "da"
        return wanted if wanted in self.definition.languages else self.definition.languages[0]

    def pick(self, texts: dict, language: str | None) -> str:
        return texts.get(self.language(language), "") if texts else ""

    def title_in(self, language=None) -> str:
        return self.pick(self.title, language) or self.definition.code

    def intro_in(self, language=None) -> str:
        return self.pick(self.intro, language)

    def item_text(self, item_id: str, language=None) -> str:
        return self.pick(self.items.get(item_id, {}), language)

    def label(self, scale_code: str, value: int, language=None) -> str:
        return self.pick(self.labels.get(scale_code, {}).get(value, {}), language)


def _int_keys(mapping: dict) -> dict:
    return {int(key): value for key, value in mapping.items()}


def instrument_texts(instrument: Instrument, organisation) -> Texts:
    spec = instrument.spec
    shipped_labels = {code: scale.labels for code, scale in spec.scales.items() if scale.labels}
    if spec.texts_included:
        return Texts(
            definition=spec,
            available=True,
            items={item.id: item.text for item in spec.items},
            labels=shipped_labels,
            title=spec.title,
            intro=spec.intro,
        )
    pack = (
        InstrumentPack.objects.filter(organisation=organisation, instrument=instrument).first()
        if organisation is not None
        else None
    )
    if pack is None:
        return Texts(definition=spec, available=False, title=spec.title, labels=shipped_labels)
    labels = {code: _int_keys(values) for code, values in pack.texts.get("labels", {}).items()}
    return Texts(
        definition=spec,
        available=True,
        items=pack.texts.get("items", {}),
        labels={**shipped_labels, **labels},
        title=pack.texts.get("title") or spec.title,
        intro=pack.texts.get("intro") or spec.intro,
        conversion_table={int(raw): value for raw, value in pack.conversion_table.items()},
        licence=pack.licence,
    )


def current_instruments(*, respondent: str | None = None):
    instruments = Instrument.objects.filter(is_current=True)
    if respondent:
        instruments = instruments.filter(respondent=respondent)
    return instruments.order_by("code")


def current_instrument(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code, is_current=True).first()


def instruments_answerable_by(organisation, respondent: str) -> list[Instrument]:
    """The current instruments of one respondent kind whose texts the organisation may show."""
    return [
        instrument
        for instrument in current_instruments(respondent=respondent)
        if instrument_texts(instrument, organisation).available
    ]


def packs_of(organisation) -> dict[int, InstrumentPack]:
    return {
        pack.instrument_id: pack
        for pack in InstrumentPack.objects.filter(organisation=organisation)
    }


# Invitations


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a questionnaire link points to, whatever its state (the page tells a used
    or expired link kindly). Read across scopes: the token is the authorisation."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            Invitation.objects.select_related(
                "instrument", "organisation", "citizen", "user", "peer", "programme"
            )
            .filter(token_digest=token_digest(token))
            .first()
        )


def invitations_of_citizen(citizen):
    return (
        Invitation.objects.filter(organisation=citizen.organisation_id, citizen=citizen)
        .select_related("instrument", "programme")
        .order_by("-created_at", "-pk")
    )


def open_invitations_of_user(organisation, user, *, respondent_kind: str):
    now = timezone.now()
    return (
        Invitation.objects.filter(
            organisation=organisation,
            user=user,
            respondent_kind=respondent_kind,
            completed_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("instrument")
        .order_by("expires_at")
    )


def schedules_of_programme(programme):
    return Schedule.objects.filter(
        organisation=programme.organisation_id, programme=programme
    ).select_related("instrument")


# Responses and scores


def _with_scores(responses):
    return responses.select_related("instrument").prefetch_related(
        Prefetch("scores", queryset=Score.objects.order_by("pk"))
    )


def completed_responses_of_citizen(citizen):
    return _with_scores(
        Response.objects.filter(
            organisation=citizen.organisation_id, citizen=citizen, completed_at__isnull=False
        )
    ).order_by("answered_on", "pk")


def own_checkins(organisation, user):
    """A peer's own completed check-ins: only the peer sees these (and their supervisors the
    ones the peer shared)."""
    return _with_scores(
        Response.objects.filter(
            organisation=organisation,
            user=user,
            respondent_kind=RespondentKind.PEER,
            completed_at__isnull=False,
        )
    ).order_by("answered_on", "pk")


def shared_checkins(peer):
    return _with_scores(
        Response.objects.filter(
            organisation=peer.organisation_id,
            user=peer.user_id,
            respondent_kind=RespondentKind.PEER,
            completed_at__isnull=False,
            shared_with_supervisor=True,
        )
    ).order_by("answered_on", "pk")


def previous_checkin(response) -> Response | None:
    """The same person's completed response to the same instrument (any version) before it."""
    return (
        Response.objects.filter(
            organisation=response.organisation_id,
            user=response.user_id,
            instrument__code=response.instrument.code,
            completed_at__isnull=False,
            total__isnull=False,
        )
        .exclude(pk=response.pk)
        .order_by("-completed_at", "-pk")
        .first()
    )


def responses_visible_to(membership):
    """Completed responses the member may see one by one: those of the citizens they may see,
    their own, and with ``view_shared_checkins`` the check-ins peers shared with their
    supervisors. Staff pulses are reported for the organisation only, never one by one."""
    if membership is None:
        return Response.objects.none()
    citizens = people_selectors.citizens_visible_to(membership)
    visible = Q(respondent_kind=RespondentKind.CITIZEN, citizen__in=citizens) | Q(
        user=membership.user
    )
    if "view_shared_checkins" in member_permissions(membership):
        visible |= Q(respondent_kind=RespondentKind.PEER, shared_with_supervisor=True)
    return Response.objects.filter(
        visible, organisation=membership.organisation, completed_at__isnull=False
    ).select_related("instrument", "citizen", "user")


def series_by_instrument(responses, organisation) -> list[dict]:
    """Responses grouped by instrument code for charts: each group has the instrument (newest
    version answered), its texts, the domains scored, and its responses in date order with
    their scores by scale."""
    groups: dict[str, dict] = {}
    for response in responses:
        code = response.instrument.code
        group = groups.setdefault(code, {"instrument": response.instrument, "responses": []})
        if response.instrument.version > group["instrument"].version:
            group["instrument"] = response.instrument
        group["responses"].append(
            {
                "response": response,
                "scores": {score.scale: score for score in response.scores.all()},
            }
        )
    result = []
    for group in groups.values():
        spec = group["instrument"].spec
        group["texts"] = instrument_texts(group["instrument"], organisation)
        group["scales"] = spec.score_scales
        group["total"] = TOTAL
        result.append(group)
    return sorted(result, key=lambda group: group["instrument"].code)


# Peer alerts


def open_alerts(organisation):
    return (
        PeerAlert.objects.filter(organisation=organisation, handled_at__isnull=True)
        .select_related("user")
        .order_by("-created_at")
    )


def alert_recipients(organisation, *, exclude_user=None) -> list[str]:
    """The e-mail addresses of the organisation's active members who see peer alerts
    (``view_peer_alerts``: supervisors and coordinators)."""
    return sorted(
        {
            member.user.email
            for member in active_members_holding(organisation, "view_peer_alerts")
            if member.user != exclude_user
        }
    )


def peers_sharing_checkins(organisation):
    """The organisation's peers who shared at least one check-in with their supervisors."""
    from brobyg.people.models import Peer

    sharing = Response.objects.filter(
        organisation=organisation,
        respondent_kind=RespondentKind.PEER,
        shared_with_supervisor=True,
        completed_at__isnull=False,
    ).values("user_id")
    return (
        Peer.objects.filter(organisation=organisation, user_id__in=sharing)
        .select_related("user")
        .order_by("user__full_name")
    )


def active_schedules_of(programme):
    """The programme's active schedules (the start page counts them)."""
    return Schedule.objects.filter(programme=programme, is_active=True)
