"""The hooks orgs offers later apps (imports point orgs ← people ← intake ← ..., so orgs never
imports them); each registers from its ``AppConfig.ready()``.

- A start-page panel: ``register_start_panel(name=, roles=, permission=, template=, build=)``
  shows ``template`` in the start section of each of ``roles`` to members holding
  ``permission``; ``build(request)`` gives the template's ``panel`` context. A member holding
  several of the roles sees the panel once, in the first of their sections. A figure in that
  context given as ``orgs.start.counted(queryset)`` reaches the template as a number, counted
  with all the page's other figures in one query; ``counted(build, key=...)`` (``key`` naming
  what ``build()`` builds the queryset from besides the organisation and the day) lets that
  query be compiled once and reused.
- An event other systems may be told of: ``register_event_listener(name, listener)``. A service
  calls ``announce(event, target, organisation=, ids=)`` inside its transaction when something
  happens that is in ``EVENTS`` (``target`` is the object whose visibility decides who may be
  told, ``ids`` the public ids the event carries, never anything else); once the transaction
  commits, each listener gets ``listener(event=, organisation_id=, target_model=, target_pk=,
  ids=, occurred_at=)``. A rolled-back change announces nothing; a failing listener is logged and
  never undoes the change. The API registers its webhooks here.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from brobyg.orgs.permissions import ALL_PERMISSIONS


@dataclass(frozen=True)
class StartPanel:
    name: str
    roles: tuple[str, ...]
    permission: str
    template: str
    build: Callable[..., dict]


logger = logging.getLogger(__name__)

# The events services announce: a request's status changed (also withdrawn by the citizen), a
# support course started or ended, a citizen answered a questionnaire, a hand-over was accepted
# by the receiving side (announced to the sending organisation).
EVENTS = (
    "request.status_changed",
    "course.started",
    "course.ended",
    "questionnaire.answered",
    "handover.accepted",
)

# Registered panels by name, shown in the order they were registered.
_PANELS: dict[str, StartPanel] = {}


def register_start_panel(*, name, roles, permission, template, build) -> None:
    if permission not in ALL_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}; add it to ROLE_PERMISSIONS.")
    _PANELS[name] = StartPanel(name, tuple(roles), permission, template, build)


def start_panels() -> list[StartPanel]:
    """The registered panels, in the order they were registered."""
    return list(_PANELS.values())


_EVENT_LISTENERS: dict[str, Callable[..., None]] = {}


def register_event_listener(name: str, listener: Callable[..., None]) -> None:
    _EVENT_LISTENERS[name] = listener


def announce(event: str, target, *, organisation, ids: dict[str, UUID]) -> None:
    """Tell the listeners of ``event`` about ``target`` once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"Unknown event {event!r}; add it to EVENTS.")
    if not _EVENT_LISTENERS:
        return
    arguments = {
        "event": event,
        "organisation_id": organisation.pk,
        "target_model": target._meta.label,
        "target_pk": target.pk,
        "ids": {name: str(value) for name, value in ids.items()},
        "occurred_at": timezone.now(),
    }

    def tell():
        for name, listener in list(_EVENT_LISTENERS.items()):
            try:
                listener(**arguments)
            except Exception:
                logger.exception("Event listener %s failed for %s", name, event)

    transaction.on_commit(tell)
