from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from brobyg.lib.forms import clean_phone
from brobyg.rights.models import RequestKind
from brobyg.sms.services import msisdn


class AddressForm(forms.Form):
    """Where the one-time code goes: an e-mail address, or a mobile number for a text."""

    address = forms.CharField(
        label=_("Your e-mail address or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    def clean_address(self) -> str:
        address = self.cleaned_data["address"].strip()
        if "@" in address:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("Write a whole e-mail address, for example navn@example.dk.")
                ) from None
            return address
        message = _("Write an e-mail address, or a mobile number such as 20 30 40 50.")
        try:
            number = msisdn(clean_phone(address))
        except ValidationError:
            raise ValidationError(message) from None
        if not number:
            raise ValidationError(message)
        return address


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The code we sent you"),
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
