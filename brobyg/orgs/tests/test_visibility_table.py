"""Who sees which objects is decided by the table in orgs/permissions.py and read only by the
``<thing>_visible_to(membership)`` selectors: every such selector is listed in VISIBLE_TO with
the object-scope permissions it reads, and reads no role and no other permission."""

import inspect
import re
from importlib import import_module, util

from django.apps import apps

from brobyg.orgs.permissions import (
    ALL_PERMISSIONS,
    OBJECT_SCOPES,
    ROLE_PERMISSIONS,
    VISIBLE_TO,
)


def _visible_to_selectors():
    found = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.selectors"
        if config.name.startswith("brobyg.") and util.find_spec(name):
            module = import_module(name)
            for attr, value in vars(module).items():
                if (
                    attr.endswith("_visible_to")
                    and inspect.isfunction(value)
                    and value.__module__ == name
                ):
                    found[f"{name}.{attr}"] = value
    return found


def _permissions_read(function) -> set[str]:
    """The permission names in the function's code and in the module constants it uses."""
    strings = set(re.findall(r"\"([a-z_]+)\"", inspect.getsource(function)))
    for name in function.__code__.co_names:
        value = function.__globals__.get(name)
        if isinstance(value, tuple | frozenset) and all(isinstance(v, str) for v in value):
            strings |= set(value)
    return strings & ALL_PERMISSIONS


def test_it_lists_every_visible_to_selector():
    assert set(_visible_to_selectors()) == set(VISIBLE_TO)


def test_each_selector_reads_only_its_object_scopes_from_the_table():
    for name, function in _visible_to_selectors().items():
        source = inspect.getsource(function)
        assert "Role" not in source and ".roles" not in source, name
        assert _permissions_read(function) == set(VISIBLE_TO[name]), name
        assert set(VISIBLE_TO[name]) <= set(OBJECT_SCOPES), name


def test_every_object_scope_is_granted_to_some_role_and_read_somewhere():
    granted = frozenset().union(*ROLE_PERMISSIONS.values())
    assert set(OBJECT_SCOPES) <= granted
    read = set().union(*VISIBLE_TO.values())
    # Scopes read by a helper beside its selector rather than by a *_visible_to itself.
    read |= {"view_request_text", "serve_as_peer", "supervise_peers"}
    assert set(OBJECT_SCOPES) == read


def test_no_selector_view_or_service_decides_visibility_from_a_role():
    offenders = []
    for config in apps.get_app_configs():
        # orgs manages the roles themselves (an organisation keeps an administrator).
        if not config.name.startswith("brobyg.") or config.name == "brobyg.orgs":
            continue
        for suffix in ("selectors", "services", "views"):
            name = f"{config.name}.{suffix}"
            if util.find_spec(name) is None:
                continue
            source = inspect.getsource(import_module(name))
            if re.search(r"Role\.\w+ (not )?in \w+\.roles|ROLES_SEEING", source):
                offenders.append(name)
    assert offenders == []


def test_a_citizen_scope_without_a_registered_grant_is_an_error(personas, monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured
    from django_scopes import scope

    from brobyg.people import extensions
    from brobyg.people.selectors import citizens_visible_to

    monkeypatch.setattr(extensions, "_CITIZEN_SCOPES", {})
    with scope(organisation=personas.org_a.pk), pytest.raises(ImproperlyConfigured):
        citizens_visible_to(personas.bob_membership)
