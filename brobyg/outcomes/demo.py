"""Demo outcomes: a year of invented answers with realistic change.

- The shipped questionnaires, and the recommended schedules in every programme.
- Citizens: the matched citizens of the matching demo answered the CHIME check-in when their
  match started (one chose to see their chart through the link); the citizens of the courses
  that began by hand answered it at the start and after 3 and 6 months (paid and volunteer
  peers, so the report compares them); and a year of earlier answers
  (CHIME check-in and WHO-5 at the start, after 3 and 6 months and at the end) for former
  citizens, imported as pseudonyms the way an organisation brings its earlier data.
- Region Hovedstaden has loaded a text pack for Brief INSPIRE-O; its texts here are invented
  placeholders (licensed texts never enter the repository).
- Peers: a check-in every two weeks for a year. The demo peer's last check-ins dip, and the last
  one asks for a talk, so the supervisor's start page has an open alert.
- Staff: the recovery pulse a year and half a year ago; the current one is asked by the
  periodic job (``make demo`` runs it).
"""

import io
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone

from brobyg.orgs.models import Membership, Programme
from brobyg.outcomes import services, services_answers
from brobyg.outcomes.imports import import_responses
from brobyg.outcomes.loading import instruments_load_shipped, pack_load
from brobyg.outcomes.models import Invitation, PeerAlert, Pseudonym, Response
from brobyg.outcomes.schedules import STAFF_ROLES, followup_timepoint, period_start
from brobyg.people.models import Peer

PEER_WEEKS = 52
# Former citizens per organisation whose earlier answers are imported: (organisation, prefix, n).
HISTORY = [
    ("Københavns Kommune", "KK", 30, ["brobyg-chime", "who-5"]),
    ("Frivilligcenter Rudersdal", "FR", 24, ["brobyg-chime", "who-5"]),
    ("Region Hovedstaden", "RH", 20, ["brief-inspire-o", "who-5"]),
]
TIMEPOINTS = [("baseline", 0), ("followup_3m", 91), ("followup_6m", 182), ("end", 300)]


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def _answers(rng, spec, level: float, *, missing: float = 0.02, spread: float = 0.15) -> dict:
    """Answers to every scored item around ``level`` (0 = worst, 1 = best on every scale)."""
    answers = {}
    for item in spec.scored_items:
        if rng.random() < missing:
            continue
        scale = item.scale
        value = round(scale.min + (scale.max - scale.min) * _clip(rng.gauss(level, spread)))
        answers[item.id] = scale.reverse(value) if item.reverse else value
    return answers


def _backdate(response, day: date) -> None:
    moment = _moment(day)
    Response.objects.filter(pk=response.pk).update(
        started_at=moment, completed_at=moment, answered_on=day
    )
    Invitation.objects.filter(pk=response.invitation_id).update(
        created_at=moment - timedelta(days=1),
        sent_at=moment - timedelta(days=1),
        completed_at=moment,
        expires_at=moment + timedelta(days=29),
    )


class _History:
    """Earlier answers, written in bulk: a year of check-ins through the services one by one
    would make the demo slow to load. Scored exactly as the services score."""

    def __init__(self):
        self.rows = []

    def add(self, *, shared=False, **row):
        """One completed answer: organisation, instrument, anchor_kind, anchor_id, timepoint,
        day, answers, and the respondent (citizen or user, peer, programme)."""
        self.rows.append({"shared": shared, **row})

    def write(self) -> None:
        from brobyg.lib import crypto
        from brobyg.lib.links import new_link_token, token_digest
        from brobyg.outcomes.definitions import TOTAL
        from brobyg.outcomes.models import Score
        from brobyg.outcomes.scoring import score

        invitations, responses, results = [], [], []
        for row in self.rows:
            moment = _moment(row["day"])
            token = new_link_token()
            respondent = {key: row.get(key) for key in ("citizen", "user", "peer", "programme")}
            invitation = Invitation(
                organisation=row["organisation"],
                instrument=row["instrument"],
                respondent_kind=row["instrument"].respondent,
                anchor_kind=row["anchor_kind"],
                anchor_id=row["anchor_id"],
                timepoint=row["timepoint"],
                token_digest=token_digest(token),
                token_encrypted=crypto.encrypt(token),
                expires_at=moment + timedelta(days=13),
                sent_at=moment - timedelta(days=1),
                completed_at=moment,
                **respondent,
            )
            scored = score(row["instrument"].spec, row["answers"])
            invitations.append(invitation)
            results.append(scored)
            responses.append(
                Response(
                    organisation=row["organisation"],
                    invitation=invitation,
                    instrument=row["instrument"],
                    respondent_kind=row["instrument"].respondent,
                    timepoint=row["timepoint"],
                    answers=row["answers"],
                    started_at=moment,
                    completed_at=moment,
                    answered_on=row["day"],
                    total=scored[TOTAL].value,
                    shared_with_supervisor=row["shared"],
                    **respondent,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=500)
        for invitation, response in zip(invitations, responses, strict=True):
            response.invitation = invitation
        Response.objects.bulk_create(responses, batch_size=500)
        Score.objects.bulk_create(
            [
                row
                for response, scored in zip(responses, results, strict=True)
                for row in Score.for_response(response, scored)
            ],
            batch_size=500,
        )
        pks = [invitation.pk for invitation in invitations]
        for first in range(0, len(pks), 500):
            Invitation.objects.filter(pk__in=pks[first : first + 500]).update(
                created_at=models.F("sent_at")
            )


def _record(*, organisation, instrument, anchor_kind, anchor_id, timepoint, day, answers, **kw):
    """One invitation answered on ``day``, through the same services as a real answer."""
    flags = {
        key: kw.pop(key) for key in ("citizen_sees_chart", "shared_with_supervisor") if key in kw
    }
    invitation, _token = services.invitation_create(
        organisation=organisation,
        instrument=instrument,
        anchor_kind=anchor_kind,
        anchor_id=anchor_id,
        timepoint=timepoint,
        send=False,
        **kw,
    )
    services_answers.response_save(invitation=invitation, answers=answers)
    response = services_answers.response_complete(invitation=invitation, **flags)
    _backdate(response, day)
    return response


def _history_csv(context, prefix: str, count: int, instruments: dict, codes: list[str]) -> str:
    """Earlier answers as the import file an organisation would bring: most improve, some do
    not, some stop answering."""
    out = io.StringIO()
    rng = context.rng
    out.write("respondent,instrument,version,timepoint,date,item,value\n")
    today = context.today
    for number in range(1, count + 1):
        start = today - timedelta(days=rng.randint(330, 420))
        level = rng.uniform(0.2, 0.5)
        gain = rng.choice([0.25, 0.2, 0.15, 0.1, 0.05, 0.0, -0.05])
        stops_after = rng.choice([4, 4, 4, 3, 3, 2])
        for index, (timepoint, days) in enumerate(TIMEPOINTS[:stops_after]):
            day = start + timedelta(days=days + rng.randint(-5, 10))
            if day >= today:
                break
            progress = level + gain * min(1, index / 2)
            for code in codes:
                spec = instruments[code].spec
                answers = _answers(rng, spec, progress)
                for item in spec.scored_items:
                    value = answers.get(item.id, "")
                    out.write(
                        f"{prefix}-{number:03d},{spec.code},{spec.version},{timepoint},"
                        f"{day.isoformat()},{item.id},{value}\n"
                    )
    return out.getvalue()


def _demo_pack(instrument) -> dict:
    """Invented placeholder texts for a licensed instrument (never the real ones)."""
    spec = instrument.spec
    domain_words = {
        "connectedness": ("forbundethed", "connectedness"),
        "hope": ("håb", "hope"),
        "identity": ("identitet", "identity"),
        "meaning": ("mening", "meaning"),
        "empowerment": ("indflydelse", "empowerment"),
    }
    return {
        "instrument": spec.code,
        "version": spec.version,
        "licence": "Demo: invented placeholder texts, not the licensed questionnaire",
        "items": {
            item.id: {
                "da": f"[Demo-tekst] Spørgsmål om {domain_words[item.domain][0]}",
                "en": f"[Demo text] A question about {domain_words[item.domain][1]}",
            }
            for item in spec.items
        },
        "labels": {
            code: {
                value: {"da": f"{value} (demo)", "en": f"{value} (demo)"} for value in scale.values
            }
            for code, scale in spec.scales.items()
        },
    }


def _matched_citizens(context, instruments) -> None:
    from django.apps import apps

    try:
        match_model = apps.get_model("matching", "Match")
    except LookupError:
        return
    from brobyg.people import selectors as people_selectors

    matches = match_model.objects.filter(activated_at__isnull=False).select_related(
        "citizen", "peer", "programme", "organisation"
    )
    for number, match in enumerate(matches.order_by("activated_at", "pk")):
        if not people_selectors.has_consent(match.citizen, "questionnaires"):
            continue
        spec = instruments["brobyg-chime"].spec
        level = context.rng.uniform(0.25, 0.45)
        moments = [("baseline", timezone.localdate(match.activated_at))]
        for months in (3, 6):
            day = timezone.localdate(match.activated_at) + timedelta(days=months * 30)
            if day < context.today:
                moments.append((followup_timepoint(months), day))
        for index, (timepoint, day) in enumerate(moments):
            _record(
                organisation=match.organisation,
                instrument=instruments["brobyg-chime"],
                anchor_kind="match",
                anchor_id=str(match.public_id),
                timepoint=timepoint,
                day=day,
                answers=_answers(context.rng, spec, level + 0.1 * index),
                citizen=match.citizen,
                peer=match.peer,
                programme=match.programme,
                citizen_sees_chart=number == 0,
            )


def _course_citizens(context, instruments) -> None:
    """The courses that began before the platform (started by hand, without a match) asked the
    CHIME check-in when they were sent by hand: at the start and after 3 and 6 months, so the
    report compares paid and volunteer support."""
    from django.apps import apps

    from brobyg.people import selectors as people_selectors

    try:
        course_model = apps.get_model("support", "Course")
    except LookupError:
        return
    spec = instruments["brobyg-chime"].spec
    courses = course_model.objects.filter(match__isnull=True, handover_in__isnull=True)
    for course in courses.select_related("citizen", "programme", "organisation").order_by("pk"):
        if not people_selectors.has_consent(course.citizen, "questionnaires"):
            continue
        peer = course.peers.first()
        level = context.rng.uniform(0.25, 0.45)
        gain = 0.12 if peer and peer.kind == "volunteer" else 0.08
        moments = [("baseline", course.started_on)]
        for months in (3, 6):
            day = course.started_on + timedelta(days=months * 30)
            if day < context.today and (course.ended_on is None or day <= course.ended_on):
                moments.append((followup_timepoint(months), day))
        for index, (timepoint, day) in enumerate(moments):
            _record(
                organisation=course.organisation,
                instrument=instruments["brobyg-chime"],
                anchor_kind="manual",
                anchor_id=f"course-{course.public_id}",
                timepoint=timepoint,
                day=day,
                answers=_answers(context.rng, spec, level + gain * index),
                citizen=course.citizen,
                peer=peer,
                programme=course.programme,
            )


def _peer_checkins(context, instruments, history: _History) -> None:
    """A check-in every two weeks for a year for every active peer. The demo peer's last two
    go through the services, so the dip and the wish to talk raise real alerts."""
    instrument = instruments["peer-checkin"]
    spec = instrument.spec
    demo_peer_email = f"peer@{context.domain}"
    today = context.today
    current = period_start(context.now, every_days=14)
    periods = [current - timedelta(days=14 * n) for n in range(PEER_WEEKS // 2, 0, -1)]
    supervisors = {}
    for membership in Membership.objects.filter(is_active=True).select_related("user"):
        if "supervisor" in membership.roles or "coordinator" in membership.roles:
            supervisors.setdefault(membership.organisation_id, membership.user)
    peers = Peer.objects.filter(status="active").select_related("user", "organisation")
    for peer in peers.prefetch_related("programmes").order_by("pk"):
        rng = context.rng
        is_demo_peer = peer.user.email == demo_peer_email
        level = rng.uniform(0.55, 0.75)
        programme = next(iter(peer.programmes.all()), None)
        for index, start in enumerate(periods):
            day = start + timedelta(days=rng.randint(0, 4))
            if day >= today:
                continue
            level = _clip(level + rng.gauss(0, 0.04))
            final = is_demo_peer and index >= len(periods) - 2
            answers = _answers(rng, spec, 0.25 if final else level, missing=0.01, spread=0.1)
            answers["talk"] = 1 if is_demo_peer and index == len(periods) - 1 else 0
            fields = {
                "organisation": peer.organisation,
                "instrument": instrument,
                "anchor_kind": "peer",
                "anchor_id": str(peer.public_id),
                "timepoint": start.isoformat(),
                "day": day,
                "answers": answers,
                "user": peer.user,
                "peer": peer,
                "programme": programme,
            }
            shared = is_demo_peer and index % 3 == 0
            if not final:
                history.add(**fields, shared=shared)
                continue
            history.write()  # the history first: the alert compares with the last check-in
            history.rows.clear()
            response = _record(**fields, shared_with_supervisor=shared)
            handled = index < len(periods) - 1
            PeerAlert.objects.filter(response=response).update(
                created_at=_moment(day),
                handled_at=_moment(day + timedelta(days=1)) if handled else None,
                handled_by=supervisors.get(peer.organisation_id) if handled else None,
            )


def _staff_pulses(context, instruments, history: _History) -> None:
    instrument = instruments["staff-pulse"]
    spec = instrument.spec
    today = context.today
    first_month = (today.year * 12 + today.month - 1) // 6 * 6
    members = Membership.objects.filter(is_active=True).select_related("user", "organisation")
    for membership in members.order_by("pk"):
        if not STAFF_ROLES & set(membership.roles):
            continue
        level = context.rng.uniform(0.4, 0.6)
        for periods_ago in (2, 1):
            month_index = first_month - 6 * periods_ago
            start = date(month_index // 12, month_index % 12 + 1, 1)
            history.add(
                organisation=membership.organisation,
                instrument=instrument,
                anchor_kind="staff",
                anchor_id=str(membership.public_id),
                timepoint=start.strftime("%Y-%m"),
                day=start + timedelta(days=context.rng.randint(3, 20)),
                answers=_answers(context.rng, spec, level + 0.08 * (2 - periods_ago)),
                user=membership.user,
            )


def _imported_consents(organisation) -> None:
    """The earlier answers came with written answers on use in evaluation (kept on paper): most
    said yes, one in nine no, so the evaluator's dataset has rows and shows who is left out."""
    from brobyg.people.services import consent_record

    pseudonyms = Pseudonym.objects.filter(organisation=organisation).select_related("citizen")
    for number, pseudonym in enumerate(pseudonyms.order_by("value")):
        consent_record(
            actor=None,
            citizen=pseudonym.citizen,
            purpose="evaluation",
            given=number % 9 != 4,
            method="written",
        )


def seed(context) -> None:
    instruments = {instrument.code: instrument for instrument, _ in instruments_load_shipped()}
    for programme in Programme.objects.filter(is_active=True).select_related("organisation"):
        services.schedules_create_defaults(actor=None, programme=programme)
    region = context.organisations["Region Hovedstaden"]
    pack_load(organisation=region, data=_demo_pack(instruments["brief-inspire-o"]))
    for org_name, prefix, count, codes in HISTORY:
        text = _history_csv(context, prefix, count, instruments, codes)
        organisation = context.organisations[org_name]
        import_responses(
            organisation=organisation, stream=io.StringIO(text), source="demo: earlier answers"
        )
        _imported_consents(organisation)
    _matched_citizens(context, instruments)
    _course_citizens(context, instruments)
    history = _History()
    _peer_checkins(context, instruments, history)
    _staff_pulses(context, instruments, history)
    history.write()
    _group_evaluation(context)


# The finished recovery-school course's evaluation: yes-answers (agree or strongly agree) per
# participant type to new insights, more hopeful and would recommend, close to the published
# shares (84 % / 87 % / 69 % new insights; 74 % of citizens more hopeful).
GROUP_EVALUATION_YES = {
    "citizen": (16, 14, 17),
    "relative": (13, 11, 14),
    "staff": (9, 8, 11),
}
GROUP_EVALUATION_WORDS = [
    "Jeg har fået sprog for det, jeg har gået igennem.",
    "Det betød meget at høre, at andre har haft det på samme måde.",
    "Jeg forstår min datter bedre nu.",
    "Jeg tager nye ord med tilbage til mit arbejde på bostedet.",
    "",
    "Jeg tror mere på, at det kan blive bedre.",
]


def _group_evaluation(context) -> None:
    from brobyg.groups.demo import finished_recovery_school_course
    from brobyg.outcomes import group_evaluation, services_answers

    group = finished_recovery_school_course(context)
    group_evaluation.invite_group(actor=None, group=group)
    by_kind: dict[str, list] = {}
    for invitation in group_evaluation.invitations_of(group).order_by("pk"):
        by_kind.setdefault(invitation.participant.kind, []).append(invitation)
    rng = context.rng
    for kind, invitations in by_kind.items():
        for position, invitation in enumerate(invitations):
            answers = {
                item: (rng.choice((3, 4)) if position < yes else rng.choice((0, 1, 2)))
                for item, yes in zip(
                    ("insight", "hopeful", "recommend"), GROUP_EVALUATION_YES[kind], strict=True
                )
            }
            words = GROUP_EVALUATION_WORDS[position % len(GROUP_EVALUATION_WORDS)]
            if words and position % 3 == 0:
                answers["own_words"] = words
            services_answers.response_save(invitation=invitation, answers=answers)
            services_answers.response_complete(
                invitation=invitation, mode="paper" if position % 4 == 0 else "self"
            )
