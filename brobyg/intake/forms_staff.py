"""Forms of the coordinators' pages: the waiting list, the request page and merging records."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.intake.models import ContactMethod, Status
from brobyg.orgs.models import Organisation, Programme
from brobyg.people.models import Citizen, ConsentMethod, ConsentPurpose


class WaitingListFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label=_("All programmes"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open requests")), *Status.choices],
    )
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)
    q = forms.CharField(
        label=_("Name, phone or e-mail"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation
        ).only("public_id", "name")

    def criteria(self) -> dict:
        """The filters in use, as the audit log records them (no objects, no empty values)."""
        data = self.cleaned_data
        criteria = {
            "programme": str(data["programme"].public_id) if data.get("programme") else "",
            "status": data.get("status", ""),
            "urgent": bool(data.get("urgent")),
            "q": data.get("q", "").strip(),
        }
        return {name: value for name, value in criteria.items() if value}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the request is referred elsewhere or declined."),
    )

    def __init__(self, *args, support_request, **kwargs):
        # The request page holds three forms: distinct ids keep their labels apart.
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status in support_request.allowed_next_statuses
        ]


class FirstContactForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the first contact"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    method = forms.ChoiceField(
        label=_("How was the contact made?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "contact_%s")
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AgeOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the age limit is set aside"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what the citizen, their family or the youth service said."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "age_%s")
        super().__init__(*args, **kwargs)


class CitizenMergeForm(forms.Form):
    """Step one names the other record; step two (``confirm``) says which record to keep."""

    KEEP_THIS = "this"
    KEEP_OTHER = "other"

    duplicate = forms.ModelChoiceField(
        queryset=Citizen.objects.none(), to_field_name="public_id", widget=forms.HiddenInput
    )
    keep = forms.ChoiceField(
        label=_("Which record do you keep?"),
        required=False,
        choices=[(KEEP_THIS, KEEP_THIS), (KEEP_OTHER, KEEP_OTHER)],
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, citizen, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.citizen = citizen
        self.fields["duplicate"].queryset = candidates.exclude(pk=citizen.pk)

    def clean(self):
        data = super().clean()
        if data.get("confirm") and not data.get("keep"):
            self.add_error("keep", _("Choose the record to keep."))
        return data

    def records(self):
        """(keep, duplicate) as chosen."""
        other = self.cleaned_data["duplicate"]
        if self.cleaned_data["keep"] == self.KEEP_OTHER:
            return other, self.citizen
        return self.citizen, other


class ConsentRecordForm(forms.Form):
    """A consent given or withdrawn, told to a member of staff."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    shared_with = forms.ModelChoiceField(
        label=_("Shared with (only for sharing with a named organisation)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    given = forms.TypedChoiceField(
        label=_("The citizen"),
        choices=[("yes", _("gives consent")), ("no", _("withdraws consent"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=[
            (ConsentMethod.IN_PERSON, ConsentMethod.IN_PERSON.label),
            (ConsentMethod.PHONE, ConsentMethod.PHONE.label),
            (ConsentMethod.WRITTEN, ConsentMethod.WRITTEN.label),
        ],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = Organisation.objects.exclude(
            pk=organisation.pk
        ).order_by("name")

    def clean(self):
        data = super().clean()
        sharing = data.get("purpose") == ConsentPurpose.SHARE_WITH_ORGANISATION
        if sharing and not data.get("shared_with"):
            self.add_error("shared_with", _("Name the organisation the consent is about."))
        if not sharing:
            data["shared_with"] = None
        return data
