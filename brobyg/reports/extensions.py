"""Hooks the reports app offers other apps.

``register_organisation_section(name, build)``: a section of the report's organisation level.
``build(flt, suppress, language)`` receives the report's ``change.Filter`` (organisations,
programmes, period), whether small cells must be suppressed, and the language; it returns a
``tables.Section`` (built with the cell helpers of ``tables.py``, which apply the suppression
rules) or None when it has nothing to show. Sections come after the built-in organisation
section, in the order registered.
"""

ORGANISATION_SECTIONS: dict[str, object] = {}


def register_organisation_section(name: str, build) -> None:
    ORGANISATION_SECTIONS[name] = build


def organisation_sections() -> list:
    return list(ORGANISATION_SECTIONS.values())
