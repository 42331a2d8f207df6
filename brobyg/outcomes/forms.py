from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.outcomes import extensions, schedules, selectors
from brobyg.outcomes.models import Mode
from brobyg.outcomes.services import MANUAL_TIMEPOINTS

TEXT_MAX_LENGTH = 2000


def item_field_name(item_id: str) -> str:
    return f"item_{item_id}"


class AnswersForm(forms.Form):
    """The questions of one screen (one question, or all of them), in the chosen language.

    Every question may be left unanswered; an answer must be one of the item's values.
    """

    def __init__(self, *args, texts, items, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            label = texts.item_text(item.id, language)
            if item.kind == "text":
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
            else:
                field = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[
                        (value, texts.label(item.scale.code, value, language) or str(value))
                        for value in item.scale.values
                    ],
                    widget=forms.RadioSelect,
                )
                field.error_messages["invalid_choice"] = _(
                    "Choose one of the answers, or leave the question unanswered."
                )
            self.fields[item_field_name(item.id)] = field

    def answers(self) -> dict:
        return {item.id: self.cleaned_data.get(item_field_name(item.id)) for item in self.items}


class FinishForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How was the questionnaire filled in?"),
        choices=[
            (Mode.SELF, _("By myself")),
            (Mode.ASSISTED, _("Together with my peer or someone else who helped")),
            (Mode.PAPER, _("On paper, typed in afterwards")),
        ],
        initial=Mode.SELF,
        widget=forms.RadioSelect,
    )
    see_chart = forms.BooleanField(
        label=_("Show me my answers over time when I have sent them"),
        required=False,
        help_text=_("You see them through this link only. You can choose again next time."),
    )
    share = forms.BooleanField(
        label=_("Share these answers with my supervisor"),
        required=False,
        help_text=_("Without this, only you see your answers. You can change it later."),
    )

    def __init__(self, *args, respondent_kind, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if respondent_kind not in ("citizen", "participant"):
            del self.fields["mode"]  # peers and staff answer for themselves
        if respondent_kind != "citizen":
            del self.fields["see_chart"]
        if respondent_kind != "peer":
            del self.fields["share"]


class InviteForm(forms.Form):
    """A questionnaire asked by hand: to fill in together now, or to print as a QR code."""

    instrument = forms.ChoiceField(label=_("Questionnaire"))
    timepoint = forms.ChoiceField(label=_("When in the course"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instruments = {
            str(instrument.public_id): instrument
            for instrument in selectors.instruments_answerable_by(organisation, "citizen")
        }
        self.fields["instrument"].choices = [
            (key, selectors.instrument_texts(instrument, organisation).title_in())
            for key, instrument in self.instruments.items()
        ]
        self.fields["timepoint"].choices = [
            (code, schedules.timepoint_label(code)) for code in MANUAL_TIMEPOINTS
        ]

    def clean_instrument(self):
        return self.instruments[self.cleaned_data["instrument"]]


class ScheduleForm(forms.Form):
    anchor_kind = forms.ChoiceField(label=_("Who answers, and when"))
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    baseline = forms.BooleanField(label=_("At the start"), required=False, initial=True)
    followup_months = forms.CharField(
        label=_("Follow-ups after so many months"),
        required=False,
        initial="3, 6",
        help_text=_("Separate the months with commas, e.g. 3, 6."),
    )
    end = forms.BooleanField(label=_("At the end"), required=False, initial=True)
    every_days = forms.IntegerField(
        label=_("Peers: every so many days"), required=False, initial=14, min_value=7
    )
    every_months = forms.IntegerField(
        label=_("Staff: every so many months"), required=False, initial=6, min_value=1
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.anchors = extensions.anchors()
        self.fields["anchor_kind"].choices = [
            (kind, provider.label) for kind, provider in self.anchors.items()
        ]
        self.instruments = {
            str(instrument.public_id): instrument
            for instrument in selectors.current_instruments()
            if selectors.instrument_texts(instrument, organisation).available
        }
        self.fields["instrument"].choices = [
            (key, selectors.instrument_texts(instrument, organisation).title_in())
            for key, instrument in self.instruments.items()
        ]

    def clean_instrument(self):
        return self.instruments[self.cleaned_data["instrument"]]

    def clean_followup_months(self):
        text = self.cleaned_data["followup_months"].replace(";", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write whole numbers of months, e.g. 3, 6.")) from None

    def timing(self) -> dict:
        """The settings that apply to the chosen anchor, for ``services.schedule_create``."""
        provider = self.anchors[self.cleaned_data["anchor_kind"]]
        return {
            key: self.cleaned_data[key]
            for key in provider.timing_keys
            if key in self.cleaned_data and self.cleaned_data[key] is not None
        }
