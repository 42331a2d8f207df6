from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.audit.models import Action
from brobyg.orgs import selectors as orgs_selectors


def _search_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EntryFilterForm(forms.Form):
    """The audit log's filter. People are found by what the privacy officer types (matched in
    the database), never chosen from a list of every member: an organisation may have
    thousands. ``actor`` and ``subject`` hold a member's public id, kept in the URL (links from
    the log's rows and from elsewhere) and shown by name."""

    who = _search_field(_("Who (name or e-mail)"))
    actor = forms.UUIDField(required=False, widget=forms.HiddenInput)
    about = _search_field(_("About which member of staff (name or e-mail)"))
    subject = forms.UUIDField(required=False, widget=forms.HiddenInput)
    citizen = _search_field(_("About which citizen (name, phone or e-mail)"))
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def _member(self, name):
        public_id = self.cleaned_data.get(name)
        if public_id is None:
            return None
        user = orgs_selectors.member_user(self.organisation, public_id)
        if user is None:
            raise forms.ValidationError(
                _("The person in the link is not a member of the organisation.")
            )
        return user

    def clean_actor(self):
        return self._member("actor")

    def clean_subject(self):
        return self._member("subject")

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
            "who": data.get("who", "").strip(),
            "subject_id": str(data["subject"].public_id) if data.get("subject") else "",
            "about": data.get("about", "").strip(),
            "citizen": data.get("citizen", "").strip(),
            "action": data.get("action", ""),
            "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
            "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
        }
