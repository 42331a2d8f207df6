"""lib.renderer writes the same HTML as Django's form templates, byte for byte."""

from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from brobyg.lib.renderer import WRITERS, FormRenderer

_lazy = lazy(str, str)
CHOICES = [("", _lazy("All")), ("a", "Ånd & <krop>"), ("b", _lazy("Active"))]


class EveryKind(forms.Form):
    text = forms.CharField(label=_lazy("Name & <title>"), help_text=_lazy("Help <b>text</b>"))
    email = forms.EmailField(required=False)
    number = forms.DecimalField(required=False, max_digits=5, decimal_places=2)
    whole = forms.IntegerField(required=False, min_value=0)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    agree = forms.BooleanField(required=False, label="Agree?")
    pick = forms.ChoiceField(required=False, choices=CHOICES)
    one = forms.ChoiceField(required=False, choices=CHOICES[1:], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        required=False, choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple
    )
    unlabelled = forms.CharField(required=False, label="")
    own_id = forms.CharField(required=False, widget=forms.TextInput(attrs={"id": "mine"}))
    off = forms.CharField(required=False, disabled=True, initial='quote " & <tag>')
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    hidden_two = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        if self.cleaned_data.get("text") == "fail":
            raise forms.ValidationError(mark_safe("Whole <em>form</em> wrong"))
        return self.cleaned_data


class Styled(EveryKind):
    error_css_class = "error"
    required_css_class = "required"
    label_suffix = ":"


class OnlyHidden(forms.Form):
    a = forms.CharField(widget=forms.HiddenInput)
    b = forms.CharField(required=False, widget=forms.HiddenInput)


BOUND = {
    "text": "fail",
    "email": "not an e-mail",
    "number": "12.5",
    "whole": "-1",
    "day": "2027-02-30",
    "note": "<script>x</script>\nline",
    "secret": "s3cret",
    "agree": "on",
    "pick": "a",
    "one": "b",
    "many": ["a", "b"],
    "own_id": "x",
    "hidden": "h<",
    "hidden_two": "not a number",
}


def _both(form_class, **kwargs):
    ours = form_class(renderer=FormRenderer(), **kwargs)
    django = form_class(renderer=DjangoTemplates(), **kwargs)
    return ours, django


@pytest.mark.parametrize("form_class", [EveryKind, Styled, OnlyHidden])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"initial": {"text": "Ida & <Bo>", "whole": 3, "many": ["a"], "hidden": "x"}},
        {"data": BOUND},
        {"data": {"text": "fine", "hidden_two": "4", "a": "1"}},
        {"data": {}, "auto_id": False},
        {"data": BOUND, "auto_id": "f_%s"},
        {"prefix": "p", "data": {"p-text": "fail"}},
    ],
)
def test_a_form_is_written_as_djangos_templates_write_it(form_class, kwargs):
    ours, django = _both(form_class, **kwargs)
    if "data" in kwargs:
        assert ours.is_valid() == django.is_valid()
    assert str(ours) == str(django)
    for name in ours.fields:
        assert str(ours[name]) == str(django[name])
        assert ours[name].label_tag() == django[name].label_tag()
        assert ours[name].as_field_group() == django[name].as_field_group()


def test_a_template_it_does_not_write_is_djangos():
    ours, django = _both(EveryKind)
    assert ours.as_p() == django.as_p()
    assert ours.as_table() == django.as_table()


def test_it_loads_no_template_for_the_forms_it_writes(monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(f"{template_name} was loaded")

    monkeypatch.setattr(FormRenderer, "get_template", no_template)
    form = EveryKind(renderer=FormRenderer(), data=BOUND)
    assert "Whole <em>form</em> wrong" in str(form)


def test_the_project_overrides_none_of_the_templates_it_writes():
    django_forms = Path(forms.__file__).resolve().parent
    for template_name in WRITERS:
        origin = Path(FormRenderer().get_template(template_name).origin.name).resolve()
        assert origin.is_relative_to(django_forms), template_name
