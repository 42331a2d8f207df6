from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.rights.models import RequestKind


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The code from the e-mail"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("The code is 6 digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=[
            (RequestKind.CORRECTION, _("Correct something that is wrong")),
            (RequestKind.ERASURE, _("Erase my data")),
        ],
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What is wrong, and what is right? (for a correction)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
