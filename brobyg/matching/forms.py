"""Forms for peer profiles, matching wishes and weights, proposals and answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brobyg.matching.engine.features import CRITERIA, DEFAULT_WEIGHTS
from brobyg.matching.explain import CRITERION_LABELS, MUST_CHOICES
from brobyg.matching.models import CitizenAnswerMethod
from brobyg.orgs.choices import Purpose, RecoveryTool, Role, SupportType
from brobyg.orgs.models import Membership, Programme, User
from brobyg.people import selectors as people_selectors
from brobyg.people.models import (
    AgeBand,
    DayPart,
    ExperienceArea,
    Gender,
    PeerStatus,
    PreferredForm,
    Weekday,
)
from brobyg.people.vocabulary import LANGUAGE_CHOICES, MUNICIPALITY_CHOICES

AVAILABILITY_CHOICES = [
    (f"{day}_{part}", f"{day_label} {str(part_label).lower()}")
    for day, day_label in Weekday.choices
    for part, part_label in DayPart.choices
]


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class OwnPeerProfileForm(forms.Form):
    """What a peer fills in about themself."""

    presentation = forms.CharField(
        label=_("A few words about you, shown to citizens you are proposed for"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example what you enjoy doing and how you like to meet. Not required."),
    )
    experience_areas = _checkboxes(
        _("Your own lived experience (optional)"),
        ExperienceArea.choices,
        _(
            "Only you and your coordinators see this. It helps to propose citizens who wish to "
            "meet someone with the same experience."
        ),
    )
    languages = _checkboxes(_("Languages you can support in"), LANGUAGE_CHOICES)
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        choices=[("", _("Prefer not to say")), *Gender.choices],
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age (optional)"),
        choices=[("", _("Prefer not to say")), *AgeBand.choices],
        required=False,
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Municipalities where you can meet citizens"),
        choices=MUNICIPALITY_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    works_remote = forms.BooleanField(label=_("I can support by phone or online"), required=False)
    availability = _checkboxes(_("When you can meet"), AVAILABILITY_CHOICES)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class PeerProfileForm(OwnPeerProfileForm):
    """The coordinator's form: everything the peer fills in, and what is agreed with them."""

    field_order = [
        "user",
        "kind",
        "status",
        "programmes",
        "capacity",
        "supports_min_age",
        "supports_max_age",
        "forms",
        "strengths",
        "recovery_tools",
    ]
    user = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        help_text=_("Members of the organisation with the peer role and no peer profile yet."),
    )
    kind = forms.ChoiceField(label=_("Paid or volunteer"), choices=SupportType.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=PeerStatus.choices,
        help_text=_("Only active peers are proposed. A paused peer is never proposed."),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes"),
        queryset=Programme.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Citizens at a time"), min_value=1, max_value=30, initial=3
    )
    supports_min_age = forms.IntegerField(
        label=_("Supports citizens from the age of"), min_value=0, max_value=120, initial=18
    )
    supports_max_age = forms.IntegerField(
        label=_("Supports citizens up to the age of"), min_value=0, max_value=120, initial=120
    )
    forms = _checkboxes(_("Forms of support the peer offers"), PreferredForm.choices)
    strengths = _checkboxes(_("What the peer is good at supporting"), Purpose.choices)
    recovery_tools = _checkboxes(_("Recovery tools the peer is trained in"), RecoveryTool.choices)

    def __init__(self, *args, organisation, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = Programme.objects.filter(organisation=organisation)
        if creating:
            with_profile = organisation.peers.values_list("user_id", flat=True)
            peer_members = [
                m.user_id
                for m in Membership.objects.filter(organisation=organisation)
                if Role.PEER in m.roles
            ]
            self.fields["user"].queryset = (
                User.objects.filter(pk__in=peer_members)
                .exclude(pk__in=with_profile)
                .order_by("full_name")
            )
        else:
            del self.fields["user"]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("supports_min_age"), cleaned.get("supports_max_age")
        if low is not None and high is not None and low > high:
            self.add_error("supports_max_age", _("The upper age must not be below the lower age."))
        return cleaned

    def data_for_service(self) -> dict:
        skip = {"user", "programmes"}
        return {name: self.cleaned_data[name] for name in self.fields if name not in skip}


class WeightsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in CRITERIA:
            self.fields[criterion] = forms.IntegerField(
                label=CRITERION_LABELS[criterion],
                min_value=0,
                max_value=10,
                initial=DEFAULT_WEIGHTS[criterion],
                help_text=_("Default: %(default)d") % {"default": DEFAULT_WEIGHTS[criterion]},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(c) for c in CRITERIA):
            raise forms.ValidationError(_("At least one criterion must count."))
        return cleaned


class WishesForm(forms.Form):
    experience_areas = _checkboxes(
        _("Experiences the citizen wants to share with the peer"),
        ExperienceArea.choices,
        _("Agree these with the citizen; see what they wrote on the request."),
    )
    language = forms.ChoiceField(
        label=_("Language the peer must be able to speak"),
        choices=[("", _("Danish / no wish")), *LANGUAGE_CHOICES],
        required=False,
    )
    musts = _checkboxes(
        _("Wishes that are a must"),
        MUST_CHOICES,
        _("A peer who does not meet a must is never proposed. Use it sparingly."),
    )


class ProposeForm(forms.Form):
    peer = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note to the peer (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ANSWERS = [("accept", _("Yes, I accept")), ("decline", _("No, I decline"))]


class PeerAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why not (optional, for the coordinator)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exclude = forms.BooleanField(
        label=_("I should never be proposed for this citizen (for example, I know them)"),
        required=False,
    )


class CitizenAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Yes, I would like to meet")), ("decline", _("No, thank you"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("If no: would you like to tell us why? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exclude = forms.BooleanField(
        label=_("Please do not suggest this person to me again"), required=False
    )


class RecordCitizenAnswerForm(CitizenAnswerForm):
    method = forms.ChoiceField(
        label=_("How the citizen answered"),
        choices=[
            (CitizenAnswerMethod.PHONE, CitizenAnswerMethod.PHONE.label),
            (CitizenAnswerMethod.IN_PERSON, CitizenAnswerMethod.IN_PERSON.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = _("The citizen's answer")
        self.fields["answer"].choices = [
            ("accept", _("The citizen accepts")),
            ("decline", _("The citizen declines")),
        ]
        self.fields["reason"].label = _("The citizen's reason, if they gave one")
        self.fields["exclude"].label = _("The citizen does not want this peer proposed again")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the match ends"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    do_not_rematch = forms.BooleanField(
        label=_("Do not re-match these two"),
        required=False,
        help_text=_("The peer will never be proposed for this citizen again."),
    )


class ExclusionForm(forms.Form):
    """A peer never to propose for a citizen, found by part of their name or e-mail: a list of
    every peer would be thousands of options in a big municipality. Where several peers match,
    the form asks which of them (``choice``)."""

    CHOICES = 10

    peer = forms.CharField(
        label=_("Peer"),
        help_text=_("Write the peer's name or e-mail address, or part of it."),
        max_length=200,
    )
    # The peers to choose among are only known once ``peer`` is read (``clean``).
    choice = forms.CharField(label=_("Which peer?"), required=False, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("peer", "").strip()
        if not text:
            return cleaned
        found = people_selectors.peers_named(self.organisation, text, limit=self.CHOICES + 1)
        chosen = [peer for peer in found if str(peer.public_id) == cleaned.get("choice")]
        if chosen or len(found) == 1:
            cleaned["peer"] = (chosen or found)[0]
        elif not found:
            self.add_error("peer", _("No peer in your organisation matches what you wrote."))
        elif len(found) > self.CHOICES:
            self.add_error(
                "peer", _("More than 10 peers match. Write more of the name or the e-mail address.")
            )
        else:
            self.fields["choice"].widget.choices = [
                (str(peer.public_id), f"{peer.user.full_name} ({peer.user.email})")
                for peer in found
            ]
            self.add_error("choice", _("Several peers match. Choose one of them."))
        return cleaned


class BatchForm(forms.Form):
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programmes whose waiting lists to match"),
        queryset=Programme.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = Programme.objects.filter(
            organisation=organisation
        ).order_by("name")


class BatchApproveForm(forms.Form):
    proposals = forms.MultipleChoiceField(
        label=_("Proposals to send to the peers"),
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one proposal, or leave the page.")},
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(str(p.pk), str(p.pk)) for p in proposals]
