from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.groups.models import (
    GroupCourse,
    GroupMessage,
    GroupSession,
    MessageKind,
    ParticipantKind,
    ParticipantSource,
)
from brobyg.groups.services import GROUP_FIELDS
from brobyg.intake.forms_public import SupportRequestForm
from brobyg.lib.forms import ErrorSummaryMixin, clean_phone, clean_phone_and_email
from brobyg.orgs.models import Programme, Unit, User
from brobyg.people.models import ConsentPurpose, Peer, PeerStatus


class GroupForm(forms.ModelForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    unit = forms.ModelChoiceField(
        label=_("Service"),
        queryset=None,
        required=False,
        help_text=_("When the group meets in one of your services."),
    )
    co_facilitator = forms.ModelChoiceField(
        label=_("Professional co-facilitator"), queryset=None, required=False
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Peer facilitators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    class Meta:
        model = GroupCourse
        fields = [name for name in GROUP_FIELDS if name != "co_facilitator"] + ["co_facilitator"]
        widgets = {
            "first_session_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.organisation = organisation
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["facilitators"].queryset = (
            Peer.objects.filter(organisation=organisation)
            .exclude(status=PeerStatus.ENDED)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["facilitators"].label_from_instance = lambda peer: peer.user.full_name
        self.fields["co_facilitator"].queryset = User.objects.filter(
            memberships__organisation=organisation, memberships__is_active=True, is_active=True
        ).order_by("full_name")
        self.fields["co_facilitator"].help_text = _(
            "A professional (for example a nurse or psychologist) who runs the group with the "
            "peers. Required for groups about self-harm or eating disorders."
        )
        if self.instance.pk:
            self.initial["facilitators"] = list(self.instance.facilitators.all())

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in GROUP_FIELDS}


class ParticipantForm(forms.Form):
    """A relative or a member of staff, by referral or added by the coordinator. Citizens join
    from the waiting list (their request) or by the public sign-up page."""

    kind = forms.ChoiceField(
        label=_("Participant type"),
        choices=[
            (ParticipantKind.RELATIVE, ParticipantKind.RELATIVE.label),
            (ParticipantKind.STAFF, ParticipantKind.STAFF.label),
        ],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=_("How they came"),
        choices=[
            (ParticipantSource.REFERRAL, ParticipantSource.REFERRAL.label),
            (ParticipantSource.COORDINATOR, ParticipantSource.COORDINATOR.label),
        ],
        initial=ParticipantSource.COORDINATOR,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    questionnaire_consent = forms.BooleanField(
        label=_("Has agreed to be asked to evaluate the course"), required=False
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (
            "phone" in cleaned
            and "email" in cleaned
            and not cleaned["phone"]
            and not cleaned["email"]
        ):
            self.add_error("phone", _("Give a phone number or an e-mail address, or both."))
        return cleaned


class EnrolRequestForm(forms.Form):
    support_request = forms.ChoiceField(
        label=_("Citizen on the waiting list"),
        error_messages={"required": _("Choose a citizen from the waiting list.")},
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests = {str(request.public_id): request for request in requests}
        self.fields["support_request"].choices = [("", "---------")] + [
            (key, f"{request.citizen.name} ({request.programme.name})")
            for key, request in self.requests.items()
        ]

    def clean_support_request(self):
        return self.requests[self.cleaned_data["support_request"]]


class MessageForm(forms.ModelForm):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        help_text=_("Needed for a cancellation or a change of place."),
    )
    new_place = forms.CharField(
        label=_("New place"),
        max_length=300,
        required=False,
        help_text=_("For a change of place: where the session is held instead."),
    )

    class Meta:
        model = GroupMessage
        fields = ["kind", "session", "new_place", "subject", "body"]
        widgets = {"kind": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MessageKind.choices
        self.fields["session"].queryset = GroupSession.objects.filter(
            group=group, is_cancelled=False, starts_at__gte=timezone.now()
        ).order_by("number")
        self.fields["session"].label_from_instance = lambda session: (
            _("Session %(number)d, %(when)s")
            % {
                "number": session.number,
                "when": timezone.localtime(session.starts_at).strftime("%d.%m.%Y %H:%M"),
            }
        )


_base = SupportRequestForm.base_fields


class GroupSignupForm(ErrorSummaryMixin, forms.Form):
    """The public sign-up: the self-referral's fields, limits, crisis question, consents and
    honeypot (taken from intake's form), plus who is signing up."""

    kind = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=[
            (ParticipantKind.CITIZEN, _("Someone with mental-health difficulties of my own")),
            (ParticipantKind.RELATIVE, _("A relative")),
            (ParticipantKind.STAFF, _("A member of staff")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you are signing up.")},
    )
    name = _base["name"]
    birth_year = _base["birth_year"]
    municipality = _base["municipality"]
    phone = _base["phone"]
    email = _base["email"]
    in_crisis = _base["in_crisis"]
    consent_support = forms.BooleanField(
        label=_("I agree that my sign-up is stored so the group can contact me"),
        help_text=_("Needed to sign up. You can withdraw it at any time by contacting us."),
        required=True,
        error_messages={"required": _("We can only store your sign-up with your consent.")},
    )
    consent_questionnaires = _base["consent_questionnaires"]
    consent_evaluation = _base["consent_evaluation"]
    website = _base["website"]

    contact_missing_message = SupportRequestForm.contact_missing_message

    fieldsets = (
        (_("About you"), "", ("kind", "name", "birth_year", "municipality")),
        (_("How can we reach you?"), "", ("phone", "email")),
        (None, "", ("in_crisis",)),
        (
            _("Your consent"),
            _("Nothing is ticked in advance. Only the first one is needed to sign up."),
            ("consent_support", "consent_questionnaires", "consent_evaluation"),
        ),
    )

    honeypot_filled = SupportRequestForm.honeypot_filled
    groups = SupportRequestForm.groups

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["birth_year"].max_value = this_year
        self.fields["birth_year"].validators.append(MaxValueValidator(this_year))

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        clean_phone_and_email(self)
        return cleaned

    def fields_in_page_order(self):
        return [field for group in self.groups() for field in group["fields"]]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        consents = [
            purpose
            for field, purpose in (
                ("consent_support", ConsentPurpose.SUPPORT),
                ("consent_questionnaires", ConsentPurpose.QUESTIONNAIRES),
                ("consent_evaluation", ConsentPurpose.EVALUATION),
            )
            if data[field]
        ]
        person = {
            name: data[name] for name in ("name", "phone", "email", "birth_year", "municipality")
        }
        return {
            "kind": data["kind"],
            "person": person,
            "consents": consents,
            "in_crisis": data["in_crisis"] == "yes",
        }
