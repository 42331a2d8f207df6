"""The active peers of one request's programme as the engine's features, read by the database.

A request's page scores every active peer of its programme (thousands in a big municipality).
Loading each peer's profile and turning it into bits in Python grew with the peers; here the
database answers, in one query, only what the request can ask about: for each code the citizen
wished (an experience, a purpose, a form, a time of the week, the municipality, the language)
whether the peer has it, plus the peer's kind, gender, age band, age range, capacity, proposals
waiting for an answer and whether the peer is excluded for the citizen. The resulting
``PeerFeatures`` hold the request's own bits only; every bit the request does not wish scores
nothing in the engine (its units there are 0), so the engine's scores, hard constraints and
explanations of this request are exactly those of the peers' full features
(``tests/test_request_peers.py`` compares both on varied data).
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Value,
)

from brobyg.lib.compiled import compiled_values
from brobyg.matching.engine.features import PeerFeatures
from brobyg.matching.extensions import held_places_source
from brobyg.matching.extract import (
    AGE_BAND,
    AVAILABILITY_BITS,
    EXPERIENCE_BITS,
    FORM_BITS,
    GENDER,
    KIND,
    LANGUAGE_INDEX,
    MUNICIPALITY_INDEX,
    PURPOSE_BITS,
    coarse_availability,
)
from brobyg.matching.models import PENDING_STATUSES, Exclusion, Match, MatchStatus
from brobyg.people.models import AVAILABILITY_SLOTS, Peer, PeerStatus


class JsonListHasAny(Func):
    """True where a JSON list of strings holds one of ``words`` (exact, case-sensitive)."""

    output_field = BooleanField()
    template = (
        "EXISTS (SELECT 1 FROM json_each(%(column)s) AS words"
        " WHERE words.value IN (%(expressions)s))"
    )
    postgresql_template = "(%(column)s ?| ARRAY[%(expressions)s]::text[])"

    def __init__(self, field: str, words):
        super().__init__(F(field), *(Value(str(word), output_field=CharField()) for word in words))

    def as_sql(self, compiler, connection, template=None, **extra_context):
        column, *words = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        only_words = self.copy()
        only_words.set_source_expressions(words)
        sql, params = Func.as_sql(
            only_words, compiler, connection, template=template, column=column_sql, **extra_context
        )
        return sql, (*column_params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=self.postgresql_template, **extra_context)


# The week's slots that give each of the three times citizens choose from (a peer has a time when
# one of its slots gives it, as ``coarse_availability`` reads the peer's slots).
AVAILABILITY_SLOTS_OF = {
    category: [slot for slot in AVAILABILITY_SLOTS if category in coarse_availability([slot])]
    for category in AVAILABILITY_BITS
}


@dataclass
class ProgrammePeers:
    """The active peers of the request's programme, in id order."""

    ids: list[int]
    features: PeerFeatures
    live: dict[int, int]  # places taken, per peer with any
    excluded: np.ndarray  # bool per peer: marked 'not this person' for the citizen


def _wished_flags(view) -> list[tuple[str, str, list[str], int]]:
    """(feature, JSON field, words, bit) for each code the request wishes: the peer's feature
    gets ``bit`` when its field holds one of the words."""
    flags = []
    for feature, field, codes, bits in (
        ("experience", "experience_areas", view.experience_areas, EXPERIENCE_BITS),
        ("strengths", "strengths", view.purposes, PURPOSE_BITS),
        ("forms", "forms", view.forms, FORM_BITS),
    ):
        for code in dict.fromkeys(codes):
            if bits.get(code):
                flags.append((feature, field, [code], bits[code]))
    for code in dict.fromkeys(view.availability):
        if AVAILABILITY_BITS.get(code):
            flags.append(
                (
                    "availability",
                    "availability",
                    AVAILABILITY_SLOTS_OF[code],
                    AVAILABILITY_BITS[code],
                )
            )
    municipality = MUNICIPALITY_INDEX.get(view.municipality)
    if municipality is not None:
        flags.append(("areas", "municipalities", [view.municipality], municipality))
    language = LANGUAGE_INDEX.get(view.language)
    if language is not None:
        flags.append(("languages", "languages", [view.language], 1 << language))
    return flags


def programme_peers(support_request, view) -> ProgrammePeers:
    """Three queries: the peers with their answers, the organisation's proposals waiting for
    an answer, and the places the peers hold (the held-places hook). The first two are
    compiled once (``lib.compiled``: building them cost 5 ms of Python on every request's
    matching page), the peers' query per programme and wished codes, the citizen its
    argument."""
    flags = _wished_flags(view)
    organisation_id = support_request.organisation_id
    active = Peer.objects.filter(
        organisation=organisation_id,
        programmes=support_request.programme_id,
        status=PeerStatus.ACTIVE,
    )
    columns = (
        "pk",
        "capacity",
        "supports_min_age",
        "supports_max_age",
        "works_remote",
        "kind",
        "gender",
        "age_band",
        "excluded",
        *(f"wish{number}" for number in range(len(flags))),
    )

    def build_peers(citizen_id):
        return (
            active.annotate(
                excluded=Exists(
                    Exclusion.objects.filter(citizen_id=citizen_id, peer_id=OuterRef("pk"))
                ),
                **{
                    f"wish{number}": JsonListHasAny(field, words)
                    for number, (_feature, field, words, _bit) in enumerate(flags)
                },
            )
            .order_by("pk")
            .values_list(*columns)
        )

    wished = tuple((field, tuple(words)) for _feature, field, words, _bit in flags)
    rows = compiled_values(
        Peer,
        ("matching.programme_peers", organisation_id, support_request.programme_id, wished),
        build_peers,
        (support_request.citizen_id,),
    )
    ids = [row[0] for row in rows]
    if not ids:
        return _features(rows, flags, {})
    # Proposals waiting for an answer are few: the organisation's, counted where they are.
    pending = compiled_values(
        Match,
        ("matching.pending_counts", organisation_id),
        lambda: (
            Match.objects.filter(organisation=organisation_id, status__in=PENDING_STATUSES)
            .values_list("peer_id")
            .annotate(n=Count("pk"))
        ),
    )
    taken = dict(pending)
    # The held places of the same peers, asked with the peers' query as a subquery: a big
    # municipality's programme has ~900 active peers, and as a list of ids each would be a
    # parameter that Django and psycopg pass and PostgreSQL plans (6 ms of Python, 3 ms of
    # planning).
    held = held_places_source(active_match_counts)(organisation_id, active.values("pk"))
    for peer_id, places in held.items():
        taken[peer_id] = taken.get(peer_id, 0) + places
    return _features(rows, flags, taken)


def active_match_counts(organisation, peer_ids) -> dict[int, int]:
    """The held places without a registered source: the peer's active matches."""
    rows = (
        Match.objects.filter(
            organisation=organisation, peer_id__in=peer_ids, status=MatchStatus.ACTIVE
        )
        .values("peer_id")
        .annotate(n=Count("pk"))
    )
    return {row["peer_id"]: row["n"] for row in rows}


def _features(rows, flags, taken) -> ProgrammePeers:
    m = len(rows)
    ids = [row[0] for row in rows]

    def column(index, dtype):
        return np.array([row[index] for row in rows], dtype=dtype).reshape(m)

    capacity = column(1, np.int64)
    live_taken = np.array([taken.get(pk, 0) for pk in ids], dtype=np.int64).reshape(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(capacity > 0, np.minimum(live_taken / np.maximum(capacity, 1), 1.0), 1.0)
    values = {
        "programmes": np.ones(m, np.uint64),
        "experience": np.zeros(m, np.uint32),
        "strengths": np.zeros(m, np.uint16),
        "forms": np.zeros(m, np.uint8),
        "availability": np.zeros(m, np.uint8),
        "areas": np.zeros((m, 2), np.uint64),
        "remote": column(4, bool),
        "languages": np.zeros(m, np.uint64),
        "kind": np.array([KIND.get(row[5], 0) for row in rows], np.int8).reshape(m),
        "gender": np.array([GENDER.get(row[6], 0) for row in rows], np.int8).reshape(m),
        "age_band": np.array([AGE_BAND.get(row[7], 0) for row in rows], np.int8).reshape(m),
        "min_age": column(2, np.int16),
        "max_age": column(3, np.int16),
        "capacity": np.maximum(capacity - live_taken, 0).astype(np.int16),
        "load": load.astype(np.float32),
    }
    for number, (feature, _field, _words, bit) in enumerate(flags):
        has = column(9 + number, bool)
        if feature == "areas":
            values["areas"][has, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        else:
            target = values[feature]
            target[has] |= target.dtype.type(bit)
    live = {pk: int(taken) for pk, taken in zip(ids, live_taken, strict=True) if taken}
    return ProgrammePeers(
        ids=ids,
        features=PeerFeatures(**values),
        live=live,
        excluded=column(8, bool),
    )
