"""Forms of the citizen's side of intake: the self-referral and the contact form behind the
personal link; ``SupportRequestForm`` is also the base of the staff referral (forms_referral.py).

Every field has a size limit, every error is shown on its field, and what was typed is kept.
"""

from django import forms as djforms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobyg.intake.models import Availability, PeerTypeWish
from brobyg.intake.services import REQUEST_FIELDS
from brobyg.lib.forms import ErrorSummaryMixin, clean_phone, clean_phone_and_email
from brobyg.orgs.choices import Purpose
from brobyg.people.models import (
    AgeBand,
    Citizen,
    ConsentPurpose,
    ContactChannel,
    Gender,
    PreferredForm,
)
from brobyg.people.services import CITIZEN_FIELDS, normalise_cpr
from brobyg.sms.services import msisdn

YES, NO = "yes", "no"
CRISIS_CHOICES = [(YES, _("Yes")), (NO, _("No"))]
MAX_LANGUAGES = 10
LANGUAGE_MAX_LENGTH = 40

# The fields of the form that go to each argument of ``intake.services.request_submit`` are the
# services' own lists (people.services.CITIZEN_FIELDS, intake.services.REQUEST_FIELDS).
# Consent checkbox -> purpose. Sharing with a named organisation is never asked for here.
CONSENT_FIELDS = (
    ("consent_support", ConsentPurpose.SUPPORT),
    ("consent_questionnaires", ConsentPurpose.QUESTIONNAIRES),
    ("consent_evaluation", ConsentPurpose.EVALUATION),
    ("consent_share_with_team", ConsentPurpose.SHARE_WITH_TEAM),
)


def text_field(label, max_length, *, required=False, help_text="", rows=None, autocomplete=None):
    attrs = {}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    widget = djforms.Textarea(attrs={"rows": rows, **attrs}) if rows else djforms.TextInput(attrs)
    return djforms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=widget,
    )


def choices_field(label, choices, *, help_text=""):
    return djforms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=djforms.CheckboxSelectMultiple,
    )


def optional_radio_field(label, choices, *, blank_label, help_text=""):
    return djforms.ChoiceField(
        label=label,
        choices=[("", blank_label), *choices],
        required=False,
        initial="",
        help_text=help_text,
        widget=djforms.RadioSelect,
    )


def consent_field(label, help_text, *, required=False, required_message=""):
    return djforms.BooleanField(
        label=label,
        help_text=help_text,
        required=required,
        error_messages={"required": required_message} if required else {},
    )


class SupportRequestForm(ErrorSummaryMixin, djforms.Form):
    """What a citizen (or a referrer on their behalf) tells us when asking for peer support."""

    # What you would like support with
    purposes = choices_field(
        _("What would you like support with?"),
        Purpose.choices,
        help_text=_("Choose as many as you like, or none."),
    )
    own_words = text_field(
        _("In your own words (if you like)"),
        2000,
        rows=5,
        help_text=_(
            "Tell us a little about what you hope peer support can help with. You decide how "
            "much you write."
        ),
    )
    # How and when
    forms = choices_field(_("How would you like the support?"), PreferredForm.choices)
    peer_type = djforms.ChoiceField(
        label=_("Would you prefer a paid or a volunteer peer?"),
        choices=PeerTypeWish.choices,
        initial=PeerTypeWish.NO_PREFERENCE,
        widget=djforms.RadioSelect,
        help_text=_(
            "A paid peer works in a municipal or regional service. A volunteer peer gives their "
            "time, often through a volunteer centre, for example for company to activities."
        ),
    )
    availability = choices_field(_("When can you meet or talk?"), Availability.choices)
    # Wishes about the peer, all optional
    wish_gender = optional_radio_field(
        _("Gender of the peer"), Gender.choices, blank_label=_("No wish")
    )
    wish_age_band = optional_radio_field(
        _("Age of the peer"), AgeBand.choices, blank_label=_("No wish")
    )
    wish_language = text_field(
        _("Language the peer should speak"),
        40,
        help_text=_("Leave it empty if Danish is fine."),
    )
    wish_shared_experience = text_field(
        _("Experiences you would like the peer to share with you"),
        500,
        rows=3,
        help_text=_(
            "For example anxiety, hearing voices, living in supported housing or being a young "
            "parent. Leave it empty if it does not matter."
        ),
    )
    # About you
    name = text_field(
        _("Your name, or the name you would like us to use"),
        200,
        required=True,
        autocomplete="name",
    )
    birth_year = djforms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        help_text=_("For example 1990. Some offers are for certain ages."),
        widget=djforms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday-year", "size": 4}
        ),
    )
    municipality = text_field(
        _("Municipality you live in"),
        100,
        required=True,
        autocomplete="address-level2",
    )
    gender = optional_radio_field(
        _("Your gender (if you want to say)"),
        Gender.choices,
        blank_label=_("I would rather not say"),
    )
    languages = text_field(
        _("Languages you speak (if not only Danish)"),
        200,
        help_text=_("Separate them with commas, for example: Danish, Arabic."),
    )
    cpr = djforms.CharField(
        label=_("CPR number (optional)"),
        max_length=14,
        required=False,
        help_text=_(
            "You do not have to give it. If you do, it helps the coordinator make sure your "
            "request is not mixed up with someone else's, and see whether you have asked us "
            "before. It is stored encrypted and is never shown in full. Write it as DDMMYY-XXXX."
        ),
        widget=djforms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # How we can reach you
    phone = djforms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=djforms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = djforms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("If you give your e-mail, we send you a receipt with your personal link."),
        widget=djforms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_times = text_field(
        _("When is it best to contact you?"),
        200,
        help_text=_("For example: weekdays before noon, or text me first."),
    )
    services_contact = text_field(
        _("Are you in contact with any services now?"),
        500,
        help_text=_(
            "For example district psychiatry, supported housing or a job centre. You may skip this."
        ),
    )
    # The crisis question
    in_crisis = djforms.ChoiceField(
        label=_(
            "Are you in an acute crisis right now, or do you have thoughts of taking your life?"
        ),
        choices=CRISIS_CHOICES,
        widget=djforms.RadioSelect,
        help_text=_(
            "We ask everyone this. Your answer helps us make sure you get the right help at "
            "once. Your request is sent either way."
        ),
        error_messages={
            "required": _("Please answer yes or no, so we can make sure you get the right help.")
        },
    )
    # Consents
    consent_support = consent_field(
        _(
            "I agree that my request and what I write here are stored and used to offer me peer "
            "support."
        ),
        _(
            "This is needed to send your request: without it we may not keep your details or "
            "contact you. You can withdraw it at any time by contacting the coordinator."
        ),
        required=True,
        required_message=_(
            "We can only receive your request if you agree that we store it. You can withdraw "
            "your consent at any time."
        ),
    )
    consent_questionnaires = consent_field(
        _("You may contact me later with short questionnaires about how I am doing."),
        _("Optional. You get support whether you say yes or no."),
    )
    consent_evaluation = consent_field(
        _("My answers may be used, without my name, to evaluate and improve peer support."),
        _("Optional. Nobody can see who you are in the evaluation."),
    )
    consent_share_with_team = consent_field(
        _("The peer may share what I tell them with the staff who support me."),
        _(
            "Optional. If you say no, what you tell the peer stays between the two of you, "
            "unless the law requires otherwise, for example if a life is in danger."
        ),
    )
    # A trap for robots: people never see it, and screen readers are told to leave it empty.
    website = djforms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=djforms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    contact_missing_message = _(
        "Give a phone number or an e-mail address, or both, so that we can reach you."
    )
    fieldsets = (
        (_("What you would like support with"), "", ("purposes", "own_words")),
        (_("How and when"), "", ("forms", "peer_type", "availability")),
        (
            _("Wishes about your peer"),
            _("Everything here can be skipped. We try to meet your wishes but cannot promise it."),
            ("wish_gender", "wish_age_band", "wish_language", "wish_shared_experience"),
        ),
        (
            _("About you"),
            "",
            (
                "name",
                "birth_year",
                "municipality",
                "gender",
                "languages",
                "services_contact",
                "cpr",
            ),
        ),
        (
            _("How we can reach you"),
            _("Give a phone number or an e-mail address, or both."),
            ("phone", "email", "contact_times"),
        ),
        (None, "", ("in_crisis",)),
        (
            _("Your consent"),
            _(
                "Tick the boxes you agree to. Only the first one is needed to send your request. "
                "Nothing is ticked in advance."
            ),
            (
                "consent_support",
                "consent_questionnaires",
                "consent_evaluation",
                "consent_share_with_team",
            ),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["birth_year"].max_value = this_year
        self.fields["birth_year"].validators.append(MaxValueValidator(this_year))

    def honeypot_filled(self) -> bool:
        """True when the hidden field was filled in, which only robots do."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def groups(self) -> list[dict]:
        """The fields in their fieldsets, for the template."""
        return [
            {"legend": legend, "intro": intro, "fields": [self[name] for name in names]}
            for legend, intro, names in self.fieldsets
        ]

    def fields_in_page_order(self):
        first = (
            [self["programme"]]
            if "programme" in self.fields
            and not any("programme" in names for _legend, _intro, names in self.fieldsets)
            else []
        )
        return first + [field for group in self.groups() for field in group["fields"]]

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_cpr(self):
        value = self.cleaned_data["cpr"].strip()
        if not value:
            return ""
        try:
            return normalise_cpr(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["cpr"]) from None

    def clean_languages(self):
        names = []
        for part in self.cleaned_data["languages"].split(","):
            name = " ".join(part.split())
            if name and name.casefold() not in {known.casefold() for known in names}:
                names.append(name)
        if any(len(name) > LANGUAGE_MAX_LENGTH for name in names):
            raise ValidationError(
                _("Each language can have at most %(limit)d characters."),
                params={"limit": LANGUAGE_MAX_LENGTH},
            )
        if len(names) > MAX_LANGUAGES:
            raise ValidationError(
                _("Name at most %(limit)d languages."), params={"limit": MAX_LANGUAGES}
            )
        return names

    def clean(self):
        cleaned = super().clean()
        clean_phone_and_email(self)
        return cleaned

    def service_arguments(self) -> dict:
        """The keyword arguments for ``intake.services.request_submit`` (without the programme)."""
        data = self.cleaned_data
        return {
            "citizen_data": {name: data[name] for name in CITIZEN_FIELDS},
            "request_data": {name: data[name] for name in REQUEST_FIELDS},
            "consents": [purpose for field, purpose in CONSENT_FIELDS if data[field]],
            "in_crisis": data["in_crisis"] == YES,
            "cpr": data["cpr"],
        }


class SelfReferralForm(SupportRequestForm):
    """The public form. On an organisation's page, the citizen first picks a programme."""

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"] = djforms.ModelChoiceField(
                label=_("Which offer would you like to ask for?"),
                queryset=programmes,
                to_field_name="public_id",
                widget=djforms.RadioSelect,
                error_messages={"required": _("Choose the offer you would like to ask for.")},
            )
            self.order_fields(["programme"])

    @property
    def chooses_programme(self) -> bool:
        return "programme" in self.fields


class ContactForm(ErrorSummaryMixin, djforms.Form):
    """The contact details a citizen can correct through their personal link."""

    name = SupportRequestForm.base_fields["name"]
    phone = SupportRequestForm.base_fields["phone"]
    email = djforms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=djforms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_times = SupportRequestForm.base_fields["contact_times"]
    contact_channel = djforms.ChoiceField(
        label=_("How should we send you links and messages?"),
        choices=ContactChannel.choices,
        required=False,
        widget=djforms.RadioSelect,
        help_text=_(
            "When you have given both an e-mail address and a mobile number: links, reminders "
            "and notices of new messages come this way. A text never says what it is about."
        ),
    )

    contact_missing_message = SupportRequestForm.contact_missing_message

    @classmethod
    def for_citizen(cls, citizen: Citizen, data=None):
        initial = {name: getattr(citizen, name) for name in cls.base_fields}
        form = cls(data, initial=initial, prefix="contact")
        if not (citizen.email and msisdn(citizen.phone)):
            # The choice is offered once both an address and a mobile number are given.
            del form.fields["contact_channel"]
        return form

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_contact_channel(self):
        # Left unanswered, the choice stays as it was.
        return (
            self.cleaned_data.get("contact_channel")
            or self.initial.get("contact_channel")
            or ContactChannel.EMAIL
        )

    def clean(self):
        cleaned = super().clean()
        clean_phone_and_email(self)
        channel = cleaned.get("contact_channel")
        if channel in (ContactChannel.SMS, ContactChannel.BOTH) and not msisdn(
            cleaned.get("phone", "")
        ):
            self.add_error(
                "contact_channel", _("Give a mobile number that can take text messages.")
            )
        if channel == ContactChannel.BOTH and not cleaned.get("email"):
            self.add_error("contact_channel", _("Give an e-mail address, or choose texts."))
        return cleaned
