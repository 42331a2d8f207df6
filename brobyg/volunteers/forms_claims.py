"""Forms of hours and expenses."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.lib.forms import ErrorSummaryMixin
from brobyg.volunteers.models import ExpenseKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def parse_month(value: str):
    """The first day of the month written as YYYY-MM, or of the current month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


class HoursForm(ErrorSummaryMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0.25,
        max_value=24,
        decimal_places=2,
        help_text=_("For example 1.5 for an hour and a half."),
    )
    task = forms.CharField(
        label=_("Task"),
        max_length=200,
        help_text=_("For example a training day, a meeting of the volunteers or an event."),
    )


class ClaimForm(ErrorSummaryMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of expense"), choices=ExpenseKind.choices)
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    description = forms.CharField(
        label=_("What for"),
        max_length=300,
        help_text=_("For example: bus to the library with a citizen. No names of citizens."),
    )
    km = forms.DecimalField(
        label=_("Km (transport in own vehicle)"),
        required=False,
        min_value=0.1,
        max_value=2000,
        decimal_places=1,
    )
    amount = forms.DecimalField(
        label=_("Amount in kroner (tickets, café)"),
        required=False,
        min_value=0.01,
        max_value=100000,
        decimal_places=2,
    )
    receipt = forms.FileField(
        label=_("Photo of the receipt"),
        required=False,
        help_text=_("A photo or a PDF, at most 5 MB. Not needed for transport by km."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        upload = data.get("receipt")
        return {
            "kind": data["kind"],
            "day": data["day"],
            "description": data["description"],
            "km": data["km"],
            "amount": data["amount"],
            "receipt": upload.read() if upload else None,
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("What should be corrected (when returning)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RateForm(ErrorSummaryMixin, forms.Form):
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    rate_per_km = forms.DecimalField(
        label=_("Kroner per km"),
        min_value=0.01,
        max_value=99,
        decimal_places=2,
        help_text=_("The state's rate for transport in one's own vehicle (Skatterådets sats)."),
    )
