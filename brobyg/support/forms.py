"""Forms for courses, sessions, drop-in counts, communities and hand-overs."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.orgs.choices import Purpose, RecoveryTool
from brobyg.orgs.models import Programme, Unit
from brobyg.people.models import ConsentMethod, Peer, PeerStatus
from brobyg.support.models import (
    ChimeTheme,
    Community,
    CourseForm,
    CourseStatus,
    EndReason,
    SessionForm,
    SessionKind,
    SharedField,
)

DURATION_CHOICES = [(15, "15"), (30, "30"), (45, "45"), (60, "60"), (90, "90"), (120, "120")]


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _moment(label, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class PeerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, peer):
        return f"{peer.user.full_name} ({peer.get_kind_display().lower()})"


def _peers_of(organisation):
    return (
        Peer.objects.filter(organisation=organisation)
        .exclude(status=PeerStatus.ENDED)
        .select_related("user")
        .order_by("user__full_name")
    )


class CourseCreateForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    peers = PeerChoiceField(
        label=_("Peer or peers"),
        queryset=Peer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One peer, or two when they overlap, for example during a hand-over."),
    )
    started_on = _date(_("Start"))
    review_on = _date(_("Planned review"), required=False)
    purposes = _checkboxes(_("What the support is about"), Purpose.choices)
    form = forms.ChoiceField(label=_("Form"), choices=CourseForm.choices)
    goals = forms.CharField(
        label=_("The citizen's goals in their own words"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("name")
        self.fields["peers"].queryset = _peers_of(organisation)
        self.fields["started_on"].initial = timezone.localdate()


class CourseEditForm(forms.Form):
    peers = PeerChoiceField(
        label=_("Peer or peers"),
        queryset=Peer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One peer, or two when they overlap, for example during a hand-over."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CourseStatus.ACTIVE, CourseStatus.ACTIVE.label),
            (CourseStatus.PAUSED, CourseStatus.PAUSED.label),
        ],
        help_text=_("A paused course is not flagged as quiet."),
    )
    review_on = _date(_("Planned review"), required=False)
    purposes = _checkboxes(_("What the support is about"), Purpose.choices)
    form = forms.ChoiceField(label=_("Form"), choices=CourseForm.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = _peers_of(organisation)


class GoalsForm(forms.Form):
    text = forms.CharField(
        label=_("The citizen's goals in their own words"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write them as the citizen says them. Earlier versions are kept."),
    )
    written_together = forms.BooleanField(
        label=_("Written together with the citizen"), required=False, initial=True
    )


class EndCourseForm(forms.Form):
    ended_on = _date(_("Ended"))
    reason = forms.ChoiceField(
        label=_("Why the course ended"), choices=EndReason.choices, widget=forms.RadioSelect
    )
    words = forms.CharField(
        label=_("The citizen's own words about the ending (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


NOTE_PROMPTS = _(
    "What went well? What did the citizen find strength in? What do you agree to next time? "
    "A few lines are enough; this is not a clinical note."
)


class SessionLogForm(forms.Form):
    """Made for a phone: sensible defaults, so saving a usual session takes a tick and a line."""

    starts_at = _moment(_("When"))
    duration_minutes = forms.TypedChoiceField(
        label=_("Minutes"), coerce=int, choices=DURATION_CHOICES, initial=60
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=SessionForm.choices, widget=forms.RadioSelect, initial="in_person"
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SessionKind.choices,
        widget=forms.RadioSelect,
        initial="conversation",
    )
    chime_themes = _checkboxes(_("Themes you touched"), ChimeTheme.choices)
    recovery_tools = _checkboxes(_("Recovery tools used"), RecoveryTool.choices)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_PROMPTS,
    )
    shared_with_team = forms.CharField(
        label=_("What the citizen wants shared with the team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only what the citizen has asked you to pass on."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    next_appointment = _moment(_("Next appointment (optional)"), required=False)

    def __init__(self, *args, team_sharing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not team_sharing:
            del self.fields["shared_with_team"]
        if not self.is_bound and "starts_at" not in self.initial:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial["starts_at"] = now - timezone.timedelta(minutes=now.minute % 15)


class PlanForm(forms.Form):
    starts_at = _moment(_("When"))
    duration_minutes = forms.TypedChoiceField(
        label=_("Minutes"), coerce=int, choices=DURATION_CHOICES, initial=60
    )
    form = forms.ChoiceField(label=_("Form"), choices=SessionForm.choices, initial="in_person")
    place = forms.CharField(label=_("Place"), required=False, max_length=200)


class DropInForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    programme = forms.ModelChoiceField(
        label=_("Programme (optional)"), queryset=Programme.objects.none(), required=False
    )
    day = _date(_("Date"))
    contacts = forms.IntegerField(label=_("Number of contacts"), min_value=1, max_value=1000)
    minutes = forms.IntegerField(label=_("Minutes in all"), min_value=1, max_value=14400)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation).order_by(
            "name"
        )
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("name")
        self.fields["day"].initial = timezone.localdate()


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "kind", "area", "contact", "accessibility", "is_active"]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 3})}


class CommunityJoinForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    joined_on = _date(_("Joined"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("name")
        self.fields["joined_on"].initial = timezone.localdate()


class LeftForm(forms.Form):
    left_on = _date(_("Left"))


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return f"{programme.organisation.name}: {programme.name}"


class HandoverProposeForm(forms.Form):
    receiving_programme = ProgrammeChoiceField(
        label=_("Hand over to"),
        queryset=Programme.objects.none(),
        help_text=_("A programme of your own or of another organisation on Brobyg."),
    )
    reason = forms.CharField(
        label=_("Why a hand-over would help the citizen"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The receiving side reads this before the citizen's consent: write what kind of "
            "support would help, nothing that identifies the citizen or their health."
        ),
    )
    note = forms.CharField(
        label=_("Note to the receiving peer (shared only if the citizen consents)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_programme"].queryset = queryset


class HandoverConsentForm(forms.Form):
    fields_shared = _checkboxes(
        _("What the citizen consents to sharing with the receiving side"),
        SharedField.choices,
        _("Only what is ticked is shown to them. Nothing ticked: they see only the request."),
    )
    method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=[
            (ConsentMethod.IN_PERSON, ConsentMethod.IN_PERSON.label),
            (ConsentMethod.PHONE, ConsentMethod.PHONE.label),
            (ConsentMethod.WRITTEN, ConsentMethod.WRITTEN.label),
        ],
    )


class HandoverAcceptForm(forms.Form):
    peer = forms.ModelChoiceField(label=_("Receiving peer"), queryset=Peer.objects.none())
    meeting_at = _moment(
        _("Warm hand-over meeting"),
        help_text=_("A meeting with the citizen and both peers."),
    )
    meeting_place = forms.CharField(label=_("Place of the meeting"), required=False, max_length=200)

    def __init__(self, *args, organisation, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = (
            Peer.objects.filter(organisation=organisation, programmes=programme)
            .exclude(status=PeerStatus.ENDED)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["peer"].label_from_instance = lambda peer: peer.user.full_name


class HandoverDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FollowUpForm(forms.Form):
    started = forms.ChoiceField(
        label=_("Did the citizen start?"), choices=YES_NO, widget=forms.RadioSelect
    )
    still_connected = forms.ChoiceField(
        label=_("Is the citizen still connected?"), choices=YES_NO, widget=forms.RadioSelect
    )


class SupportSettingsForm(forms.Form):
    inactivity_days = forms.IntegerField(
        label=_("Days without a session before a course is flagged as quiet"),
        min_value=3,
        max_value=365,
    )
