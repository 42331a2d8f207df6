from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.intake.forms_public import ErrorSummaryMixin
from brobyg.orgs.models import Programme
from brobyg.reports.change import FOLLOW_UPS
from brobyg.reports.models import ExportFormat
from brobyg.reports.texts import FOLLOW_UP_LABELS

MAX_DAYS = 366 * 10
FIRST_DAY = date(2000, 1, 1)


class ScopeForm(ErrorSummaryMixin, forms.Form):
    """Which programmes, which period and which follow-up the report covers."""

    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave all unticked for the whole organisation, including answers that belong to no "
            "programme (for example imported ones). Ticking programmes counts only theirs."
        ),
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    follow_up = forms.ChoiceField(
        label=_("Compare the start with"),
        choices=[(key, FOLLOW_UP_LABELS[key]) for key in FOLLOW_UPS],
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = Programme.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["programmes"].to_field_name = "public_id"

    @staticmethod
    def initial_values() -> dict:
        today = timezone.localdate()
        return {"start": today - timedelta(days=365), "end": today, "follow_up": FOLLOW_UPS[0]}

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and start < FIRST_DAY:
            self.add_error("start", _("Choose a start from 1 January 2000 on."))
        if end and end > timezone.localdate():
            self.add_error("end", _("The period cannot end after today."))
        if start and end and not {"start", "end"} & set(self.errors):
            if start > end:
                self.add_error("end", _("The end must be on or after the start."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("start", _("Choose a period of at most ten years."))
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "programmes": [str(programme.public_id) for programme in data["programmes"]],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
            "follow_up": data["follow_up"],
        }


class ExportForm(ScopeForm):
    format = forms.ChoiceField(label=_("File"), choices=ExportFormat.choices)
