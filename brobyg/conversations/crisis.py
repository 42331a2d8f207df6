"""Crisis signals in a citizen's message: a built-in Danish and English list of words and
phrases, which each organisation can extend (``ConversationSettings.extra_crisis_words``).

A phrase matches whole words, case-insensitively, with any run of spaces and punctuation between
its words; a phrase ending in ``*`` also matches longer words ("selvmord*" matches
"selvmordstanker"). The list errs on the side of a false alarm: a coordinator reading a message
that was not a crisis costs little, a missed one a great deal.
"""

import re
from functools import lru_cache

BUILT_IN = (
    # Danish
    "selvmord*",
    "tage mit eget liv",
    "tage mit liv",
    "slå mig selv ihjel",
    "slå mig ihjel",
    "gøre en ende på det",
    "gøre en ende på mit liv",
    "vil dø",
    "ønsker at dø",
    "lyst til at dø",
    "vil ikke leve",
    "orker ikke at leve",
    "ikke leve mere",
    "ingen grund til at leve",
    "bedre hvis jeg var død",
    "bedre uden mig",
    "skade mig selv",
    "skære i mig selv",
    "selvskad*",
    "overdosis",
    "sluge alle mine piller",
    "springe ud foran",
    # English
    "suicid*",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "take my own life",
    "take my life",
    "want to die",
    "wanna die",
    "don't want to live",
    "do not want to live",
    "no reason to live",
    "better off dead",
    "better off without me",
    "hurt myself",
    "harm myself",
    "self-harm*",
    "self harm*",
    "cut myself",
    "overdose",
)

_SEPARATOR = r"[\W_]+"


def _pattern(phrase: str) -> str:
    phrase = phrase.strip().casefold()
    prefix = phrase.endswith("*")
    words = [re.escape(word) for word in re.split(r"[\s\-]+", phrase.rstrip("*")) if word]
    if not words:
        return ""
    body = _SEPARATOR.join(words)
    return r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)")


@lru_cache(maxsize=64)
def _compiled(extra: str) -> re.Pattern:
    phrases = list(BUILT_IN) + [line for line in extra.splitlines() if line.strip()]
    patterns = [pattern for pattern in map(_pattern, phrases) if pattern]
    return re.compile("|".join(patterns))


def has_crisis_signals(text: str, extra_words: str = "") -> bool:
    """Whether ``text`` holds any of the built-in crisis phrases or the organisation's own."""
    normalised = text.casefold().replace("\u2019", "'")
    return _compiled(extra_words or "").search(normalised) is not None
