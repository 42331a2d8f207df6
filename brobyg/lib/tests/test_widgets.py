"""lib.renderer writes choice widgets as Django's widget templates do, byte for byte."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy

from brobyg.lib.renderer import FormRenderer

# A lazy label, as choices' translated labels are (not a msgid of its own).
_lazy = lazy(str, str)

CHOICES = [
    ("", _lazy("All")),
    ("a", "Ånd & <krop>"),
    ('b"q', _lazy("Active")),
    (3, "Three"),
]
GROUPED = [
    ("", "None"),
    ("Group <1>", [("x", "X"), ("y", "Y")]),
    ("z", "Z"),
]
ATTRS = [
    None,
    {"id": "id_field"},
    {"id": "id_field", "class": "wide", "aria-describedby": "id_field_helptext"},
    {"id": "", "required": True, "disabled": False, "data-x": 'a"b'},
]
VALUES = [None, "", "a", ["a", 3], ['b"q'], ["nothing"], "x", ["x", "z"]]


@pytest.mark.parametrize("widget", [forms.CheckboxSelectMultiple, forms.RadioSelect, forms.Select])
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("attrs", ATTRS)
def test_it_renders_as_djangos_templates(widget, choices, attrs):
    for value in VALUES:
        for widget_attrs in (None, {"class": "choices"}):
            chosen = widget(attrs=widget_attrs, choices=choices)
            expected = chosen.render("field", value, attrs, renderer=DjangoTemplates())
            assert chosen.render("field", value, attrs, renderer=FormRenderer()) == expected
