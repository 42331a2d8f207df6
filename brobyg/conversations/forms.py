from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.conversations.models import MAX_MESSAGE_LENGTH

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a message."),
            "max_length": _("A message can be at most %(limit_value)d characters."),
        },
    )
    attachment = forms.FileField(
        label=_("Attach a picture or PDF (optional, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class GroupMessageForm(MessageForm):
    """A facilitator's message in a group's conversation: to every member, or to one."""

    to = forms.ChoiceField(
        label=_("To"),
        required=False,
        help_text=_(
            "Each member reads the messages to everyone and those to them only, never what the "
            "others write."
        ),
    )

    field_order = ["to", "text", "attachment"]

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(member.public_id): member for member in members}
        self.fields["to"].choices = [("", _("Everyone in the group"))] + [
            (key, member.name) for key, member in self.members.items()
        ]
        self.fields["to"].error_messages["invalid_choice"] = _(
            "Choose one of the group's enrolled members."
        )

    def clean_to(self):
        return self.members.get(self.cleaned_data.get("to") or "")


class AnsweringHoursForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days with answers"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.TimeField(
        label=_("Answers from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give a time."), "invalid": _("Give a time like 09:00.")},
    )
    closes_at = forms.TimeField(
        label=_("Answers until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give a time."), "invalid": _("Give a time like 15:00.")},
    )
    extra_crisis_words = forms.CharField(
        label=_("More crisis words"),
        help_text=_(
            "One word or phrase a line, in Danish or English. They are added to the built-in "
            "list; a line ending in * also matches longer words."
        ),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
