from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.people.models import Citizen
from brobyg.rights import registry
from brobyg.rights.models import RequestKind


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the citizen (name, phone or e-mail)"), max_length=100, required=False
    )


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is asked for"), choices=RequestKind.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The deadline is 30 days after this day."),
    )
    description = forms.CharField(
        label=_("What the citizen asks for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_("For a correction: what is wrong and what is right."),
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The day cannot be in the future."))
        return received_on


class DecisionForm(forms.Form):
    ERASE, COMPLETE, REFUSE = "erase", "complete", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ERASE, _("Erase the citizen's data")),
            (COMPLETE, _("Answered: mark as done")),
            (REFUSE, _("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Answer to the citizen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("The citizen sees this on their data page. Required when refusing."),
    )

    def __init__(self, *args, data_request, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        if data_request.kind == RequestKind.ERASURE:
            field.choices = [c for c in field.choices if c[0] != self.COMPLETE]
        else:
            field.choices = [c for c in field.choices if c[0] != self.ERASE]


class LegalHoldForm(forms.Form):
    category = forms.ChoiceField(label=_("Data to keep"))
    reason = forms.CharField(
        label=_("Legal ground"),
        max_length=200,
        help_text=_("For example: journal duty under the Social Services Act."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (shredder.name, shredder.label) for shredder in registry.shredders()
        ]


class CitizenCorrectionForm(forms.ModelForm):
    cpr = forms.CharField(
        label=_("New CPR number"),
        max_length=11,
        required=False,
        help_text=_("Leave empty to keep the stored number. It is never shown in full."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Citizen
        fields = [
            "name",
            "phone",
            "email",
            "contact_times",
            "birth_year",
            "municipality",
            "gender",
            "services_contact",
        ]

    def changes(self) -> tuple[dict, str | None]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data, (self.cleaned_data["cpr"].strip() or None)


class SpotCheckDrawForm(forms.Form):
    month = forms.DateField(
        label=_("Month to check"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class SpotCheckMarkForm(forms.Form):
    justified = forms.ChoiceField(
        label=_("Was the read justified?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )


class RetentionForm(forms.Form):
    """One field per category whose period the organisation may choose."""

    def __init__(self, *args, periods, **kwargs):
        from brobyg.rights import retention

        super().__init__(*args, **kwargs)
        for rule in retention.categories():
            if not rule.configurable:
                continue
            self.fields[rule.name] = forms.IntegerField(
                label=rule.label,
                min_value=rule.min_days,
                max_value=rule.max_days,
                initial=periods[rule.name],
                help_text=_("Days. Between %(min)s and %(max)s; %(default)s by default.")
                % {"min": rule.min_days, "max": rule.max_days, "default": rule.days},
            )
