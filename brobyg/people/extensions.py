"""The hooks people offers later apps (imports point people ← intake/support/groups/outcomes, so
people never imports them); each registers from its ``AppConfig.ready()``.

- A merge step: ``register_merge_step(name, step, moves=("app.Model", ...))``;
  ``citizens_merge`` calls ``step(actor=, keep=, duplicate=)`` inside its transaction, scoped to
  the organisation. The step moves the app's rows from the duplicate citizen to the kept one and
  returns facts for the audit entry; an exception undoes the whole merge. ``moves`` names the
  models whose citizen the step moves: every relation pointing to ``Citizen`` must be moved by
  some step, or by people itself (people/tests/test_merge_steps.py checks this).
- A citizen scope: ``register_citizen_scope(permission, grant)`` says *how* to find the citizens an
  object-scope permission of ``orgs/permissions.py`` grants (``grant(membership)`` gives a
  queryset of citizen ids). *Whether* a member sees them is the table's decision alone: a member
  holding such a permission with no grant registered is an error, never an empty or full list.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from brobyg.orgs.permissions import OBJECT_SCOPES

_MERGE_STEPS: dict[str, Callable[..., dict]] = {}
_MERGE_MOVES: dict[str, tuple[str, ...]] = {}
_CITIZEN_SCOPES: dict[str, Callable] = {}


def register_merge_step(name: str, step: Callable[..., dict], *, moves) -> None:
    _MERGE_STEPS[name] = step
    _MERGE_MOVES[name] = tuple(moves)


def merge_steps() -> dict[str, Callable[..., dict]]:
    return dict(_MERGE_STEPS)


def merged_models() -> set[str]:
    """The labels (``app.Model``) of the models whose rows the registered steps move."""
    return {label for moves in _MERGE_MOVES.values() for label in moves}


def register_citizen_scope(permission: str, grant: Callable) -> None:
    if permission not in OBJECT_SCOPES:
        raise ValueError(f"{permission!r} is not an object-scope permission in OBJECT_SCOPES.")
    _CITIZEN_SCOPES[permission] = grant


def citizen_scope(permission: str) -> Callable:
    try:
        return _CITIZEN_SCOPES[permission]
    except KeyError:
        raise ImproperlyConfigured(
            f"The table grants {permission!r}, but no app registered how to find those citizens."
        ) from None
