"""Per-request values for list rows: what is the same on every row of a page is built once.

A list of 50 rows that calls ``{% url %}`` and ``get_FOO_display`` on each row resolves 50 URLs
and 50 lazy labels; a page builds the URL's prefix and the labels once and each row only joins
strings (see docs/architecture.md, "Data, jobs and scale")."""

import uuid

from django.urls import reverse

# Stands for a row's public id while the URL is reversed once.
_PLACEHOLDER = uuid.UUID(int=0)


def public_id_url(name: str):
    """A function giving the URL named ``name`` for a public id, reversed once: the URL must take
    the public id as its only argument."""
    before, after = reverse(name, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    return lambda public_id: f"{before}{public_id}{after}"


def choice_label_map(choices) -> dict[str, str]:
    """Code -> label in the active language, for labelling every row of a page with one lookup.
    ``choices`` is a TextChoices class or a list of (code, label) pairs."""
    return {code: str(label) for code, label in getattr(choices, "choices", choices)}
