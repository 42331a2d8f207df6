"""URLs of list rows built without reversing once per row."""

import uuid

from django.urls import reverse

_PLACEHOLDER = str(uuid.UUID(int=0))


def public_id_url(name: str):
    """A function ``public_id -> URL`` for the route ``name`` taking one UUID: the route is
    reversed once, so a list of 50 rows costs one ``reverse`` instead of 50 ``{% url %}``."""
    head, _sep, tail = reverse(name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return lambda public_id: f"{head}{public_id}{tail}"
