"""Instrument definitions: versioned YAML files in ``instruments/``, read and checked here.

A definition says what an instrument asks and how it is scored; it is data, not code. The files
are loaded into the database with ``manage.py load_instruments``; an organisation that holds a
licence for an instrument whose texts may not be shipped loads them as a text pack with
``manage.py load_instrument_pack`` (format in ``instruments/PACKS.md``).

A definition, as YAML::

    code: who-5                 # stable, lower case
    version: "1998"             # a changed definition is a new version
    respondent: citizen         # citizen | peer | staff | participant
    title: {da: ..., en: ...}
    intro: {da: ..., en: ...}   # optional
    minutes: 2                  # about how long it takes
    languages: [da, en]
    licence:
      texts_included: true      # false: item texts and scale labels come from a pack
      validated: true
      note: {da: ..., en: ...}
    domains:                    # CHIME domains or the instrument's subscales; optional
      hope: {da: ..., en: ...}
    scales:
      often: {min: 0, max: 5, labels: {0: {da: ..., en: ...}, ...}}
    items:
      - {id: q1, scale: often, domain: hope, reverse: false, text: {da: ..., en: ...}}
      - {id: words, kind: text, text: {...}}          # free text, never scored
      - {id: talk, scale: yes_no, scored: false}       # asked, but not in the scores
    scoring:
      method: sum               # sum | mean of the item values (reverse items reversed)
      multiply: 4               # optional factor for the reported score
      conversion: pack          # optional: the total is looked up in the pack's table
      max_missing_fraction: 0.2 # prorate when at most this share of the items is missing
      domain_scores: false      # also a score per domain
      range: [0, 100]           # of the reported total
    reliability: {internal_consistency: 0.89, test_retest: 0.74, sem: null, reference_sd: null,
                  source: ...}
                                # reports use test_retest as r in the reliable-change index, else
                                # internal_consistency (Cronbach's alpha), else a published sem;
                                # reference_sd: the published SD of the total, used for small
                                # samples (reports/statistics.py); unknown stays empty
    meaningful_change: 10       # in points of the reported total, where published
    meaningful_change_note: ...
    better: higher              # optional: which way of the scores is better (higher | lower)
    alert: {drop: 1.0, flag_item: talk, flag_values: [1]}   # peer check-ins only
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"
LANGUAGES = ("da", "en")
RESPONDENTS = ("citizen", "peer", "staff", "participant")
CHIME_DOMAINS = ("connectedness", "hope", "identity", "meaning", "empowerment")
ITEM_KINDS = ("scale", "text")
METHODS = ("sum", "mean")
DIRECTIONS = ("higher", "lower")
TOTAL = "total"


class DefinitionError(ValueError):
    """A definition or a text pack is not valid; ``problems`` lists every fault found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Scale:
    code: str
    min: int
    max: int
    labels: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    def reverse(self, value: int) -> int:
        return self.min + self.max - value


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    scale: Scale | None
    domain: str
    reverse: bool
    scored: bool
    text: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scoring:
    method: str
    multiply: float
    conversion: str
    max_missing_fraction: float
    domain_scores: bool
    range: tuple[float, float]


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    respondent: str
    title: dict[str, str]
    intro: dict[str, str]
    minutes: int
    languages: tuple[str, ...]
    texts_included: bool
    validated: bool
    licence_note: dict[str, str]
    domains: dict[str, dict[str, str]]
    scales: dict[str, Scale]
    items: tuple[Item, ...]
    scoring: Scoring
    reliability: dict
    meaningful_change: float | None
    meaningful_change_note: str
    alert: dict
    # Which way is better for the reported scores (reports count improvement by it).
    better: str = "higher"

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def scored_items(self) -> list[Item]:
        return [item for item in self.items if item.scored]

    @property
    def score_scales(self) -> list[str]:
        """The scores a response gets: the total, then one per domain if the definition says so."""
        scales = [TOTAL]
        if self.scoring.domain_scores:
            scales += [code for code in self.domains if self.items_in(code)]
        return scales

    def items_in(self, scale: str) -> list[Item]:
        if scale == TOTAL:
            return self.scored_items
        return [item for item in self.scored_items if item.domain == scale]


def _texts(value, where: str, languages, problems: list[str], *, required=True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: give a text per language ({', '.join(languages)}).")
        return {}
    texts = {}
    for language in languages:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: the text in {language!r} is missing.")
        else:
            texts[language] = text.strip()
    extra = set(value) - set(languages)
    if extra:
        problems.append(f"{where}: unknown languages {sorted(extra)}.")
    return texts


def _number_keys(mapping):
    """YAML reads ``0:`` as a number, JSON (the database) keeps it as "0": accept both."""
    if not isinstance(mapping, dict):
        return mapping
    keys = {}
    for key, value in mapping.items():
        try:
            keys[int(key)] = value
        except (TypeError, ValueError):
            keys[key] = value
    return keys


def _scale(code, data, languages, texts_included, problems) -> Scale | None:
    where = f"scale {code!r}"
    if not isinstance(data, dict):
        problems.append(f"{where}: must be a mapping.")
        return None
    low, high = data.get("min"), data.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and low < high):
        problems.append(f"{where}: give whole numbers min < max.")
        return None
    labels = {}
    raw_labels = _number_keys(data.get("labels"))
    if texts_included:
        if not isinstance(raw_labels, dict) or set(raw_labels) != set(range(low, high + 1)):
            problems.append(f"{where}: give a label for every value from {low} to {high}.")
        else:
            for value in range(low, high + 1):
                labels[value] = _texts(
                    raw_labels[value], f"{where} label {value}", languages, problems
                )
    elif raw_labels:
        problems.append(
            f"{where}: labels of an instrument whose texts are not shipped belong in a pack."
        )
    return Scale(code=code, min=low, max=high, labels=labels)


def _item(data, number, scales, domains, languages, texts_included, problems) -> Item | None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        problems.append(f"item {number}: give an id.")
        return None
    item_id = data["id"]
    where = f"item {item_id!r}"
    kind = data.get("kind", "scale")
    if kind not in ITEM_KINDS:
        problems.append(f"{where}: kind must be one of {ITEM_KINDS}.")
        return None
    scale = None
    if kind == "scale":
        scale = scales.get(data.get("scale"))
        if scale is None:
            problems.append(f"{where}: name one of the scales {sorted(scales)}.")
    domain = data.get("domain", "") or ""
    if domain and domain not in domains:
        problems.append(f"{where}: unknown domain {domain!r}.")
    scored = bool(data.get("scored", kind == "scale"))
    if kind == "text" and scored:
        problems.append(f"{where}: free-text items are never scored.")
    reverse = bool(data.get("reverse", False))
    if texts_included:
        text = _texts(data.get("text"), where, languages, problems)
    else:
        if data.get("text"):
            problems.append(
                f"{where}: the text of an instrument that is not shipped belongs in a pack."
            )
        text = {}
    unknown = set(data) - {"id", "kind", "scale", "domain", "reverse", "scored", "text"}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}.")
    return Item(item_id, kind, scale, domain, reverse, scored, text)


def _scoring(data, problems) -> Scoring | None:
    if not isinstance(data, dict):
        problems.append("scoring: must be a mapping.")
        return None
    method = data.get("method")
    if method not in METHODS:
        problems.append(f"scoring: method must be one of {METHODS}.")
    fraction = data.get("max_missing_fraction", 0)
    if not isinstance(fraction, (int, float)) or not 0 <= fraction < 1:
        problems.append("scoring: max_missing_fraction must be a number from 0 to below 1.")
        fraction = 0
    conversion = data.get("conversion", "") or ""
    if conversion not in ("", "pack"):
        problems.append("scoring: conversion can only be 'pack'.")
    score_range = data.get("range")
    if not (
        isinstance(score_range, list)
        and len(score_range) == 2
        and all(isinstance(value, (int, float)) for value in score_range)
        and score_range[0] < score_range[1]
    ):
        problems.append("scoring: range must be [lowest, highest].")
        score_range = [0, 0]
    multiply = data.get("multiply", 1)
    if not isinstance(multiply, (int, float)) or multiply <= 0:
        problems.append("scoring: multiply must be a positive number.")
        multiply = 1
    return Scoring(
        method=method,
        multiply=float(multiply),
        conversion=conversion,
        max_missing_fraction=float(fraction),
        domain_scores=bool(data.get("domain_scores", False)),
        range=(float(score_range[0]), float(score_range[1])),
    )


TOP_LEVEL_KEYS = {
    "code",
    "version",
    "respondent",
    "title",
    "intro",
    "minutes",
    "languages",
    "licence",
    "domains",
    "scales",
    "items",
    "scoring",
    "reliability",
    "meaningful_change",
    "meaningful_change_note",
    "alert",
    "better",
}


def parse_definition(data) -> Definition:
    """Check a definition read from YAML and return it; raises DefinitionError listing faults."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["A definition must be a mapping."])
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}.")
    code, version = data.get("code"), data.get("version")
    if not isinstance(code, str) or not code or code != code.lower() or " " in code:
        problems.append("code: give a short lower-case code without spaces.")
    if not isinstance(version, str) or not version:
        problems.append('version: give the version as a quoted string, e.g. "1.0".')
    respondent = data.get("respondent")
    if respondent not in RESPONDENTS:
        problems.append(f"respondent must be one of {RESPONDENTS}.")
    languages = tuple(data.get("languages") or ())
    if not languages or set(languages) - set(LANGUAGES):
        problems.append(f"languages: choose from {LANGUAGES}.")
        languages = tuple(language for language in languages if language in LANGUAGES) or ("da",)
    licence = data.get("licence") or {}
    texts_included = bool(licence.get("texts_included", False))
    domains = {
        domain: _texts(labels, f"domain {domain!r}", languages, problems)
        for domain, labels in (data.get("domains") or {}).items()
    }
    scales = {
        scale_code: scale
        for scale_code, raw in (data.get("scales") or {}).items()
        if (scale := _scale(scale_code, raw, languages, texts_included, problems)) is not None
    }
    items = tuple(
        item
        for number, raw in enumerate(data.get("items") or [], start=1)
        if (item := _item(raw, number, scales, domains, languages, texts_included, problems))
    )
    if not items:
        problems.append("items: an instrument needs at least one item.")
    ids = [item.id for item in items]
    duplicates = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
    if duplicates:
        problems.append(f"items: ids used twice: {duplicates}.")
    scoring = _scoring(data.get("scoring"), problems)
    if scoring and not any(item.scored for item in items):
        problems.append("scoring: no item is scored.")
    alert = data.get("alert") or {}
    if alert:
        flag = alert.get("flag_item")
        if flag and flag not in ids:
            problems.append(f"alert: unknown flag_item {flag!r}.")
        if not isinstance(alert.get("drop", 0), (int, float)):
            problems.append("alert: drop must be a number.")
    meaningful_change = data.get("meaningful_change")
    if meaningful_change is not None and not isinstance(meaningful_change, (int, float)):
        problems.append("meaningful_change must be a number or empty.")
    reliability = data.get("reliability") or {}
    for key in ("internal_consistency", "test_retest"):
        value = reliability.get(key) if isinstance(reliability, dict) else None
        if value is not None and not (isinstance(value, (int, float)) and 0 <= value < 1):
            problems.append(f"reliability: {key} must be a number from 0 to below 1, or empty.")
    for key in ("sem", "reference_sd"):
        value = reliability.get(key) if isinstance(reliability, dict) else None
        if value is not None and not (isinstance(value, (int, float)) and value > 0):
            problems.append(f"reliability: {key} must be a positive number, or empty.")
    better = data.get("better", "higher")
    if better not in DIRECTIONS:
        problems.append(f"better must be one of {DIRECTIONS}.")
    title = _texts(data.get("title"), "title", languages, problems)
    intro = _texts(data.get("intro"), "intro", languages, problems, required=False)
    licence_note = _texts(licence.get("note"), "licence note", languages, problems)
    if problems:
        raise DefinitionError(problems)
    return Definition(
        code=code,
        version=version,
        respondent=respondent,
        title=title,
        intro=intro,
        minutes=int(data.get("minutes") or 5),
        languages=languages,
        texts_included=texts_included,
        validated=bool(licence.get("validated", False)),
        licence_note=licence_note,
        domains=domains,
        scales=scales,
        items=items,
        scoring=scoring,
        reliability=dict(data.get("reliability") or {}),
        meaningful_change=float(meaningful_change) if meaningful_change is not None else None,
        meaningful_change_note=str(data.get("meaningful_change_note") or ""),
        alert=dict(alert),
        better=better,
    )


def read_yaml(path: Path) -> tuple[dict, str]:
    """The file's content and its SHA-256, which tells whether a loaded version was changed."""
    raw = Path(path).read_bytes()
    return yaml.safe_load(raw), hashlib.sha256(raw).hexdigest()


def shipped_files() -> list[Path]:
    return sorted(INSTRUMENT_DIR.glob("*.yaml"))


# Text packs


@dataclass(frozen=True)
class Pack:
    """A licensed organisation's texts for one instrument version."""

    instrument: str
    version: str
    licence: str
    title: dict[str, str]
    intro: dict[str, str]
    items: dict[str, dict[str, str]]
    labels: dict[str, dict[int, dict[str, str]]]
    conversion_table: dict[int, float]


def parse_pack(data, definition: Definition) -> Pack:
    """Check a text pack against its definition: every item and every scale label in every
    language of the definition, no unknown ids, and the conversion table where the scoring needs
    one. Raises DefinitionError listing every fault."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["A text pack must be a mapping."])
    allowed = {
        "instrument",
        "version",
        "organisation",
        "licence",
        "title",
        "intro",
        "items",
        "labels",
        "conversion_table",
    }
    unknown = set(data) - allowed
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}.")
    if data.get("instrument") != definition.code:
        problems.append(f"instrument: expected {definition.code!r}.")
    if str(data.get("version")) != definition.version:
        problems.append(f"version: expected {definition.version!r}.")
    licence = data.get("licence")
    if not isinstance(licence, str) or not licence.strip():
        problems.append("licence: say who holds the licence (and its number or date).")
        licence = ""
    languages = definition.languages
    title = _texts(data.get("title"), "title", languages, problems, required=False)
    intro = _texts(data.get("intro"), "intro", languages, problems, required=False)
    raw_items = data.get("items")
    items: dict[str, dict[str, str]] = {}
    if not isinstance(raw_items, dict):
        problems.append("items: give the texts per item id.")
        raw_items = {}
    for item in definition.items:
        if item.id not in raw_items:
            problems.append(f"items: item {item.id!r} is missing.")
        else:
            items[item.id] = _texts(raw_items[item.id], f"item {item.id!r}", languages, problems)
    extra = sorted(set(raw_items) - set(definition.item_ids), key=str)
    if extra:
        problems.append(f"items: unknown item ids {extra}.")
    labels: dict[str, dict[int, dict[str, str]]] = {}
    raw_labels = data.get("labels") or {}
    if not isinstance(raw_labels, dict):
        problems.append("labels: give the labels per scale.")
        raw_labels = {}
    used_scales = {item.scale.code: item.scale for item in definition.items if item.scale}
    for code, scale in used_scales.items():
        if scale.labels:
            continue  # shipped with the definition
        given = _number_keys(raw_labels.get(code))
        if not isinstance(given, dict) or set(given) != set(scale.values):
            problems.append(
                f"labels: scale {code!r} needs a label for every value from {scale.min} to "
                f"{scale.max}."
            )
            continue
        labels[code] = {
            value: _texts(given[value], f"scale {code!r} label {value}", languages, problems)
            for value in scale.values
        }
    extra_scales = sorted(set(raw_labels) - set(used_scales))
    if extra_scales:
        problems.append(f"labels: unknown scales {extra_scales}.")
    table: dict[int, float] = {}
    if definition.scoring.conversion == "pack":
        table = _conversion_table(data.get("conversion_table"), definition, problems)
    elif data.get("conversion_table"):
        problems.append("conversion_table: this instrument is not scored with a table.")
    if problems:
        raise DefinitionError(problems)
    return Pack(
        instrument=definition.code,
        version=definition.version,
        licence=licence.strip(),
        title=title,
        intro=intro,
        items=items,
        labels=labels,
        conversion_table=table,
    )


def raw_total_range(definition: Definition) -> range:
    """Every whole raw total a complete answer can give (sum scoring)."""
    items = definition.scored_items
    return range(sum(item.scale.min for item in items), sum(item.scale.max for item in items) + 1)


def _conversion_table(raw, definition: Definition, problems: list[str]) -> dict[int, float]:
    if not isinstance(raw, dict):
        problems.append("conversion_table: give the converted score for every raw total.")
        return {}
    raw = _number_keys(raw)
    needed = raw_total_range(definition)
    if set(raw) != set(needed):
        problems.append(
            f"conversion_table: give a converted score for every raw total from {needed.start} "
            f"to {needed.stop - 1}, and no others."
        )
        return {}
    low, high = definition.scoring.range
    table = {}
    for total in needed:
        value = raw[total]
        if not isinstance(value, (int, float)) or not low <= value <= high:
            problems.append(f"conversion_table: {total} must give a number from {low} to {high}.")
        else:
            table[total] = float(value)
    return table
