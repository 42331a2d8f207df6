from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from brobyg.audit.models import Action


class EntryFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Who"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Everyone"),
        to_field_name="public_id",
    )
    subject = forms.ChoiceField(label=_("About whom (data subject)"), required=False)
    citizen = forms.CharField(
        label=_("About which citizen (name, phone or e-mail)"), required=False, max_length=100
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        users = sorted((m.user for m in members), key=lambda user: user.full_name)
        self.fields["actor"].queryset = (
            get_user_model()
            .objects.filter(pk__in=[user.pk for user in users])
            .order_by("full_name")
        )
        self.fields["subject"].choices = [("", _("Anyone"))] + [
            (str(user.public_id), user.full_name) for user in users
        ]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def criteria(self) -> dict:
        """The filter as plain values, for the query and for logging the search itself."""
        data = self.cleaned_data
        return {
            "actor": str(data["actor"].public_id) if data.get("actor") else "",
            "subject_id": data.get("subject", ""),
            "citizen": data.get("citizen", "").strip(),
            "action": data.get("action", ""),
            "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
            "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
        }
