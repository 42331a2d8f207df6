"""lib.widgets write the same HTML as Django's widget templates, byte for byte."""

import pytest
from django import forms
from django.utils.functional import lazy

from brobyg.lib import widgets

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


@pytest.mark.parametrize(
    "ours, django",
    [
        (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
        (widgets.RadioSelect, forms.RadioSelect),
        (widgets.Select, forms.Select),
    ],
)
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("attrs", ATTRS)
def test_it_renders_as_djangos_templates(ours, django, choices, attrs):
    for value in VALUES:
        for widget_attrs in (None, {"class": "choices"}):
            expected = django(attrs=widget_attrs, choices=choices).render("field", value, attrs)
            got = ours(attrs=widget_attrs, choices=choices).render("field", value, attrs)
            assert got == expected


def test_a_form_field_renders_the_same_with_errors_and_help_text():
    def form_with(widget):
        class Form(forms.Form):
            pick = forms.MultipleChoiceField(
                choices=CHOICES[1:], widget=widget, help_text="Help <b>", required=True
            )
            one = forms.ChoiceField(choices=CHOICES, widget=forms.Select)

        return Form({"pick": ["nope"], "one": "a"})

    assert str(form_with(widgets.CheckboxSelectMultiple)) == str(
        form_with(forms.CheckboxSelectMultiple)
    )
