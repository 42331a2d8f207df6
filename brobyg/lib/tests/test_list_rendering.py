"""The helpers that render long lists for less: the same markup, the same links."""

import uuid

from django import forms
from django.test.html import parse_html
from django.urls import reverse

from brobyg.lib.forms import LongSelect
from brobyg.lib.urls import public_id_url

CHOICES = [("", "---------"), ("a", "Anna <Hansen>"), ("b", "Bo & Co"), (3, "Tre")]


def _html(widget, value, attrs=None):
    class Form(forms.Form):
        choice = forms.ChoiceField(choices=CHOICES, widget=widget, required=True)

    form = Form(initial={"choice": value}, auto_id="id_%s")
    return parse_html(str(form["choice"].as_widget(attrs=attrs)))


def test_it_renders_a_long_select_as_django_does():
    for value in ("", "a", "b", 3, "missing"):
        assert _html(LongSelect, value) == _html(forms.Select, value)
    attrs = {"aria-describedby": "help", "disabled": True, "autofocus": False}
    assert _html(LongSelect, "b", attrs) == _html(forms.Select, "b", attrs)


def test_it_renders_option_groups_as_django_does():
    grouped = [("Group", [("a", "A"), ("b", "B")]), ("c", "C")]
    long, plain = LongSelect(choices=grouped), forms.Select(choices=grouped)
    assert parse_html(long.render("x", "b")) == parse_html(plain.render("x", "b"))


def test_it_builds_the_same_link_as_reverse():
    public_id = uuid.uuid4()
    assert public_id_url("peercare_peer")(public_id) == reverse("peercare_peer", args=[public_id])
    assert public_id_url("groups_detail")(str(public_id)) == reverse(
        "groups_detail", args=[public_id]
    )
