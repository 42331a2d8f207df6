"""Explanations in words: each criterion's contribution to a proposal, and why nobody fits.

An explanation is stored as data (criterion, points, what matched) and turned into sentences
when shown, so a Danish coordinator reads Danish and an English one English.
"""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobyg.intake.models import Availability
from brobyg.lib.choices import choice_labels
from brobyg.matching.engine.features import CRITERIA
from brobyg.matching.extract import coarse_availability
from brobyg.orgs.choices import Purpose, SupportType
from brobyg.people.models import ExperienceArea, PreferredForm
from brobyg.people.vocabulary import language_name

CRITERION_LABELS = {
    "shared_experience": gettext_lazy("Shared experience"),
    "purposes": gettext_lazy("What the support is about"),
    "form": gettext_lazy("Form of support"),
    "availability": gettext_lazy("When to meet"),
    "area": gettext_lazy("Where: municipality, phone or online"),
    "language": gettext_lazy("Language"),
    "peer_type": gettext_lazy("Paid or volunteer peer"),
    "gender": gettext_lazy("Gender of the peer"),
    "age": gettext_lazy("Age of the peer"),
    "load": gettext_lazy("The peer's current load (spreads the work)"),
    "caution": gettext_lazy("Peer care"),
}
# Criteria that can be marked as a must on a request (load is the peer's, not a wish).
MUST_CHOICES = [(code, CRITERION_LABELS[code]) for code in CRITERIA if code != "load"]

CAUTION_PHRASES = {
    "asked_for_break": gettext_lazy("Has asked for a break or a talk: talk with the peer first"),
    "credential_expired": gettext_lazy("A credential the peer needs has expired"),
}

AVAILABILITY_PHRASES = {
    Availability.WEEKDAY_DAYTIME: gettext_lazy("in the daytime on weekdays"),
    Availability.EVENINGS: gettext_lazy("in the evening"),
    Availability.WEEKENDS: gettext_lazy("at weekends"),
}


def _join(labels) -> str:
    """ "angst, stress og depression"."""
    labels = [str(label) for label in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {_('and')} {labels[-1]}"


def _labels(codes, choices) -> list[str]:
    """Choice labels inside a sentence: in lower case."""
    return [label.lower() for label in choice_labels(choices, codes)]


def pair_explanation(view, peer, live: int, applicable, similarity, weights) -> list[dict]:
    """The stored form: one dict per applicable criterion, biggest contribution first."""
    total_weight = sum(w for w, on in zip(weights, applicable, strict=True) if on) or 1
    peer_availability = coarse_availability(peer.availability)
    parts = []
    for index, criterion in enumerate(CRITERIA):
        if not applicable[index] or not weights[index]:
            continue
        met = float(similarity[index])
        line = {
            "criterion": criterion,
            "met": round(met, 3),
            "points": round(100 * weights[index] * met / total_weight, 1),
        }
        if criterion == "shared_experience":
            shared = [c for c in view.experience_areas if c in peer.experience_areas]
            line["items"] = shared or list(view.experience_areas)
        elif criterion == "purposes":
            shared = [c for c in view.purposes if c in peer.strengths]
            line["items"] = shared or list(view.purposes)
        elif criterion == "form":
            shared = [c for c in view.forms if c in peer.forms]
            line["items"] = shared or list(view.forms)
        elif criterion == "availability":
            shared = [c for c in view.availability if c in peer_availability]
            line["items"] = shared or list(view.availability)
        elif criterion == "area":
            covers = bool(view.municipality) and view.municipality in peer.municipalities
            line["items"] = [view.municipality] if view.municipality else []
            line["how"] = "municipality" if covers else ("remote" if met else "none")
        elif criterion == "language":
            line["items"] = [view.language]
        elif criterion == "peer_type":
            line["items"] = [peer.kind]
        elif criterion == "load":
            line["live"] = live
            line["capacity"] = peer.capacity
        parts.append(line)
    parts.sort(key=lambda line: -line["points"])
    return parts


def caution_line(codes, penalty: float) -> dict:
    """The explanation's line for a peer-care caution: what kind, never the peer's reasons."""
    return {"criterion": "caution", "met": 0, "points": -penalty, "items": list(codes)}


def sentence(line: dict) -> str:
    """One criterion's contribution in plain words, in the active language."""
    criterion, met, items = line["criterion"], line["met"] > 0, line.get("items", [])
    if criterion == "caution":
        return "; ".join(str(CAUTION_PHRASES.get(code, code)) for code in items)
    if criterion == "shared_experience":
        areas = _join(_labels(items, ExperienceArea.choices))
        if met:
            return _("You both have experience with %(areas)s") % {"areas": areas}
        return _("No shared experience with %(areas)s") % {"areas": areas}
    if criterion == "purposes":
        purposes = _join(_labels(items, Purpose.choices))
        if met:
            return _("Good at supporting: %(purposes)s") % {"purposes": purposes}
        return _("Not among the peer's strengths: %(purposes)s") % {"purposes": purposes}
    if criterion == "form":
        forms = _join(_labels(items, PreferredForm.choices))
        if met:
            return _("Offers support: %(forms)s") % {"forms": forms}
        return _("Does not offer the wished form: %(forms)s") % {"forms": forms}
    if criterion == "availability":
        times = _join([str(AVAILABILITY_PHRASES.get(code, code)) for code in items])
        if met:
            return _("Can meet %(times)s") % {"times": times}
        return _("Cannot meet %(times)s") % {"times": times}
    if criterion == "area":
        how = line.get("how")
        if how == "municipality":
            return _("Covers %(municipality)s") % {"municipality": items[0]}
        if how == "remote":
            return _("Can support by phone or online")
        if items:
            return _("Does not cover %(municipality)s") % {"municipality": items[0]}
        return _("Cannot support by phone or online")
    if criterion == "language":
        language = language_name(items[0], in_sentence=True) if items else ""
        if met:
            return _("Speaks %(language)s") % {"language": language}
        return _("Does not speak %(language)s") % {"language": language}
    if criterion == "peer_type":
        if met:
            if items and items[0] == SupportType.VOLUNTEER:
                return _("A volunteer peer, as wished")
            return _("A paid peer, as wished")
        return _("Not the wished kind of peer (paid or volunteer)")
    if criterion == "gender":
        return _("The wished gender") if met else _("Not the wished gender")
    if criterion == "age":
        return _("The wished age") if met else _("Not the wished age")
    if criterion == "load":
        return _("Has room: %(live)d of %(capacity)d places taken") % {
            "live": line.get("live", 0),
            "capacity": line.get("capacity", 0),
        }
    return str(CRITERION_LABELS.get(criterion, criterion))


MINUS = "\u2212"


def explanation_lines(explanation: list[dict]) -> list[dict]:
    """For templates: the sentence, the points and whether it speaks for the match, with the
    points as shown ("+12", ``MINUS`` and "3", or "0") and as read aloud ("12 of 100 points"),
    rounded as ``floatformat:0`` rounds them."""
    of_100 = _("%(points)s of 100 points")
    lines = []
    for line in explanation:
        points = line["points"]
        rounded = str(floatformat(points, 0))
        positive = line["met"] > 0
        if positive:
            shown = f"+{rounded}"
        elif points < 0:
            shown = MINUS + rounded.replace("-", "")
        else:
            shown = "0"
        lines.append(
            {
                "text": sentence(line),
                "points": points,
                "positive": positive,
                "label": CRITERION_LABELS.get(line["criterion"], line["criterion"]),
                "shown": shown,
                "read_aloud": of_100 % {"points": rounded},
            }
        )
    return lines


def citizen_lines(explanation: list[dict]) -> list[str]:
    """What the citizen is shown: the practical fit only, never the peer's lived experience,
    gender or age, which the peer shares with coordinators alone."""
    practical = {"form", "availability", "area", "language", "peer_type"}
    return [
        sentence(line) for line in explanation if line["criterion"] in practical and line["met"] > 0
    ]


def reason_text(reason: dict | None) -> str:
    """Why nobody (or this peer) can take the request, in plain words."""
    if not reason:
        return ""
    code, count = reason.get("code"), reason.get("count", 0)
    if code == "no_active_peers":
        return _("No active peer works in this programme.")
    if code == "peer_not_active":
        return _("The peer is not active (onboarding, paused or ended) and is never proposed.")
    if code == "programme":
        return _("No active peer works in this programme.")
    if code == "capacity":
        return _("All %(count)d active peers in the programme are full.") % {"count": count}
    if code == "age":
        if reason.get("age") is not None:
            return _("No peer with a free place supports citizens aged %(age)d.") % {
                "age": reason["age"]
            }
        return _("No peer with a free place supports citizens of this age.")
    if code == "must_language":
        return _("No available peer speaks %(language)s, which is a must.") % {
            "language": language_name(reason.get("language", ""), in_sentence=True)
        }
    if code and code.startswith("must_"):
        label = CRITERION_LABELS.get(code.removeprefix("must_"), code)
        return _("No available peer meets a must-have wish: %(wish)s.") % {"wish": label}
    if code == "exclusion":
        return _("The only peers who fit are marked 'not this person' for this citizen.")
    if code == "taken_in_run":
        return _("The peers who fit were given to other citizens in this run.")
    return _("No peer fits this request.")
