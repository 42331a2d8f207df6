"""Sections that downstream apps add to a group's page (outcomes adds the participant
evaluation). groups never imports those apps; they register from ``AppConfig.ready()``.

``build(request, group, *, sees_participants)`` returns the section's template context, or None
to leave the section out.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupSection:
    name: str
    template: str
    build: Callable[..., dict | None]


_SECTIONS: dict[str, GroupSection] = {}


def register_group_section(*, name: str, template: str, build) -> None:
    _SECTIONS[name] = GroupSection(name, template, build)


def group_sections(request, group, *, sees_participants: bool) -> list[dict]:
    sections = []
    for section in _SECTIONS.values():
        context = section.build(request, group, sees_participants=sees_participants)
        if context is not None:
            sections.append({"name": section.name, "template": section.template, **context})
    return sections
