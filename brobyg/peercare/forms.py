from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.orgs.choices import RecoveryTool
from brobyg.peercare.models import (
    DEFAULT_SUPERVISION_WEEKS,
    PathwayKind,
    SessionKind,
    TrainingKind,
)
from brobyg.people.models import Peer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CareForm(forms.Form):
    tasks = forms.CharField(
        label=_("The peer's tasks"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    not_tasks = forms.CharField(
        label=_("What is not the peer's task"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    when_worried = forms.CharField(
        label=_("Who to call when worried"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Names, roles and phone numbers the peer can call, also out of hours."),
    )
    supervision_weeks = forms.IntegerField(
        label=_("Flag a peer without supervision for this many weeks"),
        min_value=1,
        max_value=52,
        initial=DEFAULT_SUPERVISION_WEEKS,
    )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "You do not have to give a reason. If you write one, your coordinators can read it."
        ),
    )


class SupervisorForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"), queryset=None, to_field_name="public_id"
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        from brobyg.orgs.models import User

        self.fields["supervisor"].queryset = User.objects.filter(
            pk__in=[user.pk for user in supervisors]
        ).order_by("full_name")


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=5, max_value=480, initial=60
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Peers"),
        queryset=Peer.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = peers
        self.fields["attendees"].label_from_instance = lambda peer: peer.user.full_name
        self.fields["held_on"].initial = timezone.localdate()


class NoteForm(forms.Form):
    peer = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, attendees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if attendees is None:
            del self.fields["peer"]
        else:
            self.fields["peer"].choices = [
                ("", _("The whole group (every attendee sees it)")),
                *[(str(peer.public_id), peer.user.full_name) for peer in attendees],
            ]


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("The module or credential; not needed for a recovery tool."),
    )
    recovery_tool = forms.ChoiceField(
        label=_("Recovery tool"), required=False, choices=[("", "—"), *RecoveryTool.choices]
    )
    completed_on = forms.DateField(label=_("Completed or issued on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_("For credentials that expire. A renewal is recorded as a new entry."),
    )


class PathwayForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PathwayKind.choices)
    title = forms.CharField(label=_("What"), max_length=200)
    description = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    happened_on = forms.DateField(label=_("When"), widget=DATE)
    on_statement = forms.BooleanField(
        label=_("Show on my skills statement"), required=False, initial=True
    )
