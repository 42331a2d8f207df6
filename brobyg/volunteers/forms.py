"""The public application and the coordinator's forms. The application reuses the public
request form's pieces (brobyg/intake/forms_public.py): its field helpers, the crisis question, the
name, year-of-birth and contact fields, the robot trap and the error summary."""

import copy

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.intake.forms_public import (
    YES,
    SupportRequestForm,
    choices_field,
    consent_field,
    optional_radio_field,
    text_field,
)
from brobyg.lib.forms import ErrorSummaryMixin, clean_phone
from brobyg.people.models import ExperienceArea, Gender
from brobyg.people.vocabulary import MUNICIPALITY_CHOICES
from brobyg.volunteers.models import (
    CertificateKind,
    NotNowReason,
    Stage,
    VolunteerAvailability,
)

_REQUEST_FIELDS = SupportRequestForm.base_fields
# Volunteers are adults (in the year they turn 18 at the latest).
MINIMUM_AGE = 18


def _reused(name, **changes):
    field = copy.deepcopy(_REQUEST_FIELDS[name])
    for attribute, value in changes.items():
        setattr(field, attribute, value)
    return field


class ApplicationForm(ErrorSummaryMixin, forms.Form):
    own_recovery = text_field(
        _("Your own experience of mental-health difficulties and recovery"),
        2000,
        required=True,
        rows=5,
        help_text=_(
            "A volunteer peer uses their own lived experience. Tell us as much as you like; "
            "you decide how much you share."
        ),
    )
    experience_areas = choices_field(
        _("Areas of lived experience (if you want to say)"),
        ExperienceArea.choices,
        help_text=_("Helps the coordinator find citizens you could support. You may skip it."),
    )
    motivation = text_field(
        _("Why would you like to be a volunteer peer?"), 2000, required=True, rows=4
    )
    hours_per_month = forms.IntegerField(
        label=_("How many hours a month could you give?"),
        min_value=1,
        max_value=200,
        help_text=_("A rough number is fine, for example 8."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    availability = choices_field(_("When could you volunteer?"), VolunteerAvailability.choices)
    works_with_minors = forms.BooleanField(
        label=_("I would also like to support young people under 18."),
        required=False,
        help_text=_(
            "Then the law requires a børneattest (a children's certificate), which we ask for "
            "with your consent."
        ),
    )
    name = _reused("name")
    birth_year = _reused("birth_year", help_text="")
    municipality = forms.ChoiceField(
        label=_("Municipality you live in"),
        choices=[("", _("Choose your municipality")), *MUNICIPALITY_CHOICES],
    )
    gender = optional_radio_field(
        _("Your gender (if you want to say)"),
        Gender.choices,
        blank_label=_("I would rather not say"),
    )
    email = _reused(
        "email",
        required=True,
        help_text=_("We send you a receipt, and your invitation if you become a volunteer."),
    )
    phone = _reused("phone")
    in_crisis = _reused(
        "in_crisis",
        help_text=_(
            "We ask everyone this. If you answer yes, we show you where to get help at once. "
            "Your application is sent either way."
        ),
    )
    consent_application = consent_field(
        _(
            "I agree that my application and what I write here are stored and used to consider "
            "me as a volunteer peer."
        ),
        _(
            "This is needed to send your application. If it does not lead to a volunteer role, "
            "it is erased after six months. You can withdraw your consent at any time by "
            "contacting the coordinator."
        ),
        required=True,
        required_message=_(
            "We can only receive your application if you agree that we store it. You can "
            "withdraw your consent at any time."
        ),
    )
    website = _reused("website")

    fieldsets = (
        (
            _("Your experience"),
            "",
            ("own_recovery", "experience_areas", "motivation"),
        ),
        (_("Your time"), "", ("hours_per_month", "availability", "works_with_minors")),
        (_("About you"), "", ("name", "birth_year", "municipality", "gender")),
        (_("How we can reach you"), "", ("email", "phone")),
        (None, "", ("in_crisis",)),
        (_("Your consent"), _("Nothing is ticked in advance."), ("consent_application",)),
    )

    honeypot_filled = SupportRequestForm.honeypot_filled

    def groups(self):
        return [
            {"legend": legend, "intro": intro, "fields": [self[name] for name in names]}
            for legend, intro, names in self.fieldsets
        ]

    def fields_in_page_order(self):
        return [field for group in self.groups() for field in group["fields"]]

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_birth_year(self):
        birth_year = self.cleaned_data["birth_year"]
        if timezone.localdate().year - birth_year < MINIMUM_AGE:
            raise forms.ValidationError(
                _("Volunteer peers must be at least %(age)d years old."),
                params={"age": MINIMUM_AGE},
            )
        return birth_year

    def service_arguments(self) -> dict:
        from brobyg.volunteers.services import APPLICATION_FIELDS

        data = self.cleaned_data
        return {
            "data": {name: data[name] for name in APPLICATION_FIELDS},
            "in_crisis": data["in_crisis"] == YES,
        }


class MoveForm(ErrorSummaryMixin, forms.Form):
    stage = forms.ModelChoiceField(
        label=_("Move to"), queryset=Stage.objects.none(), empty_label=None
    )
    note = forms.CharField(
        label=_("Note for this stage"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what was agreed at the talk. Seen only by coordinators."),
    )
    certificate_kind = forms.ChoiceField(
        label=_("Criminal-record certificate seen"),
        choices=[("", _("Not recorded now")), *CertificateKind.choices],
        required=False,
    )
    certificate_seen_on = forms.DateField(
        label=_("Date the certificate was seen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Brobyg records only that it was seen, when and by whom; never the certificate."
        ),
    )

    def __init__(self, *args, stages, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(
            pk__in=[stage.pk for stage in stages]
        ).exclude(pk=current.pk)
        later = [stage for stage in stages if stage.position > current.position]
        if later:
            self.fields["stage"].initial = later[0].pk


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NotNowForm(ErrorSummaryMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason (kept for the figures)"), choices=NotNowReason.choices
    )
    message = forms.CharField(
        label=_("Your own words to the applicant (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The applicant gets a kind e-mail thanking them and saying that we cannot go on "
            "right now. The reason above is not sent. What you write here is added to it."
        ),
    )


class StagesForm(ErrorSummaryMixin, forms.Form):
    """One name field per stage."""

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        for stage in stages:
            self.fields[f"stage_{stage.pk}"] = forms.CharField(
                label=_("Stage %(number)d (%(kind)s)")
                % {"number": stage.position, "kind": stage.get_kind_display()},
                max_length=80,
                initial=stage.name,
            )

    def names(self) -> dict[int, str]:
        return {
            int(name.removeprefix("stage_")): value for name, value in self.cleaned_data.items()
        }


class AgreementForm(ErrorSummaryMixin, forms.Form):
    text = forms.CharField(
        label=_("The volunteer agreement"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Saving a changed text makes a new version. Volunteers who accepted an earlier "
            "version keep it; send the new one to those who should accept it."
        ),
    )


class AcceptAgreementForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the agreement and accept it."),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )
