from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.api.models import CLIENT_ROLES, WebhookEvent
from brobyg.lib.forms import ErrorSummaryMixin
from brobyg.orgs.choices import Role

MAX_DAYS_AHEAD = 366


class ApiClientForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that calls, for example: Nexus, the municipality's case system."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles the client acts with"),
        choices=[(role.value, role.label) for role in CLIENT_ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The client sees and does what a member with these roles may: a referrer sends "
            "referrals and follows their status; an evaluator reads reports without names."
        ),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day its secrets no longer give tokens. At most a year ahead."),
    )

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if value > today + timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(_("Choose a day at most a year ahead."))
        return value

    def role_labels(self):
        return [Role(code).label for code in self.cleaned_data["roles"]]


class WebhookForm(ErrorSummaryMixin, forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The https address in the client's system that receives the events, for example "
            "https://nexus.example.dk/brobyg/events."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each event holds only ids; the system fetches what its roles may see. It is told "
            "only of objects it may see."
        ),
    )
